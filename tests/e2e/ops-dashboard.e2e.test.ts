import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, Platform, repoRoot } from '../../deploy/local/Platform';
import { PersonAccounts } from '../../signaling/src/auth/PersonAccounts';
import type { OpsMeeting } from '../../signaling/src/protocol';
import { OpsWatcher, personSession, scrape } from '../integration/ops/opsWatcher';
import { launchChromium, trackPeerConnections, waitFor } from '../support/browser';
import { MeetingFixtures, type FixtureMeeting } from '../support/meetingFixtures';
import { parsePrometheusText } from '../support/prometheusText';

/**
 * A real meeting between two Chromium pages (station seat, booth kiosk), seen by ops: the feed
 * carries the clients' own figures (720p decoded both ways) and the SFU's (bitrate, loss), the
 * first-frame histogram fills from the clients' reports, and the dashboard renders it in a third
 * Chromium, signed in as ops, with no media of any kind on the page.
 */
describe('ops dashboard over a real meeting', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-ops-e2e-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let meeting: FixtureMeeting;
  let metricsUrl: string;
  let watcher: OpsWatcher;
  const closers: (() => Promise<void>)[] = [];

  async function openSide(role: 'lawyer' | 'detainee'): Promise<Page> {
    const chromium = await launchChromium();
    closers.push(chromium.close);
    const page = await chromium.browser.newPage();
    // The terminal knows only its device credential; it hears its assignment and joins by itself.
    await fixtures.assign(meeting, role);
    const credential = role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential;
    await page.goto(`${platform.signalingUrl}/${role === 'lawyer' ? 'station' : 'booth'}/#credential=${credential}`);
    return page;
  }

  beforeAll(async () => {
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    platform = await Platform.start({ varDir: join(work, 'var'), env: { METRICS_PORT: String(metricsPort), SFU_HEALTH_INTERVAL_MS: '2000' } });
    fixtures = new MeetingFixtures(platform);
    meeting = await fixtures.meetingNow();
    await openSide('lawyer');
    await openSide('detainee');
    watcher = await OpsWatcher.open(platform.signalingUrl, personSession(fixtures.keys, 'ops'));
  }, 120_000);

  afterAll(async () => {
    watcher?.close();
    for (const close of closers) await close();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the feed shows the meeting with 720p decoded both ways, bitrate above 500 kb/s and no loss', async () => {
    const seen = await waitFor(
      async () => {
        const m = watcher.latest?.meetings.find((row) => row.meetingId === meeting.meetingId);
        const ok = (d: OpsMeeting['directions']['seat_to_booth'] | undefined) => d && d.received?.height === 720 && d.bitrateBps > 500_000;
        return m && ok(m.directions.seat_to_booth) && ok(m.directions.booth_to_seat) ? m : undefined;
      },
      60_000,
      'the meeting in the ops feed at 720p both ways',
    );
    console.log('ops feed, two Chromium pages:', JSON.stringify(seen.directions));
    for (const direction of ['seat_to_booth', 'booth_to_seat'] as const) {
      const d = seen.directions[direction];
      expect(d.received).toMatchObject({ width: 1280, height: 720 });
      expect(d.sent).toMatchObject({ width: 1280, height: 720 });
      expect(d.received!.fps).toBeGreaterThan(0); // the rate itself follows this shared machine's load; the state says when it is low
      expect(d.received!.audioPresent).toBe(true);
      expect(d.bitrateBps).toBeGreaterThan(500_000);
      expect(d.uplinkLoss).toBeLessThan(0.01);
      expect(d.downlinkLoss).toBeLessThan(0.01);
      expect(d.reasons.filter((r) => r.code === 'loss' || r.code === 'no_media' || r.code === 'absent')).toEqual([]);
    }

    const families = parsePrometheusText(await scrape(metricsUrl));
    const firstFrame = families.get('huijian_signaling_join_first_frame_seconds')!.samples;
    const count = firstFrame.filter((s) => s.name.endsWith('_count')).reduce((a, s) => a + s.value, 0);
    const sum = firstFrame.filter((s) => s.name.endsWith('_sum')).reduce((a, s) => a + s.value, 0);
    console.log(`join-to-first-frame: ${count} reports, mean ${(sum / count).toFixed(2)} s`);
    expect(count).toBe(2);
    expect(sum / count).toBeGreaterThan(0);
    expect(sum / count).toBeLessThan(30);
    expect(families.get('huijian_signaling_client_health_reports_total')!.samples.find((s) => s.labels.outcome === 'accepted')!.value).toBeGreaterThanOrEqual(2);
  });

  it('the dashboard signs in as ops, renders the meeting, nodes and sparklines, with no media on the page; screenshot for the README', async () => {
    await new PersonAccounts(fixtures.redis).create({ username: 'ops.duty', displayName: '值班运维', role: 'ops', password: 'correct horse battery' });
    const chromium = await launchChromium();
    closers.push(chromium.close);
    const page = await chromium.browser.newPage();
    await trackPeerConnections(page);
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.setViewport({ width: 1440, height: 900 });
    await page.goto(`${platform.signalingUrl}/ops/?lang=zh-CN`);
    await page.waitForSelector('form.sign-in');
    await page.type('input[name=username]', 'ops.duty');
    await page.type('input[name=password]', 'correct horse battery');
    await page.click('form.sign-in button[type=submit]');
    const row = `tr[data-meeting="${meeting.meetingId}"]`;
    await page.waitForSelector(row, { timeout: 20_000 });
    // Let the sparklines gather a few points.
    await waitFor(
      async () => ((await page.$eval(`${row} .spark-bitrate polyline`, (el) => el.getAttribute('points')?.split(' ').length ?? 0)) >= 6 ? true : undefined),
      30_000,
      'six points in the bitrate sparkline',
    );
    const rendered = await page.evaluate((selector) => {
      const r = document.querySelector(selector)!;
      return {
        station: r.querySelector('th')?.textContent,
        states: [...r.querySelectorAll('.direction .state')].map((e) => e.className),
        received: [...r.querySelectorAll('.received')].map((e) => e.textContent),
        nodes: document.querySelectorAll('.node-table tr.node').length,
        workers: document.querySelectorAll('.node-table tr.worker').length,
        filters: document.querySelectorAll('.filters select').length,
        heading: document.querySelector('#meetings-h')?.textContent,
        media: document.querySelectorAll('video, audio').length,
        peerConnections: (window as unknown as { __peerConnections: unknown[] }).__peerConnections.length,
      };
    }, row);
    expect(rendered).toMatchObject({ station: 'Station Test', nodes: 1, workers: 1, filters: 3, media: 0, peerConnections: 0 });
    expect(rendered.heading).toContain('进行中的会见');
    expect(rendered.states).toHaveLength(2);
    expect(rendered.received.every((text) => text?.includes('1280×720'))).toBe(true);
    mkdirSync(join(repoRoot, 'docs/screenshots'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'docs/screenshots/ops-dashboard.png') as `${string}.png`, fullPage: true });

    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('#meetings-h')?.textContent?.startsWith('Live meetings'));
    expect(cspViolations).toEqual([]);
  });
});
