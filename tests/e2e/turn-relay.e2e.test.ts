import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { centreColour, inboundStats, launchChromium, trackPeerConnections, waitFor } from '../support/browser';
import { blue, red, writeToneWav, writeY4m, type TestColour } from '../support/fakeMedia';
import { MeetingFixtures, type FixtureMeeting } from '../support/meetingFixtures';
import { startTurnServer, type TestTurnServer } from '../support/turnServer';

/**
 * A meeting whose media must go through TURN (TURN_RELAY_ONLY): both pages get per-meeting
 * credentials from signaling, the project's coturn config accepts them and relays to the SFU,
 * and HD video arrives. Proves the credential format, the client's iceServers and the relay path.
 */
const secret = 'e2e-turn-secret-0123456789abcdef';

/** Candidate types of the selected ICE pairs of every live peer connection on the page. */
async function selectedCandidateTypes(page: Page): Promise<{ local: string; remote: string; protocol: string }[]> {
  return page.evaluate(async () => {
    const pairs: { local: string; remote: string; protocol: string }[] = [];
    for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (pc.connectionState !== 'connected') continue;
      const report = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      report.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
      report.forEach((s: Record<string, unknown>) => {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
        const pair = byId.get(s.selectedCandidatePairId as string)!;
        const local = byId.get(pair.localCandidateId as string)!;
        const remote = byId.get(pair.remoteCandidateId as string)!;
        pairs.push({ local: String(local.candidateType), remote: String(remote.candidateType), protocol: String(local.protocol) });
      });
    }
    return pairs;
  });
}

describe('a meeting relayed through TURN', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2e-turn-'));
  let turn: TestTurnServer;
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let meeting: FixtureMeeting;
  const browsers: { close: () => Promise<void> }[] = [];
  const pages: Record<'lawyer' | 'detainee', Page> = {} as never;

  async function open(role: 'lawyer' | 'detainee', colour: TestColour, toneHz: number): Promise<void> {
    const videoFile = join(work, `${role}.y4m`);
    const audioFile = join(work, `${role}.wav`);
    writeY4m(videoFile, colour);
    writeToneWav(audioFile, toneHz);
    const chromium = await launchChromium({ videoFile, audioFile });
    browsers.push(chromium);
    const page = await chromium.browser.newPage();
    await trackPeerConnections(page);
    await fixtures.assign(meeting, role);
    const credential = role === 'lawyer' ? meeting.seatCredential : meeting.boothCredential;
    await page.goto(`${platform.signalingUrl}/${role === 'lawyer' ? 'station' : 'booth'}/#credential=${credential}`);
    pages[role] = page;
  }

  beforeAll(async () => {
    turn = await startTurnServer(work, secret);
    platform = await Platform.start({
      varDir: join(work, 'var'),
      env: { TURN_URLS: `turn:127.0.0.1:${turn.port}?transport=udp`, TURN_SECRET: secret, TURN_RELAY_ONLY: 'true' },
    });
    fixtures = new MeetingFixtures(platform);
    meeting = await fixtures.meetingNow();
    await open('lawyer', red, 440);
    await open('detainee', blue, 1000);
  }, 120_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await fixtures?.close();
    await platform?.stop();
    await turn?.process.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('both pages send and receive through relay candidates only, and the booth sees the station in HD', async () => {
    const stats = await waitFor(
      async () => {
        const s = await inboundStats(pages.detainee);
        return s.video && s.video.frameWidth === 1280 && s.video.framesDecoded > 30 ? s : undefined;
      },
      60_000,
      'video through TURN at the booth',
    );
    expect(stats.video!.frameHeight).toBe(720);
    expect(stats.audio?.packetsReceived).toBeGreaterThan(20);
    const [r, g, b] = await centreColour(pages.detainee, '#remote-video');
    expect(Math.abs(r - red.rgb[0]) + Math.abs(g - red.rgb[1]) + Math.abs(b - red.rgb[2])).toBeLessThan(90);
    await waitFor(async () => ((await inboundStats(pages.lawyer)).video?.framesDecoded ?? 0) > 30 || undefined, 30_000, 'video through TURN at the station');

    for (const role of ['lawyer', 'detainee'] as const) {
      const pairs = await selectedCandidateTypes(pages[role]);
      expect(pairs.length, `${role}: a send and a receive transport`).toBe(2);
      for (const pair of pairs) expect(pair, role).toMatchObject({ local: 'relay', protocol: 'udp' });
    }
  });

  it('coturn authenticated the allocations with the meeting’s REST API username', () => {
    const log = readFileSync(join(work, 'coturn.log'), 'utf8');
    const allocations = [...log.matchAll(/user <(\d+):([^>]+)>: incoming packet ALLOCATE processed, success/g)];
    const usernames = allocations.map((m) => ({ expiry: Number(m[1]), meetingId: m[2] }));
    // Two seats, a send and a receive transport each.
    expect(usernames.length).toBeGreaterThanOrEqual(4);
    for (const u of usernames) {
      expect(u.meetingId).toBe(meeting.meetingId);
      expect(u.expiry).toBe(Math.floor(meeting.endsAt / 1000) + 600);
    }
    expect(log).not.toContain(secret);
  });
});
