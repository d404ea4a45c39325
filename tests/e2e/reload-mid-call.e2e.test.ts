import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { ledgerSize, lostRecords, snapshotRecords } from '../integration/faults/recordLedger';
import { centreColour, inboundStats, launchChromium, trackPeerConnections, waitFor } from '../support/browser';
import { blue, red, writeToneWav, writeY4m } from '../support/fakeMedia';
import { MeetingFixtures, type BookedMeeting } from '../support/meetingFixtures';

/**
 * Fault: the station page is reloaded in the middle of a call (a lawyer's F5, a crashed tab). The
 * page holds only its device credential; after the reload it hears its assignment again, joins,
 * replaces its own older connection, and both sides see each other again within 10 s, the booth
 * without doing anything. No booking or audit record is lost.
 */
describe('fault: browser reload mid-call', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-reload-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let meeting: BookedMeeting;
  const browsers: { close: () => Promise<void> }[] = [];
  let stationPage: Page;
  let boothPage: Page;

  /** The booth shows the station's red camera and its decoded frame count moves. */
  async function boothSeesStation(): Promise<boolean> {
    const first = await inboundStats(boothPage);
    await new Promise((r) => setTimeout(r, 300));
    const second = await inboundStats(boothPage);
    if (!first.video || !second.video || second.video.framesDecoded <= first.video.framesDecoded) return false;
    const [r, , b] = await centreColour(boothPage, '#remote-video');
    return r > 150 && b < 100;
  }

  async function stationFrames(): Promise<number> {
    return (await inboundStats(stationPage)).video?.framesDecoded ?? 0;
  }

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var') });
    fixtures = new MeetingFixtures(platform);
    meeting = await fixtures.bookedMeetingNow();
    const open = async (role: 'lawyer' | 'detainee') => {
      writeY4m(join(work, `${role}.y4m`), role === 'lawyer' ? red : blue);
      writeToneWav(join(work, `${role}.wav`), role === 'lawyer' ? 440 : 1000);
      const chromium = await launchChromium({ videoFile: join(work, `${role}.y4m`), audioFile: join(work, `${role}.wav`) });
      browsers.push(chromium);
      const page = await chromium.browser.newPage();
      await trackPeerConnections(page);
      const credential = role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential;
      await page.goto(`${platform.signalingUrl}/${role === 'lawyer' ? 'station' : 'booth'}/#credential=${credential}`);
      return page;
    };
    stationPage = await open('lawyer');
    boothPage = await open('detainee');
    await waitFor(async () => (await boothSeesStation()) && (await stationFrames()) > 30, 60_000, 'both sides to see each other');
  }, 180_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('both sides see each other again within 10 s of the reload', async () => {
    const ledger = await snapshotRecords(fixtures.redis);
    expect(ledgerSize(ledger).bookings).toBeGreaterThan(0);
    const started = Date.now();
    await stationPage.reload();
    // The reloaded page has new peer connections; its decoded frames start from zero.
    await waitFor(async () => (await stationFrames()) > 10, 10_000, 'the reloaded station to receive the booth');
    const stationBack = Date.now() - started;
    await waitFor(async () => boothSeesStation(), Math.max(1000, 10_000 - (Date.now() - started)), 'the booth to see the reloaded station');
    const boothBack = Date.now() - started;
    console.log(`reload mid-call: the station sees the booth after ${stationBack} ms, the booth sees the station after ${boothBack} ms`);
    expect(Math.max(stationBack, boothBack)).toBeLessThan(10_000);
    expect(lostRecords(ledger, await snapshotRecords(fixtures.redis))).toEqual([]);
  }, 60_000);
});
