import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeatBot } from '../../load/SeatBot';
import { harnessStartMs, measure, SfuHarness, waitForVideo, waitUntil } from './sfuHarness';

/**
 * A mediasoup worker killed mid-meeting (SIGKILL to its PID): its meeting is re-created on a live
 * worker and both seats rejoin through signaling; the meeting on the other worker, the node
 * process and its Redis registration carry on as if nothing happened.
 */
describe('worker death mid-meeting', () => {
  let sfu: SfuHarness;
  const bots: Record<'hit' | 'spared', { meetingId: string; lawyer: SeatBot; detainee: SeatBot }> = {} as never;

  beforeAll(async () => {
    sfu = await SfuHarness.start({ sfuWorkers: 2 });
    for (const name of ['hit', 'spared'] as const) {
      const { meeting, lawyer, detainee } = await sfu.meetingWithBots();
      bots[name] = { meetingId: meeting.meetingId, lawyer, detainee };
      await lawyer.start();
      await detainee.start();
    }
    const all = Object.values(bots).flatMap((b) => [b.lawyer, b.detainee]);
    await Promise.all(all.map((bot) => waitForVideo(bot, 1_500_000)));
  }, harnessStartMs);
  afterAll(async () => sfu?.stop());

  it('re-creates the meeting on a live worker, the seats rejoin and media flows again; nothing else is touched', async () => {
    const hitWorker = (await sfu.control.call(sfu.nodeId, 'getStats', { meetingId: bots.hit.meetingId })).worker;
    const sparedWorker = (await sfu.control.call(sfu.nodeId, 'getStats', { meetingId: bots.spared.meetingId })).worker;
    expect(hitWorker).not.toBe(sparedWorker); // least-loaded placement spread the two meetings
    const before = await sfu.nodeStatus();
    const nodePid = sfu.platform.sfu!.pid;
    const victimPid = before!.workerLoad.find((w) => w.index === hitWorker)!.pid;
    const sparedPid = before!.workerLoad.find((w) => w.index === sparedWorker)!.pid;

    const sparedBefore = [bots.spared.lawyer.snapshot(), bots.spared.detainee.snapshot()];
    process.kill(victimPid, 'SIGKILL');

    const died = await sfu.waitForEvent('workerDied', (e) => e.pid === victimPid);
    expect(died.worker).toBe(hitWorker);
    const recreated = await sfu.waitForEvent('meetingRecreated', (e) => e.meetingId === bots.hit.meetingId);
    expect(recreated.nodeId).toBe(sfu.nodeId);
    expect(sfu.events.filter((e) => e.type === 'meetingRecreated').map((e) => (e as { meetingId: string }).meetingId)).toEqual([bots.hit.meetingId]);

    // Both seats of the hit meeting were told to rejoin, did, and receive 720p again.
    await waitUntil(() => bots.hit.lawyer.rejoins === 1 && bots.hit.detainee.rejoins === 1, 10_000, 'both seats to be told to rejoin');
    await waitUntil(() => bots.hit.lawyer.state === 'joined' && bots.hit.detainee.state === 'joined', 15_000, 'both seats to rejoin');
    await Promise.all([waitForVideo(bots.hit.lawyer, 1_500_000), waitForVideo(bots.hit.detainee, 1_500_000)]);
    const after = await Promise.all([measure(bots.hit.lawyer, 3000), measure(bots.hit.detainee, 3000)]);
    for (const window of after) {
      expect(window.video.bitrate).toBeGreaterThan(1_800_000);
      expect(window.video.lossRatio).toBeLessThan(0.005);
      expect(window.audio.packets).toBeGreaterThan(120);
    }

    // The other meeting never noticed: no rejoin, no loss across the whole episode.
    const sparedAfter = [bots.spared.lawyer.snapshot(), bots.spared.detainee.snapshot()];
    for (const [i, bot] of [bots.spared.lawyer, bots.spared.detainee].entries()) {
      const window = SeatBot.window(sparedBefore[i]!, sparedAfter[i]!);
      expect(bot.rejoins).toBe(0);
      expect(window.video.lossRatio).toBeLessThan(0.005);
      expect(window.video.bitrate).toBeGreaterThan(1_800_000);
    }

    // Same node process, still registered, two workers again: a new one in the dead one's slot.
    expect(sfu.platform.sfu!.isRunning).toBe(true);
    expect(sfu.platform.sfu!.pid).toBe(nodePid);
    const status = await waitUntil(async () => {
      const s = await sfu.nodeStatus();
      return s?.workerLoad.length === 2 && s.workerLoad.every((w) => w.pid !== victimPid) ? s : undefined;
    }, 10_000, 'the replacement worker in the heartbeat');
    expect(status.workerLoad.find((w) => w.index === sparedWorker)!.pid).toBe(sparedPid);
    expect(status.meetings).toBe(2);
    const metrics = await (await fetch(`http://127.0.0.1:${status.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/huijian_sfu_worker_deaths_total 1\b/);
    expect(metrics).toMatch(/huijian_sfu_meetings_recreated_total 1\b/);
  }, 120_000);
});
