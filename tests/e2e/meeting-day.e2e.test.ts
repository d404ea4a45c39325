import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { centreColour, dominantFrequency, inboundStats, launchChromium, trackPeerConnections, waitFor } from '../support/browser';
import { blue, red, writeToneWav, writeY4m, type TestColour } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';
import { expectColour } from '../support/mediaChecks';
import { screenshot, signIn, watchPage } from '../support/screens';

/**
 * A meeting's day through the people's screens, each a real page on the real platform:
 * the lawyer books in the portal; the station officer checks the lawyer in at the console and the
 * seat terminal shows the assignment with its pre-call check; the detention officer seats the
 * detainee and the booth kiosk joins by itself; both see and hear each other (colour and tone
 * checked); the lawyer shows a document (a screen share) and the booth receives it as a second
 * video; reloading the seat mid-call rejoins the same meeting within 3 s; the slot's warnings
 * appear; the slot end closes both screens; the lawyer's rating is saved.
 *
 * The slot is short: the center's rules (BOOKING_POLICIES) offer one 2-minute slot starting two
 * minutes or so after the platform starts, seats may join 45 s ahead, and the warnings come at
 * 90 and 30 s before the end. 640x360 media: the HD assertions live in first-meeting.
 */
const password = 'meeting-day-password';
const zone = 'Asia/Shanghai';
const lawyerSide = { colour: red, toneHz: 440 };
const detaineeSide = { colour: blue, toneHz: 1000 };
const slotMinutes = 2;
const joinLeadSeconds = 45;
const warningSeconds = [90, 30];
const seatId = 'seat-hdc-2';

/** The first whole minute at least `leadMs` from now. */
function slotStartAfter(leadMs: number): number {
  return Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
}

function local(epoch: number): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(epoch)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Inbound video tracks of the page with frames decoded, widest first. */
async function decodingVideos(page: Page): Promise<{ width: number; height: number; frames: number }[]> {
  return page.evaluate(async () => {
    const found: { width: number; height: number; frames: number }[] = [];
    for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && Number(s.framesDecoded) > 0) {
          found.push({ width: Number(s.frameWidth), height: Number(s.frameHeight), frames: Number(s.framesDecoded) });
        }
      });
    }
    return found.sort((a, b) => b.width - a.width);
  });
}

describe('a meeting day through the people’s screens', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-day-'));
  const startsAt = slotStartAfter(130_000);
  const endsAt = startsAt + slotMinutes * 60_000;
  const slot = local(startsAt);
  let platform: Platform;
  let fixtures: MeetingFixtures;
  const closers: (() => Promise<void>)[] = [];
  const health: { problems: string[] }[] = [];
  let staff: Browser;
  let seatBrowser: Browser;
  let portal: Page;
  let seat: Page;
  let booth: Page;
  let bookingId = '';
  let meetingId = '';

  async function terminalBrowser(side: { colour: TestColour; toneHz: number }, name: string): Promise<Browser> {
    const media = { videoFile: join(work, `${name}.y4m`), audioFile: join(work, `${name}.wav`) };
    writeY4m(media.videoFile, side.colour, 640, 360);
    writeToneWav(media.audioFile, side.toneHz);
    const chromium = await launchChromium(media);
    closers.push(chromium.close);
    return chromium.browser;
  }

  async function newPage(browser: Browser, name: string, width = 1280, height = 720): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width, height });
    await trackPeerConnections(page);
    health.push(watchPage(page, name));
    return page;
  }

  beforeAll(async () => {
    const policies = {
      centers: {
        'dc-city-1': {
          slotTimes: [slot.time],
          slotMinutes,
          minWorkingDaysAhead: 0,
          workingWeekdays: [1, 2, 3, 4, 5, 6, 7],
          cancelMinHoursAhead: 0,
          checkInOpensMinutesBefore: 60,
        },
      },
    };
    platform = await Platform.start({
      varDir: join(work, 'var'),
      demo: true,
      env: {
        DEMO_PASSWORD: password,
        BOOKING_POLICIES: JSON.stringify(policies),
        JOIN_LEAD_SECONDS: String(joinLeadSeconds),
        SLOT_WARNING_SECONDS: warningSeconds.join(','),
      },
    });
    fixtures = new MeetingFixtures(platform);
    const chromium = await launchChromium();
    closers.push(chromium.close);
    staff = chromium.browser;
    seatBrowser = await terminalBrowser(lawyerSide, 'seat');
  }, 120_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the lawyer finds the slot in the portal and books it; the confirmation says what to bring', async () => {
    expect(startsAt - Date.now(), 'time left before the slot opens for the seats').toBeGreaterThan(joinLeadSeconds * 1000 + 30_000);
    portal = await newPage(staff, 'portal');
    await signIn(portal, `${platform.signalingUrl}/portal/`, 'lawyer.li', password);
    // The centers load after sign-in.
    await portal.waitForSelector('#center option[value="dc-city-1"]');
    await portal.select('#center', 'dc-city-1');
    await portal.type('#client-name', '陈某');
    await portal.type('#case-reference', 'BJ1-2026-0031');
    await portal.click('#find-client');
    await portal.waitForSelector('#client-found');
    await portal.select('#station', 'st-haidian-center');
    await portal.$eval('#date', (input, date) => {
      (input as HTMLInputElement).value = date;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, slot.date);
    await portal.click('#find-slots');
    const offered = `#slots .slot[data-starts-at="${startsAt}"][data-station="st-haidian-center"] button.book`;
    await portal.waitForSelector(offered, { timeout: 15_000 });
    await portal.click(offered);
    await portal.waitForSelector('#booking-detail #booking-reference', { timeout: 15_000 });
    bookingId = /#\/bookings\/(b[a-z0-9]+)/.exec(portal.url())![1]!;
    expect(await portal.$eval('#booking-reference', (e) => e.textContent)).toBe(bookingId.toUpperCase());
    expect(await portal.$$eval('#what-to-bring li', (items) => items.length)).toBeGreaterThanOrEqual(3);
    await screenshot(portal, 'portal-booked', true);
  }, 60_000);

  it('the station officer checks the lawyer in; the seat terminal shows the assignment and its camera and microphone check', async () => {
    seat = await newPage(seatBrowser, 'seat');
    await seat.goto(`${platform.signalingUrl}/station/#credential=${await fixtures.provision(seatId, 'seat')}`);
    await seat.waitForSelector('#idle', { timeout: 15_000 });
    await screenshot(seat, 'station-seat-idle');

    const console = await newPage(staff, 'station console');
    await signIn(console, `${platform.signalingUrl}/console/`, 'officer.hdc', password);
    await console.waitForSelector(`#booking-${bookingId} .check-in`, { timeout: 15_000 });
    await console.click(`#booking-${bookingId} .check-in`);
    expect(await console.$eval(`#confirm-check-in-${bookingId}`, (b) => (b as HTMLButtonElement).disabled), 'check-in needs every tick').toBe(true);
    for (const check of ['identityVerified', 'licenceVerified', 'authorizationLetterVerified', 'noticeSigned']) await console.click(`#check-${bookingId}-${check}`);
    await console.select(`#seat-${bookingId}`, seatId);
    await screenshot(console, 'console-station-check-in', true);
    await console.click(`#confirm-check-in-${bookingId}`);
    await console.waitForSelector('#check-in-done', { timeout: 15_000 });
    expect(await console.$eval(`#booking-${bookingId}`, (e) => (e as HTMLElement).dataset.status)).toBe('checked_in');

    // Pushed on the device channel: no reload.
    await seat.waitForSelector('#assignment', { timeout: 15_000 });
    expect(await seat.$eval('#assignment-lawyer', (e) => e.textContent)).toBe('李静');
    expect(await seat.$eval('#assignment-detainee', (e) => e.textContent)).toBe('陈某');
    // The pre-call check: the camera preview shows this seat's camera, the level meter moves.
    await seat.waitForFunction(() => (document.querySelector('#precheck-preview') as HTMLVideoElement | null)?.videoWidth === 640, { timeout: 15_000 });
    await expectColour(seat, '#precheck-preview', lawyerSide.colour, 45);
    await seat.waitForFunction(() => Number((document.querySelector('#mic-level') as HTMLMeterElement | null)?.value) > 0.01, { timeout: 10_000 });
    await seat.click('#precheck-ok');
    await seat.waitForSelector('#precheck-done');
    await screenshot(seat, 'station-seat-assigned');
    await console.close();
  }, 60_000);

  it('the detention officer seats the detainee; the booth kiosk joins by itself', async () => {
    const console = await newPage(staff, 'detention console');
    await signIn(console, `${platform.signalingUrl}/console/`, 'officer.dc-city-1', password);
    const button = `#booking-${bookingId} .seat-detainee`;
    await console.waitForSelector(button, { timeout: 15_000 });
    const boothId = await console.$eval(`#booking-${bookingId}`, (e) => e.closest('.booth-schedule')!.id.replace(/^booth-/, ''));
    const boothBrowser = await terminalBrowser(detaineeSide, 'booth');
    booth = await newPage(boothBrowser, 'booth');
    await booth.goto(`${platform.signalingUrl}/booth/#credential=${await fixtures.provision(boothId, 'booth')}`);
    await booth.waitForSelector('#kiosk-idle', { timeout: 15_000 });
    await screenshot(booth, 'booth-kiosk-idle');

    await console.click(button);
    await console.waitForSelector('#seating-message', { timeout: 15_000 });
    await console.waitForFunction((id) => document.querySelector(`#booking-${id}`)?.getAttribute('data-status') !== 'checked_in', { timeout: 15_000 }, bookingId);
    await screenshot(console, 'console-detention', true);
    await console.close();

    // Nothing touched on the kiosk: it hears the assignment and joins when the meeting opens.
    const opensIn = startsAt - joinLeadSeconds * 1000 - Date.now();
    await booth.waitForSelector('body[data-state="joined"]', { timeout: Math.max(opensIn, 0) + 60_000 });
    await seat.waitForSelector('body[data-state="joined"]', { timeout: 30_000 });
    meetingId = await seat.$eval('body', (b) => b.dataset.meeting ?? '');
    expect(meetingId).toMatch(/^m-/);
    expect(await booth.$eval('body', (b) => b.dataset.meeting)).toBe(meetingId);
    expect(await booth.$eval('#peer-name', (e) => e.textContent)).toContain('李静');
    expect(await seat.$eval('#peer-name', (e) => e.textContent)).toBe('陈某');
  }, 240_000);

  for (const [name, receiver, sender] of [
    ['the booth sees and hears the lawyer', () => booth, lawyerSide],
    ['the seat sees and hears the detainee', () => seat, detaineeSide],
  ] as const) {
    it(`${name}: the sender's colour and tone`, async () => {
      const page = receiver();
      const first = await waitFor(
        async () => {
          const stats = await inboundStats(page);
          return stats.video && stats.video.framesDecoded > 30 && stats.audio ? stats : undefined;
        },
        45_000,
        'video and audio to arrive',
      );
      expect(first.video!.frameWidth).toBe(640);
      await expectColour(page, '#remote-video', sender.colour, 45);
      const tone = await dominantFrequency(page, '#remote-audio');
      expect(Math.abs(tone.frequency - sender.toneHz), `dominant ${tone.frequency.toFixed(0)} Hz`).toBeLessThan(20);
      expect(tone.levelDb).toBeGreaterThan(-70);
      await page.waitForFunction(() => document.querySelector('#quality')?.getAttribute('data-level') !== null, { timeout: 15_000 }).catch(() => undefined);
    }, 60_000);
  }

  it('screenshots of both screens in the call', async () => {
    await screenshot(seat, 'station-seat-call');
    await screenshot(booth, 'booth-kiosk-call');
  });

  it('the lawyer shows a document (a screen share); the booth receives it as a second video and the lawyer stays large', async () => {
    await seat.click('#share-document');
    await seat.waitForSelector('#document-sources [data-source="screen"]', { visible: true });
    await seat.click('#document-sources [data-source="screen"]');
    await seat.waitForSelector('.document-menu[data-sharing="true"]', { timeout: 15_000 });
    // Chromium's fake screen (--use-fake-ui-for-media-stream): a green picture of its own size.
    const shared = await seat.$eval('#document-preview', (v) => ((v as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!.getSettings());
    const videos = await waitFor(async () => {
      const found = await decodingVideos(booth);
      return found.length >= 2 && found.every((v) => v.frames > 10) ? found : undefined;
    }, 30_000, 'a second video at the booth');
    expect(videos.length).toBe(2);
    expect(videos.map((v) => `${v.width}x${v.height}`).sort()).toEqual([`${shared.width}x${shared.height}`, '640x360'].sort());
    await booth.waitForSelector('#document-video:not([hidden])', { timeout: 10_000 });
    await booth.waitForFunction(() => (document.querySelector('#document-video') as HTMLVideoElement).videoWidth > 0, { timeout: 10_000 });
    const [r, g, b] = await centreColour(booth, '#document-video');
    expect(g - Math.max(r, b), `the document's green at the booth (${[r, g, b].map(Math.round).join(',')})`).toBeGreaterThan(80);
    await expectColour(booth, '#remote-video', lawyerSide.colour, 45);
    await screenshot(booth, 'booth-kiosk-document');
    // Toward the detainee only: the seat receives no document back.
    expect((await decodingVideos(seat)).length).toBe(1);

    await seat.click('#share-document');
    await seat.waitForSelector('.document-menu[data-sharing="false"]', { timeout: 10_000 });
    await booth.waitForSelector('#document-video[hidden]', { timeout: 15_000 });
  }, 90_000);

  it('reloading the seat page mid-call rejoins the same meeting within 3 seconds', async () => {
    expect(Date.now(), 'still inside the slot').toBeLessThan(endsAt - 20_000);
    const started = Date.now();
    await seat.reload({ waitUntil: 'domcontentloaded' });
    await seat.waitForSelector(`body[data-state="joined"][data-meeting="${meetingId}"]`, { timeout: 10_000 });
    const elapsed = Date.now() - started;
    console.info(`seat rejoined ${meetingId} in ${elapsed} ms after the reload`);
    expect(elapsed).toBeLessThan(3000);
    // And the picture comes back both ways.
    await seat.waitForFunction(() => (document.querySelector('#remote-video') as HTMLVideoElement).videoWidth > 0, { timeout: 20_000 });
    await expectColour(seat, '#remote-video', detaineeSide.colour, 45);
    await waitFor(async () => {
      const rgb = await centreColour(booth, '#remote-video').catch(() => undefined);
      return rgb && Math.abs(rgb[0] - lawyerSide.colour.rgb[0]) < 45 && rgb[2] < 45 ? rgb : undefined;
    }, 20_000, 'the lawyer back on the kiosk');
  }, 60_000);

  it('the countdown warnings appear on both screens', async () => {
    for (const [seconds, lastMinute] of [
      [warningSeconds[0]!, false],
      [warningSeconds[1]!, true],
    ] as const) {
      const budget = endsAt - seconds * 1000 - Date.now() + 20_000;
      for (const page of [seat, booth]) {
        await page.waitForFunction((s) => Math.abs(Number(document.body.dataset.warning) - s) <= 3, { timeout: Math.max(budget, 5000) }, seconds);
        await page.waitForSelector('#slot-warning:not([hidden])');
        const text = await page.$eval('#slot-warning', (e) => e.textContent ?? '');
        if (lastMinute) expect(text).toContain('1 分钟内结束');
        else expect(text).toContain('2 分钟后结束');
      }
      if (!lastMinute) {
        expect(await seat.$('#extend'), 'the lawyer is offered to extend').not.toBeNull();
        await screenshot(seat, 'station-seat-warning');
      }
    }
    const left = await booth.$eval('#time-left', (e) => e.textContent ?? '');
    expect(left).toMatch(/^0:[0-3]\d$/);
  }, 240_000);

  it('the slot end closes both screens', async () => {
    const timeout = endsAt - Date.now() + 30_000;
    await seat.waitForSelector('body[data-state="ended"] #end-screen', { timeout });
    await booth.waitForSelector('#kiosk-ended', { timeout: 30_000 });
    expect(await seat.$eval('body', (b) => b.dataset.endReason)).toBe('slot_ended');
    expect(await booth.$eval('body', (b) => b.dataset.endReason)).toBe('slot_ended');
    // The terminals stay on their line to the server, ready for the next assignment.
    for (const page of [seat, booth]) expect(await page.$eval('#terminal-online', (e) => (e as HTMLElement).dataset.online)).toBe('true');
    // The camera light goes off: no live local track on either page.
    for (const page of [seat, booth]) expect(await page.$$eval('video', (vs) => vs.flatMap((v) => ((v as HTMLVideoElement).srcObject as MediaStream | null)?.getTracks() ?? []).filter((t) => t.readyState === 'live').length)).toBe(0);
    await screenshot(booth, 'booth-kiosk-ended');
  }, 240_000);

  it('the lawyer rates the meeting on the seat; the rating is saved and shown in the portal', async () => {
    await seat.click('#rating-4');
    await seat.type('#rating-comment', '声音清楚，画面流畅。');
    await screenshot(seat, 'station-seat-end');
    await seat.click('#rating-submit');
    await seat.waitForSelector('#rating-thanks', { timeout: 15_000 });
    await portal.goto(`${platform.signalingUrl}/portal/#/bookings/${bookingId}`);
    await portal.waitForSelector('#feedback-rating', { timeout: 15_000 });
    expect(await portal.$eval('#feedback-rating', (e) => e.textContent)).toContain('4');
  }, 60_000);

  it('no page broke the Content Security Policy or threw', () => {
    expect(health.flatMap((h) => h.problems)).toEqual([]);
  });
});
