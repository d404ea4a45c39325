import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform, repoRoot } from '../../deploy/local/Platform';
import { inboundStats, waitFor } from '../support/browser';
import { auditOf, openTerminal, waitForCode, type Terminal } from '../support/confidentiality/terminals';
import { blue, red } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';

const keySwapRelay = pathToFileURL(join(repoRoot, 'tests/support/confidentiality/keySwapRelay.ts')).href;

/**
 * A signaling server in the middle of the key exchange: the signaling process runs with a
 * test-only preload (keySwapRelay.ts) that substitutes its own public keys both ways, as an
 * operator of the signaling service could. The pages cannot tell from the protocol; the short
 * codes on the two screens differ, the lawyer says so, and the meeting ends with an alarm.
 */
describe('a signaling server that swaps the public keys (man in the middle)', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-mitm-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let redis: Redis;
  let alarms: Redis;
  const alarmsHeard: { type: string; meetingId: string }[] = [];
  let meeting: Awaited<ReturnType<MeetingFixtures['meetingNow']>>;
  let station: Terminal;
  let booth: Terminal;

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var'), preload: { signaling: [keySwapRelay] } });
    fixtures = new MeetingFixtures(platform);
    redis = new Redis(platform.redisUrl);
    alarms = new Redis(platform.redisUrl);
    alarms.on('message', (_channel, message: string) => alarmsHeard.push(JSON.parse(message) as { type: string; meetingId: string }));
    await alarms.subscribe('huijian:alarms');
    meeting = await fixtures.meetingNow();
    const size = { width: 640, height: 360 };
    station = await openTerminal({ platform, fixtures, meeting, role: 'lawyer', side: { colour: red, toneHz: 440 }, work, size });
    booth = await openTerminal({ platform, fixtures, meeting, role: 'detainee', side: { colour: blue, toneHz: 1000 }, work, size });
  }, 120_000);

  afterAll(async () => {
    for (const terminal of [station, booth]) await terminal?.close();
    redis?.disconnect();
    alarms?.disconnect();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the harness is in place: the signaling process announces the key-swapping relay', () => {
    const log = readFileSync(join(work, 'var', 'log', 'signaling.log'), 'utf8');
    expect(log).toContain('keySwapRelay: the key relay of this signaling instance swaps public keys');
  });

  it('both pages believe they are encrypted, yet the short codes on the two screens differ', async () => {
    for (const { page } of [station, booth]) await page.waitForSelector('#e2ee-badge[data-state="active"]', { timeout: 45_000 });
    const atStation = await waitForCode(station.page, 'the short code on the station');
    const atBooth = await waitForCode(booth.page, 'the short code on the booth', atStation.exchangeId);
    expect(atBooth.exchangeId).toBe(atStation.exchangeId);
    expect(`${atBooth.digits} ${atBooth.emoji.join('')}`).not.toBe(`${atStation.digits} ${atStation.emoji.join('')}`);
  });

  it('and neither end can read the other: the booth decodes no frame of the lawyer’s video', async () => {
    const arriving = await waitFor(async () => {
      const stats = await inboundStats(booth.page);
      return stats.video && stats.video.bytesReceived > 100_000 ? stats : undefined;
    }, 30_000, 'the lawyer’s video packets to reach the booth');
    expect(arriving.video!.framesDecoded).toBe(0);
  });

  it('the lawyer says the codes differ: the meeting ends on both screens, an alarm goes out, the audit and receipt say so', async () => {
    await station.page.click('#code-mismatch');
    for (const { page } of [station, booth]) await page.waitForSelector('body[data-end-reason="code_mismatch"]', { timeout: 20_000 });
    await waitFor(async () => alarmsHeard.some((a) => a.type === 'e2ee_code_mismatch' && a.meetingId === meeting.meetingId), 10_000, 'the alarm');
    const entries = await auditOf(redis, meeting.meetingId);
    expect(entries.filter((e) => e.type === 'code_mismatch')).toEqual([expect.objectContaining({ role: 'lawyer', codeConfirmed: 'false' })]);
    expect(entries.filter((e) => e.type === 'ended')).toEqual([expect.objectContaining({ reason: 'code_mismatch' })]);
    await station.page.waitForSelector('#privacy-receipt[data-final="true"]', { timeout: 15_000 });
    const code = await station.page.$eval('#privacy-receipt dd[data-field="code"]', (c) => (c as HTMLElement).dataset.value);
    expect(code).toBe('false');
    // A reconnecting page finds the meeting over.
    expect(await booth.page.$eval('body', (b) => b.dataset.state)).toBe('ended');
  }, 60_000);
});
