import type { MeetingHealth, Seat, StreamHealth } from '@huijian/sfu-server/control';
import type { ClientHealth, DirectionHealth, FlowDirection, HealthReason, HealthState, HealthWhere } from '../protocol';

/** Where a direction turns degraded or poor. A direction with nothing arriving is lost. */
export interface HealthThresholds {
  loss: { degraded: number; poor: number };
  rttMs: { degraded: number; poor: number };
  /** A picture that has not changed this long (ms). */
  stallMs: { degraded: number; poor: number };
  /** Received frame rate below these (only while video arrives). */
  fps: { degraded: number; poor: number };
  /** Share of audio the receiver had to conceal. */
  concealed: { degraded: number; poor: number };
  /** Below this many bits per second a direction carries no media. */
  noMediaBps: number;
}

export const defaultThresholds: HealthThresholds = {
  loss: { degraded: 0.02, poor: 0.1 },
  rttMs: { degraded: 250, poor: 400 },
  stallMs: { degraded: 1000, poor: 2000 },
  fps: { degraded: 15, poor: 8 },
  concealed: { degraded: 0.05, poor: 0.2 },
  noMediaBps: 8000,
};

const stateRank: Record<HealthState, number> = { good: 0, degraded: 1, poor: 2, lost: 3 };
export const worseState = (a: HealthState, b: HealthState): HealthState => (stateRank[a] >= stateRank[b] ? a : b);

/** A client's report and when it arrived. */
export interface ReceivedReport {
  report: ClientHealth;
  at: number;
}

const ends: Record<FlowDirection, { sender: Seat; receiver: Seat }> = {
  seat_to_booth: { sender: 'lawyer', receiver: 'detainee' },
  booth_to_seat: { sender: 'detainee', receiver: 'lawyer' },
};
const place: Record<Seat, 'seat' | 'booth'> = { lawyer: 'seat', detainee: 'booth' };
/** The streams that make a meeting: the document camera is extra and does not set the state. */
const isMain = (s: StreamHealth) => s.source === 'camera' || s.source === 'microphone';
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/**
 * One direction of a meeting from the SFU's figures (the sender's producers = its uplink, the
 * receiver's consumers = its downlink) and both ends' own reports (`reports`, fresh ones only).
 */
export function directionHealth(
  meeting: MeetingHealth,
  direction: FlowDirection,
  reports: Partial<Record<Seat, ClientHealth>>,
  thresholds: HealthThresholds = defaultThresholds,
): DirectionHealth {
  const { sender, receiver } = ends[direction];
  const from = place[sender];
  const to = place[receiver];
  const uplink = meeting.seats[sender].inbound.filter(isMain);
  const downlink = meeting.seats[receiver].outbound.filter(isMain);
  const sent = reports[sender]?.sent.video;
  const got = reports[receiver]?.received;

  const reasons: HealthReason[] = [];
  const add = (state: HealthReason['state'], code: HealthReason['code'], where: HealthWhere, text: string, value?: number) =>
    reasons.push({ state, code, where, text, ...(value === undefined ? {} : { value }) });
  const grade = (value: number, levels: { degraded: number; poor: number }): HealthReason['state'] | undefined =>
    value >= levels.poor ? 'poor' : value >= levels.degraded ? 'degraded' : undefined;

  const bitrateBps = sum(downlink.map((s) => (s.paused ? 0 : s.bitrate)));
  const uplinkLoss = max(uplink.map((s) => s.fractionLost));
  const downlinkLoss = max(downlink.map((s) => s.fractionLost));
  const rtts = [...uplink, ...downlink].flatMap((s) => (s.rttMs === undefined ? [] : [s.rttMs]));
  const clientRtts = [reports[sender]?.rttMs, reports[receiver]?.rttMs].filter((v): v is number => v !== undefined);
  const rttMs = rtts.length + clientRtts.length > 0 ? Math.max(...rtts, ...clientRtts) : undefined;
  const jitters = [...uplink, ...downlink].map((s) => s.jitterMs);
  const scores = [...uplink, ...downlink].map((s) => s.score);

  if (!meeting.seats[sender].present) add('lost', 'absent', from, `${from} not connected`);
  else if (!meeting.seats[receiver].present) add('lost', 'absent', to, `${to} not connected`);
  else {
    const video = downlink.find((s) => s.kind === 'video');
    const videoBps = video && !video.paused ? video.bitrate : 0;
    const upVideoBps = sum(uplink.filter((s) => s.kind === 'video').map((s) => s.bitrate));
    if (upVideoBps < thresholds.noMediaBps) add('lost', 'no_media', `${from}_uplink`, `no video from ${from}`, upVideoBps);
    else if (videoBps < thresholds.noMediaBps) add('lost', 'no_media', `${to}_downlink`, `no video reaching ${to}`, videoBps);

    const upLossState = grade(uplinkLoss, thresholds.loss);
    if (upLossState) add(upLossState, 'loss', `${from}_uplink`, `${from} uplink loss ${percent(uplinkLoss)}`, uplinkLoss);
    // The receiver reports every gap, including those already on the sender's uplink: only the excess is the downlink's.
    const downlinkOwnLoss = Math.max(0, downlinkLoss - uplinkLoss);
    const downLossState = grade(downlinkOwnLoss, thresholds.loss);
    if (downLossState) add(downLossState, 'loss', `${to}_downlink`, `${to} downlink loss ${percent(downlinkOwnLoss)}`, downlinkOwnLoss);
    const upRtt = max(uplink.flatMap((s) => (s.rttMs === undefined ? [] : [s.rttMs])).concat(reports[sender]?.rttMs ?? []));
    const downRtt = max(downlink.flatMap((s) => (s.rttMs === undefined ? [] : [s.rttMs])).concat(reports[receiver]?.rttMs ?? []));
    const [rttWhere, worstRtt] = upRtt >= downRtt ? ([`${from}_uplink`, upRtt] as const) : ([`${to}_downlink`, downRtt] as const);
    const rttState = grade(worstRtt, thresholds.rttMs);
    if (rttState) add(rttState, 'rtt', rttWhere, `${rttWhere.replace('_', ' ')} RTT ${Math.round(worstRtt)} ms`, worstRtt);

    if (got?.video) {
      const stalled = Math.max(got.video.stalledMs, got.video.freezes > 0 ? got.video.freezeMs / got.video.freezes : 0);
      const stallState = grade(stalled, thresholds.stallMs);
      if (stallState) add(stallState, 'freeze', to, `${to} picture frozen ${(stalled / 1000).toFixed(1)} s`, stalled);
      if (got.video.fps > 0 || videoBps >= thresholds.noMediaBps) {
        const fpsState = gradeBelow(got.video.fps, thresholds.fps);
        if (fpsState) add(fpsState, 'low_fps', to, `${to} receives ${Math.round(got.video.fps)} fps`, got.video.fps);
      }
    }
    if (got?.audio) {
      const concealedState = grade(got.audio.concealedRatio, thresholds.concealed);
      if (concealedState) add(concealedState, 'audio_concealed', to, `${to} audio concealed ${percent(got.audio.concealedRatio)}`, got.audio.concealedRatio);
    }
  }

  const state = reasons.reduce<HealthState>((worst, r) => worseState(worst, r.state), 'good');
  reasons.sort((a, b) => stateRank[b.state] - stateRank[a.state]);
  return {
    state,
    reasons,
    bitrateBps: Math.round(bitrateBps),
    uplinkLoss,
    downlinkLoss,
    ...(rttMs === undefined ? {} : { rttMs: Math.round(rttMs) }),
    ...(jitters.length > 0 ? { jitterMs: Math.max(...jitters) } : {}),
    ...(scores.length > 0 ? { score: Math.min(...scores) } : {}),
    ...(sent ? { sent: { width: sent.width, height: sent.height, fps: sent.fps, limitation: sent.limitation } } : {}),
    ...(got?.video || got?.audio
      ? {
          received: {
            width: got.video?.width ?? 0,
            height: got.video?.height ?? 0,
            fps: got.video?.fps ?? 0,
            freezes: got.video?.freezes ?? 0,
            freezeMs: got.video?.freezeMs ?? 0,
            stalledMs: got.video?.stalledMs ?? 0,
            decodeMs: got.video?.decodeMs ?? 0,
            ...(got.audio ? { audioPresent: got.audio.present, concealedRatio: got.audio.concealedRatio } : {}),
          },
        }
      : {}),
  };
}

function gradeBelow(value: number, levels: { degraded: number; poor: number }): HealthReason['state'] | undefined {
  return value < levels.poor ? 'poor' : value < levels.degraded ? 'degraded' : undefined;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function max(values: number[]): number {
  return values.length > 0 ? Math.max(...values) : 0;
}
