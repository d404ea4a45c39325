import type { ClientHealth } from '@huijian/signaling/protocol';

/** The WebRTC stats of this seat's camera and microphone as sent, and of the other side's as received. */
export interface MediaStats {
  sentVideo?: RTCStatsReport | undefined;
  sentAudio?: RTCStatsReport | undefined;
  receivedVideo?: RTCStatsReport | undefined;
  receivedAudio?: RTCStatsReport | undefined;
}

export interface HealthReporterOptions {
  stats: () => Promise<MediaStats>;
  send: (report: ClientHealth) => void;
  /** Report every (default 5 s). */
  intervalMs?: number;
  /** Read the stats every (default 1 s: freezes are measured at this resolution). */
  pollMs?: number;
}

interface Totals {
  at: number;
  sentVideoBytes: number;
  sentAudioBytes: number;
  receivedVideoBytes: number;
  receivedAudioBytes: number;
  framesDecoded: number;
  decodeSeconds: number;
  freezes: number;
  freezeSeconds: number;
  videoLost: number;
  audioLost: number;
  concealedSamples: number;
  samplesReceived: number;
  audioEnergy: number;
}

const zero: Omit<Totals, 'at'> = {
  sentVideoBytes: 0,
  sentAudioBytes: 0,
  receivedVideoBytes: 0,
  receivedAudioBytes: 0,
  framesDecoded: 0,
  decodeSeconds: 0,
  freezes: 0,
  freezeSeconds: 0,
  videoLost: 0,
  audioLost: 0,
  concealedSamples: 0,
  samplesReceived: 0,
  audioEnergy: 0,
};

type Stat = Record<string, unknown> & { type: string };
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const clampMs = (ms: number) => Math.min(3_600_000, Math.max(0, Math.round(ms)));

function first(report: RTCStatsReport | undefined, type: string): Stat | undefined {
  let found: Stat | undefined;
  report?.forEach((stat: Stat) => {
    // With several (simulcast layers), the one carrying the most.
    if (stat.type === type && (!found || num(stat.bytesSent ?? stat.bytesReceived) > num(found.bytesSent ?? found.bytesReceived))) found = stat;
  });
  return found;
}

function roundTripMs(stats: MediaStats): number | undefined {
  for (const report of [stats.sentVideo, stats.sentAudio]) {
    const remote = first(report, 'remote-inbound-rtp');
    if (remote && typeof remote.roundTripTime === 'number') return remote.roundTripTime * 1000;
  }
  let rtt: number | undefined;
  for (const report of Object.values(stats)) {
    (report as RTCStatsReport | undefined)?.forEach((stat: Stat) => {
      if (stat.type === 'candidate-pair' && stat.nominated && typeof stat.currentRoundTripTime === 'number') rtt = stat.currentRoundTripTime * 1000;
    });
  }
  return rtt;
}

/**
 * Measures this seat's media from getStats and reports numbers only, about every 5 s, over
 * signaling (`healthReport`): the camera as sent, the other side's picture and sound as received
 * (resolution, fps, freezes, decode time, sound present, concealment), the round trip, and once
 * the time to the first decoded frame. No UI; the session starts and stops it.
 */
export class HealthReporter {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private firstFrameDone = false;
  private previous: Totals | undefined;
  private lastReportAt = 0;
  private lastFrameAt = 0;
  private framesSeen = 0;
  private firstFrameSince: number | undefined;
  private firstFrameMs: number | undefined;
  private polling = false;
  private readonly intervalMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: HealthReporterOptions) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.pollMs = options.pollMs ?? 1000;
  }

  start(): void {
    this.stop();
    this.running = true;
    this.previous = undefined;
    this.lastReportAt = performance.now();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Every poll interval; every 100 ms while waiting for the first frame, so its time is precise. */
  private schedule(): void {
    if (!this.running) return;
    const delay = this.firstFrameSince !== undefined ? 100 : this.pollMs;
    this.timer = setTimeout(() => void this.poll().finally(() => this.schedule()), delay);
  }

  /** The other side's camera can be received from `since` (performance.now()): time the first frame once. */
  expectFirstFrame(since: number): void {
    if (!this.firstFrameDone && this.firstFrameSince === undefined) this.firstFrameSince = since;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const stats = await this.options.stats();
      const now = performance.now();
      const totals = this.totals(stats, now);
      if (totals.framesDecoded !== this.framesSeen) {
        if (this.framesSeen === 0 && this.firstFrameSince !== undefined) {
          this.firstFrameMs = now - this.firstFrameSince;
          this.firstFrameSince = undefined;
          this.firstFrameDone = true;
        }
        this.framesSeen = totals.framesDecoded;
        this.lastFrameAt = now;
      }
      if (!this.previous) this.previous = { ...zero, at: this.lastReportAt };
      if (now - this.lastReportAt >= this.intervalMs - this.pollMs / 2) {
        this.options.send(this.report(stats, totals, this.previous, now));
        this.previous = totals;
        this.lastReportAt = now;
      }
    } catch {
      // Stats are best effort: a closed transport during a rejoin reads as nothing.
    } finally {
      this.polling = false;
    }
  }

  private totals(stats: MediaStats, at: number): Totals {
    const sentVideo = first(stats.sentVideo, 'outbound-rtp');
    const sentAudio = first(stats.sentAudio, 'outbound-rtp');
    const video = first(stats.receivedVideo, 'inbound-rtp');
    const audio = first(stats.receivedAudio, 'inbound-rtp');
    return {
      at,
      sentVideoBytes: num(sentVideo?.bytesSent),
      sentAudioBytes: num(sentAudio?.bytesSent),
      receivedVideoBytes: num(video?.bytesReceived),
      receivedAudioBytes: num(audio?.bytesReceived),
      framesDecoded: num(video?.framesDecoded),
      decodeSeconds: num(video?.totalDecodeTime),
      freezes: num(video?.freezeCount),
      freezeSeconds: num(video?.totalFreezesDuration),
      videoLost: num(video?.packetsLost),
      audioLost: num(audio?.packetsLost),
      concealedSamples: num(audio?.concealedSamples),
      samplesReceived: num(audio?.totalSamplesReceived),
      audioEnergy: num(audio?.totalAudioEnergy),
    };
  }

  private report(stats: MediaStats, now: Totals, before: Totals, at: number): ClientHealth {
    const seconds = Math.max(0.001, (now.at - before.at) / 1000);
    // Counters restart with a new transport (rejoin): never report a negative interval.
    const delta = (key: keyof Omit<Totals, 'at'>) => Math.max(0, now[key] - (now[key] >= before[key] ? before[key] : 0));
    const bps = (key: keyof Omit<Totals, 'at'>) => Math.round((delta(key) * 8) / seconds);
    const sentVideo = first(stats.sentVideo, 'outbound-rtp');
    const video = first(stats.receivedVideo, 'inbound-rtp');
    const audio = first(stats.receivedAudio, 'inbound-rtp');
    const frames = delta('framesDecoded');
    const limitation = String(sentVideo?.qualityLimitationReason ?? 'none');
    const rtt = roundTripMs(stats);
    const report: ClientHealth = {
      intervalMs: Math.min(600_000, Math.max(100, Math.round(seconds * 1000))),
      sent: {
        ...(sentVideo
          ? {
              video: {
                width: num(sentVideo.frameWidth),
                height: num(sentVideo.frameHeight),
                fps: Math.min(240, num(sentVideo.framesPerSecond)),
                bitrateBps: bps('sentVideoBytes'),
                limitation: (['none', 'cpu', 'bandwidth'].includes(limitation) ? limitation : 'other') as 'none' | 'cpu' | 'bandwidth' | 'other',
              },
            }
          : {}),
        ...(stats.sentAudio ? { audioBitrateBps: bps('sentAudioBytes') } : {}),
      },
      received: {
        ...(video
          ? {
              video: {
                width: num(video.frameWidth),
                height: num(video.frameHeight),
                fps: Math.min(240, frames / seconds),
                bitrateBps: bps('receivedVideoBytes'),
                freezes: delta('freezes'),
                freezeMs: clampMs(delta('freezeSeconds') * 1000),
                stalledMs: this.framesSeen > 0 && at - this.lastFrameAt > this.pollMs * 1.5 ? clampMs(at - this.lastFrameAt) : 0,
                decodeMs: frames > 0 ? clampMs((delta('decodeSeconds') / frames) * 1000) : 0,
                packetsLost: delta('videoLost'),
              },
            }
          : {}),
        ...(audio
          ? {
              audio: {
                present: delta('audioEnergy') > 1e-6,
                concealedRatio: delta('samplesReceived') > 0 ? Math.min(1, delta('concealedSamples') / delta('samplesReceived')) : 0,
                bitrateBps: bps('receivedAudioBytes'),
                packetsLost: delta('audioLost'),
              },
            }
          : {}),
      },
      ...(rtt === undefined ? {} : { rttMs: clampMs(rtt) }),
    };
    if (this.firstFrameMs !== undefined) {
      report.firstFrameMs = clampMs(this.firstFrameMs);
      // Reported once per session: a rejoin's frame is not a new join.
      this.firstFrameMs = undefined;
    }
    return report;
  }
}
