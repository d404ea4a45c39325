import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeetingStore } from '../../../signaling/src/store/MeetingStore';
import { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, SfuHarness, waitForVideo, waitUntil } from '../sfu/sfuHarness';
import { ledgerSize, lostRecords, snapshotRecords } from './recordLedger';

const outageMs = 4_000;

/**
 * Redis (append-only file on, as `npm start` and the deploy run it) stopped for 4 s and started
 * again on the same port, under a running meeting: media never touches Redis, so the meeting
 * keeps running without loss; every record is still there afterwards; and a new meeting can be
 * joined once Redis is back (the SFU nodes re-register and re-subscribe by themselves).
 */
describe('fault: Redis restarted', () => {
  let sfu: SfuHarness;
  let bots: SeatBot[];

  beforeAll(async () => {
    sfu = await SfuHarness.start({ redisAppendOnly: true, sfuNodes: 2 });
    const { lawyer, detainee } = await sfu.meetingWithBots({ booked: true, receiveMode: 'headers' });
    bots = [lawyer, detainee];
    for (const bot of bots) await bot.start();
    await Promise.all(bots.map((bot) => waitForVideo(bot, 1_500_000)));
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('keeps the meeting running, loses no record, and admits new joins once Redis is back', async () => {
    const port = Number(new URL(sfu.platform.redisUrl).port);
    const ledger = await snapshotRecords(sfu.redis);
    expect(ledgerSize(ledger).bookings).toBeGreaterThan(0);
    expect(ledgerSize(ledger).auditEntries).toBeGreaterThan(0);
    const before = bots.map((bot) => bot.snapshot());

    await sfu.platform.redis!.stop();
    await new Promise((r) => setTimeout(r, outageMs));
    const restartedAt = performance.now();
    await sfu.platform.startRedis(port);

    // The running meeting did not notice.
    const during = bots.map((bot, i) => SeatBot.window(before[i]!, bot.snapshot()));
    for (const [i, window] of during.entries()) {
      expect(bots[i]!.state).toBe('joined');
      expect(bots[i]!.rejoins).toBe(0);
      expect(window.video.lossRatio).toBeLessThan(0.005);
      expect(window.video.bitrate).toBeGreaterThan(1_800_000);
    }

    // Every record survived the restart.
    await waitUntil(() => sfu.redis.status === 'ready', 10_000, 'the test’s Redis client to reconnect');
    expect(lostRecords(ledger, await snapshotRecords(sfu.redis))).toEqual([]);

    // Both SFU nodes are back in the registry, and a new meeting can be joined.
    await waitUntil(async () => (await Promise.all(sfu.platform.sfuNodeIds.map((id) => sfu.nodeStatus(id)))).every(Boolean), 10_000, 'both SFU nodes to re-register');
    console.log(`nodes re-registered ${Math.round(performance.now() - restartedAt)} ms`);
    const fresh = await sfu.meetingWithBots({ booked: true, receiveMode: 'headers' });
    const joinedAt = await waitUntil(async () => {
      const attempt = fresh.lawyer;
      try {
        await attempt.start();
        return performance.now();
      } catch (error) {
        console.log(`join attempt ${Math.round(performance.now() - restartedAt)} ms: ${String(error)}`);
        return undefined;
      }
    }, 15_000, 'a new join to succeed');
    await fresh.detainee.start();
    await Promise.all([waitForVideo(fresh.lawyer, 1_500_000), waitForVideo(fresh.detainee, 1_500_000)]);
    console.log(`Redis restarted: first new join ${Math.round(joinedAt - restartedAt)} ms after redis-server was started again`);
    expect(await new MeetingStore(sfu.redis).get(fresh.meeting.meetingId)).toBeDefined();
    for (const bot of bots) expect(bot.state).toBe('joined');
  }, 90_000);
});
