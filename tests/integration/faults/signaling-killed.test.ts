import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, measure, SfuHarness, waitForVideo } from '../sfu/sfuHarness';
import { ledgerSize, lostRecords, snapshotRecords } from './recordLedger';
import { longestVideoGap } from './recovery';

/**
 * Two signaling instances on one Redis; the lawyer's seat is connected to the first, the booth to
 * the second. The first is killed (SIGKILL). The lawyer's seat connects to the second instance
 * and joins again; the meeting goes on on the same SFU node, both ways, within 5 s; the booth's
 * connection is never touched; no record is lost.
 */
describe('fault: a signaling instance killed', () => {
  let sfu: SfuHarness;
  let lawyer: SeatBot;
  let detainee: SeatBot;
  let meetingId: string;

  beforeAll(async () => {
    sfu = await SfuHarness.start({ signalingInstances: 2 });
    const [a, b] = sfu.platform.signalingUrls as [string, string];
    let meeting;
    ({ meeting, lawyer, detainee } = await sfu.meetingWithBots({ booked: true, receiveMode: 'headers', urls: { lawyer: a, detainee: b }, fallbackUrls: { lawyer: [b], detainee: [a] } }));
    meetingId = meeting.meetingId;
    await lawyer.start();
    await detainee.start();
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('the seat on the killed instance comes back through the other one and the meeting continues', async () => {
    const nodeBefore = (await sfu.control.call(sfu.nodeId, 'getStats', { meetingId })).worker;
    const ledger = await snapshotRecords(sfu.redis);
    expect(ledgerSize(ledger).bookings).toBeGreaterThan(0);
    expect(ledgerSize(ledger).auditEntries).toBeGreaterThan(0);

    sfu.platform.signalings[0]!.kill('SIGKILL');

    // The lawyer's seat closes its media when it sees the drop and opens it again after the new
    // join, so both sides see one gap in video; it must close well inside 5 s.
    const gaps = await Promise.all([longestVideoGap(lawyer, 6_000), longestVideoGap(detainee, 6_000)]);
    console.log(`signaling killed: longest video gap ${gaps.map((g) => `${Math.round(g.gapMs)} ms`).join(' / ')} (lawyer / detainee)`);
    for (const gap of gaps) {
      expect(gap.gapMs).toBeLessThan(5_000);
      expect(gap.flowingAtEnd).toBe(true);
    }
    expect(lawyer.reconnects).toBe(1);
    expect(detainee.reconnects).toBe(0);
    expect(lawyer.state).toBe('joined');

    // Same meeting on the same SFU node and worker, whole again both ways.
    expect((await sfu.control.call(sfu.nodeId, 'getStats', { meetingId })).worker).toBe(nodeBefore);
    await Promise.all([waitForVideo(lawyer, 1_500_000), waitForVideo(detainee, 1_500_000)]);
    for (const window of await Promise.all([measure(lawyer, 3000), measure(detainee, 3000)])) {
      expect(window.video.lossRatio).toBeLessThan(0.005);
      expect(window.audio.packets).toBeGreaterThan(120);
    }
    expect(lostRecords(ledger, await snapshotRecords(sfu.redis))).toEqual([]);
  }, 60_000);
});
