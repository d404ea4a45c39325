import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { controlChannels } from '../control/channels';
import type { HealthReport, MeetingHealth, StreamHealth, WorkerHealth } from '../control/healthReport';
import type { MeetingService } from '../meetings/MeetingService';
import type { WorkerPool } from '../workers/WorkerPool';
import type { SfuMetrics } from './metrics';
import { processRss } from './processRss';

/** Meetings sampled at once, so a big node does not flood its workers with stats requests. */
const sampleConcurrency = 16;

/**
 * Every few seconds: per-worker CPU (getResourceUsage) and memory, per-meeting and per-seat stream
 * health. Publishes the report on Redis for the ops feed, keeps the latest one readable, and
 * updates the Prometheus metrics. Numbers only.
 */
export class HealthSampler {
  private timer: NodeJS.Timeout | undefined;
  private previousCpu = new Map<number, { pid: number; cpuMs: number; at: number }>();
  private workerHealth: WorkerHealth[] = [];
  private sampling = false;
  /** Last cumulative forwarded counts per consumer stream (meeting, seat, source), for the forwarded counters. */
  private forwarded = new Map<string, { packets: number; bytes: number }>();

  constructor(
    private readonly nodeId: string,
    private readonly pool: WorkerPool,
    private readonly meetings: MeetingService,
    private readonly redis: Redis,
    private readonly metrics: SfuMetrics,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The latest per-worker figures (CPU is 0 until the second sample). */
  get workers(): readonly WorkerHealth[] {
    return this.workerHealth;
  }

  async sampleOnce(): Promise<HealthReport | undefined> {
    if (this.sampling) return undefined;
    this.sampling = true;
    try {
      const report: HealthReport = {
        nodeId: this.nodeId,
        at: Date.now(),
        intervalMs: this.intervalMs,
        draining: this.meetings.draining,
        workers: await this.sampleWorkers(),
        meetings: await this.sampleMeetings(),
      };
      this.workerHealth = report.workers;
      this.updateMetrics(report);
      const json = JSON.stringify(report);
      await this.redis
        .multi()
        .publish(controlChannels.health, json)
        .set(controlChannels.latestHealth(this.nodeId), json, 'PX', this.intervalMs * 3)
        .exec();
      return report;
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'health sample failed');
      return undefined;
    } finally {
      this.sampling = false;
    }
  }

  private async sampleWorkers(): Promise<WorkerHealth[]> {
    return Promise.all(
      this.pool.workers.map(async ({ index, worker, meetings }) => {
        const usage = await worker.getResourceUsage();
        const cpuMs = usage.ru_utime + usage.ru_stime;
        const at = performance.now();
        const previous = this.previousCpu.get(index);
        this.previousCpu.set(index, { pid: worker.pid, cpuMs, at });
        const cpuRatio = previous && previous.pid === worker.pid && at > previous.at ? (cpuMs - previous.cpuMs) / (at - previous.at) : 0;
        return { index, pid: worker.pid, cpuRatio: Math.max(0, cpuRatio), rssBytes: await processRss(worker.pid), meetings };
      }),
    );
  }

  private async sampleMeetings(): Promise<MeetingHealth[]> {
    const rooms = this.meetings.meetings();
    const results: MeetingHealth[] = [];
    for (let i = 0; i < rooms.length; i += sampleConcurrency) {
      const batch = await Promise.all(rooms.slice(i, i + sampleConcurrency).map((room) => room.health().catch(() => undefined)));
      for (const health of batch) if (health) results.push(health);
    }
    return results;
  }

  private updateMetrics(report: HealthReport): void {
    const m = this.metrics;
    m.meetings.reset();
    m.workerCpu.reset();
    m.workerRss.reset();
    for (const worker of report.workers) {
      const labels = { worker: String(worker.index) };
      m.meetings.set(labels, worker.meetings);
      m.workerCpu.set(labels, worker.cpuRatio);
      m.workerRss.set(labels, worker.rssBytes);
    }
    let seatsPresent = 0;
    const consumers = { audio: 0, video: 0 };
    const bitrate = new Map<string, number>();
    const observe = (direction: 'in' | 'out', stream: StreamHealth) => {
      const labels = { direction, kind: stream.kind };
      bitrate.set(`${direction}/${stream.kind}`, (bitrate.get(`${direction}/${stream.kind}`) ?? 0) + stream.bitrate);
      m.streamFractionLost.observe(labels, stream.fractionLost);
      m.streamJitter.observe(labels, stream.jitterMs / 1000);
      m.streamScore.observe(labels, stream.score);
      if (direction === 'out' && stream.rttMs !== undefined) m.streamRtt.observe({ kind: stream.kind }, stream.rttMs / 1000);
    };
    const forwarded = new Map<string, { packets: number; bytes: number }>();
    for (const meeting of report.meetings) {
      for (const [seatName, seat] of Object.entries(meeting.seats)) {
        if (seat.present) seatsPresent++;
        for (const stream of seat.inbound) observe('in', stream);
        for (const stream of seat.outbound) {
          consumers[stream.kind]++;
          observe('out', stream);
          if (stream.packetCount === undefined || stream.byteCount === undefined) continue;
          const key = `${meeting.meetingId}:${seatName}:${stream.source}`;
          const last = this.forwarded.get(key);
          // A smaller count is a new consumer (rejoin): it all counts.
          const fresh = !last || stream.packetCount < last.packets;
          m.forwardedPackets.inc({ kind: stream.kind }, stream.packetCount - (fresh ? 0 : last.packets));
          m.forwardedBytes.inc({ kind: stream.kind }, stream.byteCount - (fresh ? 0 : last.bytes));
          forwarded.set(key, { packets: stream.packetCount, bytes: stream.byteCount });
        }
      }
    }
    this.forwarded = forwarded;
    m.seatsPresent.set(seatsPresent);
    for (const kind of ['audio', 'video'] as const) {
      m.consumers.set({ kind }, consumers[kind]);
      for (const direction of ['in', 'out'] as const) m.streamBitrate.set({ direction, kind }, bitrate.get(`${direction}/${kind}`) ?? 0);
    }
  }
}
