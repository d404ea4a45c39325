import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../signaling/src/store/keys';
import { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, measure, SfuHarness, waitForVideo, waitUntil } from '../sfu/sfuHarness';
import { ledgerSize, lostRecords, snapshotRecords } from './recordLedger';
import { faultMark, videoBackAfter } from './recovery';

type Pair = { meetingId: string; lawyer: SeatBot; detainee: SeatBot };

/**
 * Two SFU nodes on one Redis, one meeting on each. One node is killed with SIGKILL (no drain, no
 * goodbye): signaling notices that it stopped listening, tells the seats of its meeting to rejoin,
 * and the join places the meeting on the surviving node. Both seats receive video again within
 * 5 s of the kill; the other meeting never notices; no meeting record or audit entry is lost.
 */
describe('fault: an SFU node killed', () => {
  let sfu: SfuHarness;
  const pairs: Record<'hit' | 'spared', Pair> = {} as never;

  beforeAll(async () => {
    sfu = await SfuHarness.start({ sfuNodes: 2 });
    for (const name of ['hit', 'spared'] as const) {
      const { meeting, lawyer, detainee } = await sfu.meetingWithBots({ booked: true, receiveMode: 'headers' });
      pairs[name] = { meetingId: meeting.meetingId, lawyer, detainee };
      await lawyer.start();
      await detainee.start();
      // Wait for the heartbeat to count it, so placement by load sends the next meeting elsewhere.
      await waitUntil(async () => (await Promise.all(sfu.platform.sfuNodeIds.map((id) => sfu.nodeStatus(id)))).reduce((n, s) => n + (s?.meetings ?? 0), 0) >= (name === 'hit' ? 1 : 2), 5_000, 'the heartbeat to count the meeting');
    }
    await Promise.all(Object.values(pairs).flatMap((p) => [p.lawyer, p.detainee]).map((bot) => waitForVideo(bot, 1_500_000)));
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('moves the killed node’s meeting to the other node; its seats get video back within 5 s', async () => {
    const placement = async (meetingId: string) => sfu.redis.get(keys.meetingNode(meetingId));
    const hitNode = (await placement(pairs.hit.meetingId))!;
    const sparedNode = (await placement(pairs.spared.meetingId))!;
    expect(new Set([hitNode, sparedNode])).toEqual(new Set(sfu.platform.sfuNodeIds)); // placed by load: one meeting per node
    const victim = sfu.platform.sfus[sfu.platform.sfuNodeIds.indexOf(hitNode)]!;
    const workerPids = (await sfu.nodeStatus(hitNode))!.workerLoad.map((w) => w.pid);
    const ledger = await snapshotRecords(sfu.redis);
    expect(ledgerSize(ledger).bookings).toBeGreaterThan(0);
    expect(ledgerSize(ledger).auditEntries).toBeGreaterThan(0);
    const sparedBefore = [pairs.spared.lawyer.snapshot(), pairs.spared.detainee.snapshot()];
    const marks = [faultMark(pairs.hit.lawyer), faultMark(pairs.hit.detainee)];

    victim.kill('SIGKILL');

    const recovery = await Promise.all([videoBackAfter(pairs.hit.lawyer, marks[0]!, 5_000), videoBackAfter(pairs.hit.detainee, marks[1]!, 5_000)]);
    console.log(`SFU node killed: video back after ${recovery.map((ms) => `${Math.round(ms)} ms`).join(' / ')} (lawyer / detainee)`);
    expect(Math.max(...recovery)).toBeLessThan(5_000);
    expect(pairs.hit.lawyer.rejoins).toBe(1);
    expect(pairs.hit.detainee.rejoins).toBe(1);
    expect(await placement(pairs.hit.meetingId)).toBe(sparedNode);

    // The moved meeting is whole again: 720p both ways without loss.
    await Promise.all([waitForVideo(pairs.hit.lawyer, 1_500_000), waitForVideo(pairs.hit.detainee, 1_500_000)]);
    for (const window of await Promise.all([measure(pairs.hit.lawyer, 3000), measure(pairs.hit.detainee, 3000)])) {
      expect(window.video.bitrate).toBeGreaterThan(1_800_000);
      expect(window.video.lossRatio).toBeLessThan(0.005);
      expect(window.audio.packets).toBeGreaterThan(120);
    }

    // The meeting on the surviving node saw nothing.
    for (const [i, bot] of [pairs.spared.lawyer, pairs.spared.detainee].entries()) {
      const window = SeatBot.window(sparedBefore[i]!, bot.snapshot());
      expect(bot.rejoins).toBe(0);
      expect(window.video.lossRatio).toBeLessThan(0.005);
    }

    // The killed node's workers went with it; no record was lost.
    await waitUntil(() => workerPids.every((pid) => !isAlive(pid)), 5_000, 'the killed node’s workers to exit');
    expect(lostRecords(ledger, await snapshotRecords(sfu.redis))).toEqual([]);
    expect(sfu.platform.sfus.find((p) => p !== victim)!.isRunning).toBe(true);
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
