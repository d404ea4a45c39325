/**
 * Join to first remote frame with real Chromium pages, one pair at a time. The booth kiosk is in
 * the meeting; for each run a fresh station page opens (holding only its device credential, as
 * provisioned), hears its assignment, joins and receives the booth's 720p camera. The figure is
 * the time from asking the browser to navigate to the first remote video frame decoded (the
 * page's inbound-rtp `framesDecoded` > 0, polled through getStats every 10 ms plus the
 * call's own time, ≈ 10–30 ms): page load, device channel, gate, join, transports, DTLS, consume, key frame, decode.
 *
 *   flock /tmp/huijian-browser.lock bash tests/loopback-netns.sh node --import tsx tests/bench/first-frame.bench.ts [--runs 20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Platform } from '../../deploy/local/Platform';
import { inboundStats, launchChromium, trackPeerConnections, waitFor } from '../support/browser';
import { blue, red, writeToneWav, writeY4m } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(args.runs);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)] ?? 0;

const work = mkdtempSync(join(tmpdir(), 'huijian-first-frame-'));
const platform = await Platform.start({ varDir: join(work, 'var'), env: { RATE_JOINS_PER_DEVICE: '1000', RATE_ATTEMPTS_PER_IP: '100000' } });
const fixtures = new MeetingFixtures(platform);
const browsers: { close: () => Promise<void> }[] = [];
try {
  const meeting = await fixtures.meetingNow();
  for (const role of ['lawyer', 'detainee'] as const) {
    writeY4m(join(work, `${role}.y4m`), role === 'lawyer' ? red : blue);
    writeToneWav(join(work, `${role}.wav`), role === 'lawyer' ? 440 : 1000);
    await fixtures.assign(meeting, role);
  }
  const booth = await launchChromium({ videoFile: join(work, 'detainee.y4m'), audioFile: join(work, 'detainee.wav') });
  const station = await launchChromium({ videoFile: join(work, 'lawyer.y4m'), audioFile: join(work, 'lawyer.wav') });
  browsers.push(booth, station);
  const boothPage = await booth.browser.newPage();
  await trackPeerConnections(boothPage);
  await boothPage.goto(`${platform.signalingUrl}/booth/#credential=${meeting.boothCredential}`);
  await waitFor(async () => (await fixtures.store.seatHolder(meeting.meetingId, 'detainee')) !== undefined, 30_000, 'the booth to be in the meeting');

  const times: number[] = [];
  console.log(`# join → first remote frame, station page opened ${runs} times against a booth already in the meeting`);
  for (let run = 1; run <= runs; run++) {
    const context = await station.browser.createBrowserContext();
    const page = await context.newPage();
    await trackPeerConnections(page);
    const started = performance.now();
    await page.goto(`${platform.signalingUrl}/station/#credential=${meeting.seatCredential}`, { waitUntil: 'domcontentloaded' });
    // Milestones on the way, for the breakdown: page loaded, first RTCPeerConnection, first one connected.
    const loaded = performance.now() - started;
    let firstPc: number | undefined;
    let connected: number | undefined;
    const pcState = () =>
      page.evaluate(() => {
        const pcs = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
        return { created: pcs.length > 0, connected: pcs.some((pc) => pc.connectionState === 'connected') };
      });
    while (((await inboundStats(page).catch(() => ({}) as Awaited<ReturnType<typeof inboundStats>>)).video?.framesDecoded ?? 0) === 0) {
      if (performance.now() - started > 30_000) throw new Error(`run ${run}: no remote frame within 30 s`);
      const state = await pcState().catch(() => ({ created: false, connected: false }));
      if (state.created) firstPc ??= performance.now() - started;
      if (state.connected) connected ??= performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
    const at = performance.now() - started;
    times.push(at);
    const ms = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(0)}`);
    console.log(`run ${String(run).padStart(2)}: ${at.toFixed(0)} ms  (page loaded ${ms(loaded)}, first peer connection ${ms(firstPc)}, connected ${ms(connected)})`);
    await context.close();
    await new Promise((r) => setTimeout(r, 1500));
  }
  console.log(`\njoin → first remote frame over ${runs} runs: p50 ${quantile(times, 0.5).toFixed(0)} ms, p95 ${quantile(times, 0.95).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)} (goal p50 ≤ 400, p95 ≤ 800)`);
} finally {
  for (const browser of browsers) await browser.close();
  await fixtures.close();
  await platform.stop();
  rmSync(work, { recursive: true, force: true });
}
