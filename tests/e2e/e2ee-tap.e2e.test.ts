import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform, freePort, repoRoot } from '../../deploy/local/Platform';
import { PersonAccounts } from '../../signaling/src/auth/PersonAccounts';
import { dominantFrequency, inboundStats, launchChromium, waitFor } from '../support/browser';
import { TapHarness, type TapStats } from '../support/confidentiality/TapHarness';
import { openTerminal, type Terminal } from '../support/confidentiality/terminals';
import { expectColour } from '../support/mediaChecks';
import { blue, red } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';

const sfuTap = pathToFileURL(join(repoRoot, 'tests/support/confidentiality/sfuTap.ts')).href;
const lawyerSide = { colour: red, toneHz: 440 };
const detaineeSide = { colour: blue, toneHz: 1000 };
/** 360p keeps one pair plus the tap page within the machine's two cores. */
const size = { width: 640, height: 360 };
const tapSeconds = 8;

/**
 * Proof that the SFU sees only ciphertext. The sfu-server runs with a test-only preload
 * (sfuTap.ts) that, from inside the SFU process, taps a meeting's router with mediasoup directly
 * and forwards the lawyer's camera and microphone to a third Chromium page that plays them like
 * any receiver. With end-to-end encryption on, that page decodes no frame and hears no tone;
 * with it off (a center's policy), the very same tap decodes the picture and finds the tone.
 */
describe('an SFU operator taps a meeting', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-tap-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let tap: TapHarness;
  let adminToken: string;

  beforeAll(async () => {
    const tapPort = await freePort();
    platform = await Platform.start({ varDir: join(work, 'var'), env: { TAP_PORT: String(tapPort) }, preload: { sfu: [sfuTap] } });
    fixtures = new MeetingFixtures(platform);
    tap = new TapHarness(`http://127.0.0.1:${tapPort}`);
    await new PersonAccounts(fixtures.redis).create({ username: 'tap-admin', displayName: 'Admin', role: 'admin', password: 'correct horse battery' });
    const login = await fetch(`${platform.signalingUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tap-admin', password: 'correct horse battery' }),
    });
    adminToken = ((await login.json()) as { token: string }).token;
  }, 120_000);

  afterAll(async () => {
    await tap?.close();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** A meeting with both terminals in media, the tap on it for `tapSeconds`; what the tap page got. */
  async function tapAMeeting(boothSiteId: string | undefined, expectedState: 'active' | 'off') {
    const meeting = await fixtures.meetingNow(undefined, {}, { boothSiteId });
    const terminals: Terminal[] = [];
    const tapBrowser = await launchChromium();
    try {
      terminals.push(await openTerminal({ platform, fixtures, meeting, role: 'lawyer', side: lawyerSide, work, size }));
      terminals.push(await openTerminal({ platform, fixtures, meeting, role: 'detainee', side: detaineeSide, work, size }));
      const [station, booth] = terminals as [Terminal, Terminal];
      for (const { page } of terminals) await page.waitForSelector(`#e2ee-badge[data-state="${expectedState}"]`, { timeout: 45_000 });
      // The lawyer's media reaches the booth, which decodes it (so there is something to tap).
      await waitFor(async () => ((await inboundStats(booth.page)).video?.framesDecoded ?? 0) > 30, 45_000, 'the booth to decode the lawyer');
      const boothBefore = (await inboundStats(booth.page)).video!.framesDecoded;

      const tapPage = await tapBrowser.browser.newPage();
      await tap.tapInto(tapPage, meeting.meetingId);
      const tapped = await waitFor(async () => {
        const stats = await tap.stats(tapPage);
        return (stats.video?.packetsReceived ?? 0) > 100 && (stats.audio?.packetsReceived ?? 0) > 100 ? stats : undefined;
      }, 30_000, 'tapped packets to arrive');
      await new Promise((r) => setTimeout(r, tapSeconds * 1000));
      const stats = await tap.stats(tapPage);
      const tone = await dominantFrequency(tapPage, '#tap-audio');
      const boothAfter = (await inboundStats(booth.page)).video!.framesDecoded;
      return { meeting, station, booth, tapPage, tapped, stats, tone, boothDecodedMeanwhile: boothAfter - boothBefore, close: async () => {
        for (const terminal of terminals) await terminal.close();
        await tapBrowser.close();
      } };
    } catch (error) {
      for (const terminal of terminals) await terminal.close();
      await tapBrowser.close();
      throw error;
    }
  }

  const describeTap = (stats: TapStats) => JSON.stringify(stats);
  /** The tone is there: the strongest bin at the tone's frequency, and loud. (Silence reads as -Infinity dB, which arrives as null.) */
  const heard = (tone: { frequency: number; levelDb: number | null }) => Math.abs(tone.frequency - lawyerSide.toneHz) < 20 && (tone.levelDb ?? -Infinity) > -70;
  const toneText = (tone: { frequency: number; levelDb: number | null }) => `dominant ${tone.frequency.toFixed(0)} Hz at ${tone.levelDb === null ? 'silence' : `${tone.levelDb.toFixed(0)} dB`}`;

  it('the tap is really inside the SFU process (the harness announces itself there)', () => {
    expect(readFileSync(join(work, 'var', 'log', 'sfu-server.log'), 'utf8')).toContain('sfuTap: listening');
  });

  it('E2EE on: the tapped copy decodes zero frames and carries no tone, while the booth decodes the same stream', async () => {
    const run = await tapAMeeting(undefined, 'active');
    console.info(`tap, E2EE on: ${describeTap(run.stats)}; ${toneText(run.tone)}; the booth decoded ${run.boothDecodedMeanwhile} frames meanwhile`);
    try {
      expect(run.stats.video!.bytesReceived, describeTap(run.stats)).toBeGreaterThan(100_000);
      expect(run.stats.video!.framesReceived, describeTap(run.stats)).toBeGreaterThan(10 * tapSeconds);
      expect(run.stats.video!.framesDecoded, describeTap(run.stats)).toBe(0);
      expect(run.stats.audio!.packetsReceived, describeTap(run.stats)).toBeGreaterThan(25 * tapSeconds);
      expect(heard(run.tone), `tap audio: ${toneText(run.tone)}`).toBe(false);
      expect(run.boothDecodedMeanwhile).toBeGreaterThan(10 * tapSeconds);
      await expectColour(run.booth.page, '#remote-video', lawyerSide.colour);
    } finally {
      await run.close();
    }
  }, 180_000);

  it('E2EE off for a center (with the warning on both screens): the same tap decodes the picture and finds the tone', async () => {
    const center = 'center-without-transforms';
    const turnedOff = await fetch(`${platform.signalingUrl}/api/centers/${center}/e2ee-policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ policy: 'off' }),
    });
    expect(turnedOff.status).toBe(200);
    expect(((await turnedOff.json()) as { warning?: string }).warning).toMatch(/no longer end-to-end encrypted/);
    const run = await tapAMeeting(center, 'off');
    console.info(`tap, E2EE off: ${describeTap(run.stats)}; ${toneText(run.tone)}`);
    try {
      for (const page of [run.station.page, run.booth.page] as Page[]) {
        expect(await page.$eval('#e2ee-badge', (b) => (b as HTMLElement).dataset.tone)).toBe('bad');
      }
      expect(run.stats.video!.framesDecoded, describeTap(run.stats)).toBeGreaterThan(5 * tapSeconds);
      await expectColour(run.tapPage, '#tap-video', lawyerSide.colour);
      expect(heard(run.tone), `tap audio: ${toneText(run.tone)}`).toBe(true);
    } finally {
      await run.close();
    }
  }, 180_000);
});
