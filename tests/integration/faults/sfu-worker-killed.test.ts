import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, measure, SfuHarness, waitForVideo } from '../sfu/sfuHarness';
import { ledgerSize, lostRecords, snapshotRecords } from './recordLedger';
import { faultMark, videoBackAfter } from './recovery';

/**
 * A mediasoup worker killed (SIGKILL) under a running meeting: the node re-creates the meeting on
 * its other worker, the seats rejoin, and video flows again within 2 s of the kill. (The full
 * account of what else stays untouched is tests/integration/sfu/worker-death.test.ts.)
 */
describe('fault: an SFU worker killed', () => {
  let sfu: SfuHarness;
  let meetingId: string;
  let bots: SeatBot[];

  beforeAll(async () => {
    sfu = await SfuHarness.start({ sfuWorkers: 2 });
    const { meeting, lawyer, detainee } = await sfu.meetingWithBots({ booked: true, receiveMode: 'headers' });
    meetingId = meeting.meetingId;
    bots = [lawyer, detainee];
    for (const bot of bots) await bot.start();
    await Promise.all(bots.map((bot) => waitForVideo(bot, 1_500_000)));
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('media flows again within 2 s', async () => {
    const { worker } = await sfu.control.call(sfu.nodeId, 'getStats', { meetingId });
    const victimPid = (await sfu.nodeStatus())!.workerLoad.find((w) => w.index === worker)!.pid;
    const ledger = await snapshotRecords(sfu.redis);
    expect(ledgerSize(ledger).bookings).toBeGreaterThan(0);
    expect(ledgerSize(ledger).auditEntries).toBeGreaterThan(0);
    const marks = bots.map((bot) => faultMark(bot));

    process.kill(victimPid, 'SIGKILL');

    const recovery = await Promise.all(bots.map((bot, i) => videoBackAfter(bot, marks[i]!, 2_000)));
    console.log(`SFU worker killed: video back after ${recovery.map((ms) => `${Math.round(ms)} ms`).join(' / ')} (lawyer / detainee)`);
    expect(Math.max(...recovery)).toBeLessThan(2_000);
    expect(bots.map((bot) => bot.rejoins)).toEqual([1, 1]);
    expect((await sfu.control.call(sfu.nodeId, 'getStats', { meetingId })).worker).not.toBe(worker);
    for (const window of await Promise.all(bots.map((bot) => measure(bot, 2000)))) expect(window.video.packets).toBeGreaterThan(200);
    expect(lostRecords(ledger, await snapshotRecords(sfu.redis))).toEqual([]);
  }, 60_000);
});
