import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, measure, SfuHarness, waitForVideo } from '../sfu/sfuHarness';
import { ledgerSize, lostRecords, snapshotRecords } from './recordLedger';
import { faultMark, videoBackAfter } from './recovery';

const cutMs = 10_000;

/**
 * One seat's network cut for 10 s (its UDP media silently dropped both ways, its Socket.IO TCP
 * connection stalled), then restored. The seat keeps its seat and its connection; ICE (consent
 * checks) and the SFU's key-frame requests bring video back by themselves: both seats receive it
 * again within 3 s of the link's return, far inside the slot, and nothing is lost on record.
 */
describe('fault: one client’s network cut for 10 s', () => {
  let sfu: SfuHarness;
  let meetingEndsAt: number;
  let lawyer: SeatBot;
  let detainee: SeatBot;

  beforeAll(async () => {
    sfu = await SfuHarness.start();
    let meeting;
    ({ meeting, lawyer, detainee } = await sfu.meetingWithBots({ booked: true, receiveMode: 'headers' }));
    meetingEndsAt = meeting.endsAt;
    await lawyer.start();
    await detainee.start();
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('video comes back within 3 s of the link’s return, inside the slot', async () => {
    const ledger = await snapshotRecords(sfu.redis);
    expect(ledgerSize(ledger).bookings).toBeGreaterThan(0);

    const cut = lawyer.cutNetwork(cutMs);
    await new Promise((r) => setTimeout(r, 1000));
    // During the cut nothing reaches either side from the other (the detainee's video comes from the lawyer).
    const during = await Promise.all([measure(lawyer, 2000), measure(detainee, 2000)]);
    expect(during[0].video.packets).toBe(0);
    expect(during[1].video.packets).toBe(0);
    await cut;
    const marks = [faultMark(lawyer), faultMark(detainee)];

    const recovery = await Promise.all([videoBackAfter(lawyer, marks[0]!, 3_000), videoBackAfter(detainee, marks[1]!, 3_000)]);
    console.log(`network cut ${cutMs} ms: video back ${recovery.map((ms) => `${Math.round(ms)} ms`).join(' / ')} after the link returned (lawyer / detainee); rejoins ${lawyer.rejoins}/${detainee.rejoins}, reconnects ${lawyer.reconnects}/${detainee.reconnects}`);
    expect(Date.now()).toBeLessThan(meetingEndsAt);
    for (const bot of [lawyer, detainee]) expect(bot.state).toBe('joined');
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
    expect(lostRecords(ledger, await snapshotRecords(sfu.redis))).toEqual([]);
  }, 60_000);
});
