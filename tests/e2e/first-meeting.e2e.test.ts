import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ControlClient } from '../../sfu-server/src/control/ControlClient';
import { Platform } from '../../deploy/local/Platform';
import { launchChromium, trackPeerConnections } from '../support/browser';
import { expectBothWaysAtOnce, expectHdMediaFrom } from '../support/mediaChecks';
import { blue, red, writeToneWav, writeY4m } from '../support/fakeMedia';
import type { Side } from '../support/mediaChecks';
import { MeetingFixtures } from '../support/meetingFixtures';

/**
 * The walking skeleton, end to end: a station seat and a booth kiosk in two Chromium instances,
 * each with its own file-backed camera colour and microphone tone, meet through the real
 * signaling, the real sfu-server (mediasoup worker, real DTLS) and a real Redis. Each page holds
 * only its device credential; it hears its assignment on the device channel and joins by itself.
 */
const lawyerSide = { colour: red, toneHz: 440 };
const detaineeSide = { colour: blue, toneHz: 1000 };

describe('first meeting: station seat and booth kiosk, HD both ways', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let meeting: Awaited<ReturnType<MeetingFixtures['meetingNow']>>;
  const browsers: { close: () => Promise<void> }[] = [];
  let stationPage: Page;
  let boothPage: Page;
  let stationBrowser: Browser;

  async function openSide(role: 'lawyer' | 'detainee', side: Side): Promise<{ page: Page; browser: Browser }> {
    const videoFile = join(work, `${role}.y4m`);
    const audioFile = join(work, `${role}.wav`);
    writeY4m(videoFile, side.colour);
    writeToneWav(audioFile, side.toneHz);
    const chromium = await launchChromium({ videoFile, audioFile });
    browsers.push(chromium);
    const page = await chromium.browser.newPage();
    await trackPeerConnections(page);
    await fixtures.assign(meeting, role);
    const credential = role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential;
    await page.goto(`${platform.signalingUrl}/${role === 'lawyer' ? 'station' : 'booth'}/#credential=${credential}`);
    return { page, browser: chromium.browser };
  }

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var') });
    fixtures = new MeetingFixtures(platform);
    meeting = await fixtures.meetingNow();
    const station = await openSide('lawyer', lawyerSide);
    const booth = await openSide('detainee', detaineeSide);
    stationPage = station.page;
    stationBrowser = station.browser;
    boothPage = booth.page;
  }, 120_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  for (const [name, receiver, sender, senderSide] of [
    ['the booth receives the station', () => boothPage, () => stationPage, lawyerSide],
    ['the station receives the booth', () => stationPage, () => boothPage, detaineeSide],
  ] as const) {
    it(`${name}: 1280x720 at >= 25 fps (or every frame a starved camera gives), the sender's colour, the sender's tone, audio packets flowing`, async () => {
      await expectHdMediaFrom(receiver(), sender(), senderSide);
    }, 90_000);
  }

  it('both ways at once: each decodes the other at 1280x720 in the same window', async () => {
    await expectBothWaysAtOnce(stationPage, boothPage);
  });

  it('refuses a third terminal handed a forged, an expired or another meeting’s token, and touches no room state', async () => {
    const redis = new Redis(platform.redisUrl);
    const seatHolders = async () => Promise.all(['lawyer', 'detainee'].map((role) => redis.get(`huijian:meeting:${meeting.meetingId}:seat:${role}`)));
    const holdersBefore = await seatHolders();
    expect(holdersBefore.every(Boolean)).toBe(true);

    // A registered third terminal whose assignment (written as the booking domain would) carries a bad token.
    const intruder = `seat-intruder-${meeting.meetingId}`;
    const intruderCredential = await fixtures.provision(intruder, 'seat');
    const past = Date.now() - 2 * 3600_000;
    const attempts = [
      { token: fixtures.forgedToken(meeting, 'lawyer', intruder), code: 'TOKEN_INVALID_SIGNATURE' },
      { token: fixtures.token(meeting, 'lawyer', { notBefore: past, expiresAt: past + 3600_000, deviceId: intruder }), code: 'TOKEN_EXPIRED' },
      {
        token: fixtures.token({ ...meeting, meetingId: 'another-meeting', bookingId: 'b-another' }, 'lawyer', { deviceId: intruder }),
        code: 'MEETING_NOT_FOUND',
      },
    ];
    const context = await stationBrowser.createBrowserContext();
    try {
      for (const { token, code } of attempts) {
        await fixtures.assign(meeting, 'lawyer', token, intruder);
        const page = await context.newPage();
        await page.goto(`${platform.signalingUrl}/station/#credential=${intruderCredential}`);
        await page.waitForSelector(`body[data-error="${code}"]`, { timeout: 15_000 });
        await page.close();
      }
    } finally {
      await context.close();
    }

    expect(await seatHolders()).toEqual(holdersBefore);
    const publisher = new Redis(platform.redisUrl);
    const subscriber = new Redis(platform.redisUrl);
    const control = new ControlClient(publisher, subscriber);
    await control.start();
    const { producers } = await control.call(platform.sfuNodeId, 'listProducers', { meetingId: meeting.meetingId });
    expect(producers.map((p) => `${p.seat}/${p.source}`).sort()).toEqual([
      'detainee/camera',
      'detainee/microphone',
      'lawyer/camera',
      'lawyer/microphone',
    ]);
    await control.stop();
    for (const client of [redis, publisher, subscriber]) client.disconnect();
  }, 60_000);
});
