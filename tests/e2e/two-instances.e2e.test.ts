import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { centreColour, inboundStats, launchChromium, trackPeerConnections, waitFor } from '../support/browser';
import { blue, red, writeToneWav, writeY4m } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';

/**
 * Two signaling instances against one Redis: the station seat page is served by, and signals
 * through, instance A; the booth kiosk page by instance B. Each terminal holds only its device
 * credential, hears its assignment on the device channel and joins by itself; media flows both
 * ways through the one SFU node that holds the meeting.
 */
describe('two signaling instances: seat on one, booth on the other', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-two-'));
  const browsers: { close: () => Promise<void> }[] = [];
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let stationPage: Page;
  let boothPage: Page;

  async function open(url: string, page: 'station' | 'booth', credential: string, colour: typeof red): Promise<Page> {
    const videoFile = join(work, `${page}.y4m`);
    const audioFile = join(work, `${page}.wav`);
    writeY4m(videoFile, colour);
    writeToneWav(audioFile, page === 'station' ? 440 : 1000);
    const chromium = await launchChromium({ videoFile, audioFile });
    browsers.push(chromium);
    const tab = await chromium.browser.newPage();
    await trackPeerConnections(tab);
    await tab.goto(`${url}/${page}/#credential=${credential}`);
    return tab;
  }

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var'), signalingInstances: 2 });
    fixtures = new MeetingFixtures(platform);
    const meeting = await fixtures.meetingNow();
    await fixtures.assign(meeting, 'lawyer');
    await fixtures.assign(meeting, 'detainee');
    const [urlA, urlB] = platform.signalingUrls as [string, string];
    stationPage = await open(urlA, 'station', meeting.seatCredential, red);
    boothPage = await open(urlB, 'booth', meeting.boothCredential, blue);
  }, 120_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the two instances are distinct processes on distinct ports', () => {
    expect(platform.signalings).toHaveLength(2);
    expect(new Set(platform.signalingUrls).size).toBe(2);
    expect(platform.signalings[0]!.pid).not.toBe(platform.signalings[1]!.pid);
  });

  for (const [name, receiver, colour] of [
    ['the booth (instance B) receives the station (instance A)', () => boothPage, red],
    ['the station (instance A) receives the booth (instance B)', () => stationPage, blue],
  ] as const) {
    it(`${name}: decoded video of the sender's colour and flowing audio`, async () => {
      const page = receiver();
      const first = await waitFor(
        async () => {
          const stats = await inboundStats(page);
          return stats.video && stats.video.framesDecoded > 30 && stats.audio ? stats : undefined;
        },
        60_000,
        'video and audio to arrive',
      ).catch(async (error: unknown) => {
        const screen = await page.$eval('body', (body) => `${body.dataset.state}: ${document.getElementById('status')?.textContent}`);
        throw new Error(`${String(error)}; the page says ${screen}; stats ${JSON.stringify(await inboundStats(page))}`);
      });
      // Frames keep coming (frame rate is first-meeting's business; a co-tenant's load may slow the fake camera here).
      await new Promise((r) => setTimeout(r, 3000));
      const later = await inboundStats(page);
      expect(later.video!.framesDecoded).toBeGreaterThan(first.video!.framesDecoded + 10);
      expect(later.audio!.packetsReceived).toBeGreaterThan(first.audio!.packetsReceived + 50);
      const [r, g, b] = await centreColour(page, '#remote-video');
      expect(Math.abs(r - colour.rgb[0]), `red channel of ${colour.name}`).toBeLessThan(40);
      expect(Math.abs(g - colour.rgb[1]), `green channel of ${colour.name}`).toBeLessThan(40);
      expect(Math.abs(b - colour.rgb[2]), `blue channel of ${colour.name}`).toBeLessThan(40);
      expect(await page.$eval('body', (body) => body.dataset.state)).toBe('joined');
    }, 90_000);
  }
});
