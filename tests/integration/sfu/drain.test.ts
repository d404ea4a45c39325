import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../signaling/src/store/keys';
import { harnessStartMs, measure, outcome, SfuHarness, waitForVideo, waitUntil } from './sfuHarness';

/**
 * SIGTERM drains a node: its heartbeat says `draining` at once and no new meeting is placed on it,
 * while the meetings it has keep running; it exits 0 when their seats leave, or at the deadline
 * (then the seats are told to rejoin and land on another node).
 */
describe('draining an SFU node', () => {
  let sfu: SfuHarness;
  beforeAll(async () => {
    sfu = await SfuHarness.start();
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('places no new meeting on a draining node, keeps its meetings running, and exits 0 when they end', async () => {
    const first = await sfu.meetingWithBots();
    await first.lawyer.start();
    await first.detainee.start();
    await Promise.all([waitForVideo(first.lawyer, 1_500_000), waitForVideo(first.detainee, 1_500_000)]);
    expect(await sfu.fixtures.redis.get(keys.meetingNode(first.meeting.meetingId))).toBe(sfu.nodeId);
    const other = await sfu.startExtraNode();

    const draining = sfu.platform.sfu!;
    draining.kill('SIGTERM');
    await waitUntil(async () => (await sfu.nodeStatus())?.draining, 3000, 'the heartbeat to say draining');
    expect(await sfu.waitForEvent('nodeDraining', (e) => e.nodeId === sfu.nodeId)).toBeTruthy();

    // A new meeting goes to the other node; asking the draining one directly is refused.
    const second = await sfu.meetingWithBots();
    await second.lawyer.start();
    await second.detainee.start();
    expect(await sfu.fixtures.redis.get(keys.meetingNode(second.meeting.meetingId))).toBe(other.nodeId);
    await Promise.all([waitForVideo(second.lawyer, 1_500_000), waitForVideo(second.detainee, 1_500_000)]);
    expect(await outcome(sfu.control.call(sfu.nodeId, 'createMeeting', { meetingId: 'after-drain' }))).toBe('NODE_DRAINING');

    // The existing meeting still runs on the draining node, undisturbed.
    const during = await Promise.all([measure(first.lawyer, 3000), measure(first.detainee, 3000)]);
    for (const window of during) {
      expect(window.video.bitrate).toBeGreaterThan(1_800_000);
      expect(window.video.lossRatio).toBeLessThan(0.005);
    }
    expect(draining.isRunning).toBe(true);

    // Its seats leave: the node exits 0 by itself and leaves the registry.
    await first.lawyer.stop();
    await first.detainee.stop();
    const exit = await Promise.race([draining.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await sfu.nodeStatus()).toBeUndefined();
    expect(sfu.events.some((e) => e.type === 'meetingClosed' && e.nodeId === sfu.nodeId)).toBe(false);
  }, 120_000);

  it('at the deadline closes what is left and sends its seats to another node', async () => {
    const node = await sfu.startExtraNode({ SFU_DRAIN_DEADLINE_MS: '2000' });
    // Only this node and the one from the first test are live; make sure the meeting lands here.
    const busy = await sfu.nodeStatus(node.nodeId);
    expect(busy?.draining).toBe(false);
    const { meeting, lawyer, detainee } = await sfu.meetingWithBots();
    await sfu.fixtures.redis.set(keys.meetingNode(meeting.meetingId), node.nodeId);
    await lawyer.start();
    await detainee.start();
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
    const started = Date.now();
    node.process.kill('SIGTERM');
    const exit = await node.process.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await sfu.waitForEvent('meetingClosed', (e) => e.meetingId === meeting.meetingId)).toMatchObject({ reason: 'drain_deadline', nodeId: node.nodeId });

    // Told to rejoin, both seats land on the remaining node and exchange 720p again.
    await waitUntil(() => lawyer.rejoins === 1 && detainee.rejoins === 1 && lawyer.state === 'joined' && detainee.state === 'joined', 15_000, 'both seats to rejoin').catch((e) => {
      throw e;
    });
    expect(await sfu.fixtures.redis.get(keys.meetingNode(meeting.meetingId))).not.toBe(node.nodeId);
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
  }, 120_000);
});
