import type { MeetingHealth, SeatHealth, StreamHealth } from '@huijian/sfu-server/control';
import { describe, expect, it } from 'vitest';
import type { ClientHealth } from '../protocol';
import { directionHealth } from './meetingHealth';

const stream = (over: Partial<StreamHealth> = {}): StreamHealth => ({
  source: 'camera',
  kind: 'video',
  bitrate: 1_500_000,
  packetsLost: 0,
  fractionLost: 0,
  jitterMs: 3,
  rttMs: 2,
  nackCount: 0,
  pliCount: 0,
  firCount: 0,
  score: 10,
  ...over,
});
const seat = (inbound: StreamHealth[], outbound: StreamHealth[], present = true): SeatHealth => ({ present, inbound, outbound });
const audio = (over: Partial<StreamHealth> = {}) => stream({ source: 'microphone', kind: 'audio', bitrate: 40_000, ...over });

function meeting(lawyer: SeatHealth, detainee: SeatHealth): MeetingHealth {
  return { meetingId: 'm-1', worker: 0, seats: { lawyer, detainee } };
}
const healthy = () => seat([stream(), audio()], [stream(), audio()]);

const received = (over: Partial<NonNullable<ClientHealth['received']['video']>> = {}): ClientHealth => ({
  intervalMs: 5000,
  sent: {},
  received: {
    video: { width: 1280, height: 720, fps: 30, bitrateBps: 1_500_000, freezes: 0, freezeMs: 0, stalledMs: 0, decodeMs: 3, packetsLost: 0, ...over },
    audio: { present: true, concealedRatio: 0, bitrateBps: 40_000, packetsLost: 0 },
  },
});

describe('directionHealth', () => {
  it('is good when media flows without loss, with the delivered bitrate', () => {
    const health = directionHealth(meeting(healthy(), healthy()), 'seat_to_booth', { detainee: received() });
    expect(health.state).toBe('good');
    expect(health.reasons).toEqual([]);
    expect(health.bitrateBps).toBe(1_540_000);
    expect(health.received).toMatchObject({ width: 1280, height: 720, fps: 30, audioPresent: true });
  });

  it('names the leg: booth uplink loss 6% degrades booth→seat only', () => {
    const booth = seat([stream({ fractionLost: 0.06 }), audio()], [stream(), audio()]);
    const m = meeting(healthy(), booth);
    const up = directionHealth(m, 'booth_to_seat', {});
    expect(up.state).toBe('degraded');
    expect(up.reasons[0]).toMatchObject({ code: 'loss', where: 'booth_uplink', text: 'booth uplink loss 6%' });
    expect(directionHealth(m, 'seat_to_booth', {}).state).toBe('good');
  });

  it('counts only the excess of downlink over uplink loss against the downlink', () => {
    const both = meeting(seat([stream({ fractionLost: 0.08 }), audio()], [stream(), audio()]), seat([stream(), audio()], [stream({ fractionLost: 0.09 }), audio()]));
    const reasons = directionHealth(both, 'seat_to_booth', {}).reasons.map((r) => r.text);
    expect(reasons).toEqual(['seat uplink loss 8%']);
  });

  it('is poor with heavy downlink loss, a long freeze or a high RTT', () => {
    const lossy = meeting(healthy(), seat([stream(), audio()], [stream({ fractionLost: 0.15 }), audio()]));
    expect(directionHealth(lossy, 'seat_to_booth', {}).reasons[0]?.text).toBe('booth downlink loss 15%');
    expect(directionHealth(lossy, 'seat_to_booth', {}).state).toBe('poor');
    const frozen = directionHealth(meeting(healthy(), healthy()), 'seat_to_booth', { detainee: received({ stalledMs: 3000 }) });
    expect(frozen).toMatchObject({ state: 'poor', reasons: [{ code: 'freeze', where: 'booth' }] });
    const far = meeting(seat([stream({ rttMs: 450 }), audio()], [stream(), audio()]), healthy());
    expect(directionHealth(far, 'seat_to_booth', {}).reasons[0]).toMatchObject({ code: 'rtt', where: 'seat_uplink', state: 'poor' });
  });

  it('is lost when no video arrives or a seat is absent', () => {
    const silent = meeting(seat([audio()], [stream(), audio()]), healthy());
    expect(directionHealth(silent, 'seat_to_booth', {})).toMatchObject({ state: 'lost', reasons: [{ code: 'no_media', where: 'seat_uplink' }] });
    const paused = meeting(healthy(), seat([stream(), audio()], [stream({ paused: true }), audio()]));
    expect(directionHealth(paused, 'seat_to_booth', {}).reasons[0]).toMatchObject({ code: 'no_media', where: 'booth_downlink' });
    const alone = meeting(healthy(), seat([], [], false));
    expect(directionHealth(alone, 'seat_to_booth', {})).toMatchObject({ state: 'lost', reasons: [{ code: 'absent', where: 'booth' }] });
  });

  it('ignores the document camera for the state', () => {
    const m = meeting(seat([stream(), audio(), stream({ source: 'document', fractionLost: 0.5 })], [stream(), audio()]), healthy());
    expect(directionHealth(m, 'seat_to_booth', {}).state).toBe('good');
  });
});
