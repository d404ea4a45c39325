import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { inboundStats, launchChromium, trackPeerConnections, waitFor } from '../support/browser';

/**
 * What `npm start` prints must work: the demo's two links (each carrying only a device
 * credential) open a station seat and a booth kiosk that find their meeting and join by themselves.
 */
describe('the demo links', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-demo-'));
  const browsers: { close: () => Promise<void> }[] = [];
  let platform: Platform;
  let links: { station: string; booth: string; meetingId: string; endsAt: number };
  const pages: Page[] = [];

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var'), demo: true });
    links = (await (await fetch(`${platform.signalingUrl}/api/demo/links`)).json()) as typeof links;
    for (const link of [links.station, links.booth]) {
      const chromium = await launchChromium();
      browsers.push(chromium);
      const page = await chromium.browser.newPage();
      await trackPeerConnections(page);
      await page.goto(link);
      pages.push(page);
    }
  }, 120_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('links carry a device credential in the fragment, never a booking token', () => {
    expect(links.station).toMatch(/\/station\/#credential=hjd1\.seat-[a-z0-9-]+\./);
    expect(links.booth).toMatch(/\/booth\/#credential=hjd1\.booth-[a-z0-9-]+\./);
    expect(links.endsAt).toBeGreaterThan(Date.now());
  });

  it('both pages join the demo meeting by themselves and receive each other’s video', async () => {
    for (const page of pages) {
      await page.waitForSelector('body[data-state="joined"]', { timeout: 60_000 });
      await waitFor(async () => ((await inboundStats(page)).video?.framesDecoded ?? 0) > 10, 60_000, 'remote video');
      // The credential left the address bar and stays on the terminal.
      expect(await page.evaluate(() => location.hash)).toBe('');
      expect(await page.evaluate(() => localStorage.getItem('deviceCredential'))).toMatch(/^hjd1\./);
    }
  }, 120_000);
});
