import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../../deploy/local/Platform';
import { inboundStats, waitFor } from '../support/browser';
import { auditOf, openTerminal, shownCode, transformsOnEverySenderAndReceiver, waitForCode, type Terminal } from '../support/confidentiality/terminals';
import { expectBothWaysAtOnce, expectColour, expectHdMediaFrom } from '../support/mediaChecks';
import { blue, red } from '../support/fakeMedia';
import { MeetingFixtures } from '../support/meetingFixtures';

const lawyerSide = { colour: red, toneHz: 440 };
const detaineeSide = { colour: blue, toneHz: 1000 };

/**
 * An end-to-end encrypted meeting in two Chromium instances through the real signaling, SFU and
 * Redis: media both ways at 720p with every sender and receiver transformed, the same short code
 * on both screens, the lawyer's confirmation, the metadata-only audit, and the privacy receipt at
 * the end (on the station and over REST).
 */
describe('end-to-end encrypted meeting', () => {
  const work = mkdtempSync(join(tmpdir(), 'huijian-e2ee-'));
  let platform: Platform;
  let fixtures: MeetingFixtures;
  let redis: Redis;
  let meeting: Awaited<ReturnType<MeetingFixtures['meetingNow']>>;
  let station: Terminal;
  let booth: Terminal;

  beforeAll(async () => {
    platform = await Platform.start({ varDir: join(work, 'var'), env: { MEETING_RECHECK_SECONDS: '2' } });
    fixtures = new MeetingFixtures(platform);
    redis = new Redis(platform.redisUrl);
    meeting = await fixtures.meetingNow();
    station = await openTerminal({ platform, fixtures, meeting, role: 'lawyer', side: lawyerSide, work });
    booth = await openTerminal({ platform, fixtures, meeting, role: 'detainee', side: detaineeSide, work });
  }, 120_000);

  afterAll(async () => {
    for (const terminal of [station, booth]) await terminal?.close();
    redis?.disconnect();
    await fixtures?.close();
    await platform?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('both screens say "end-to-end encrypted" and show the same short code', async () => {
    for (const { page } of [station, booth]) await page.waitForSelector('body[data-e2ee="active"] #e2ee-badge[data-state="active"]', { timeout: 45_000 });
    const atStation = await waitForCode(station.page, 'the short code on the station');
    const atBooth = await waitForCode(booth.page, 'the short code on the booth', atStation.exchangeId);
    expect(atStation.digits).toMatch(/^\d{4}$/);
    expect(atStation.emoji).toHaveLength(3);
    expect(atBooth).toEqual({ ...atStation, confirmed: false });
    // only the station has the verdict buttons
    expect(await station.page.$('#code-match')).not.toBeNull();
    expect(await booth.page.$('#code-match')).toBeNull();
  });

  for (const [name, receiver, sender, side] of [
    ['the booth receives the station', () => booth, () => station, lawyerSide],
    ['the station receives the booth', () => station, () => booth, detaineeSide],
  ] as const) {
    it(`${name}, encrypted: 1280x720 at >= 25 fps (or every frame a starved camera gives), the sender's colour and tone`, async () => {
      await expectHdMediaFrom(receiver().page, sender().page, side);
    }, 90_000);
  }

  it('both ways at once, encrypted: each decodes the other at 1280x720 in the same window', async () => {
    await expectBothWaysAtOnce(station.page, booth.page);
  });

  it('every RTP sender and receiver on both pages runs through the encryption transform, and frames are sealed and opened', async () => {
    for (const { page } of [station, booth]) {
      const census = await transformsOnEverySenderAndReceiver(page);
      expect(census).toEqual({ senders: 2, receivers: 2, unprotected: 0 });
      const frames = await page.$eval('body', (b) => ({ sealed: Number(b.dataset.framesSealed), opened: Number(b.dataset.framesOpened), rejected: Number(b.dataset.framesRejected) }));
      expect(frames.sealed, JSON.stringify(frames)).toBeGreaterThan(500);
      expect(frames.opened, JSON.stringify(frames)).toBeGreaterThan(500);
      // (a handful may arrive before the keys, at the very start)
      expect(frames.rejected, JSON.stringify(frames)).toBeLessThan(frames.opened / 100);
    }
  });

  it('the lawyer confirms the code; the booth shows it confirmed; the audit records it without any key', async () => {
    const code = await waitForCode(station.page, 'the short code');
    await station.page.click('#code-match');
    await booth.page.waitForSelector(`#short-code[data-exchange="${code.exchangeId}"][data-confirmed]`, { timeout: 15_000 });
    await station.page.waitForSelector('#short-code[data-confirmed] ', { timeout: 15_000 });

    const entries = await auditOf(redis, meeting.meetingId);
    const ofType = (type: string) => entries.filter((e) => e.type === type);
    expect(ofType('joined').map((e) => `${e.role}:${e.deviceId}:${e.policy}`).sort()).toEqual([
      `detainee:${meeting.boothDeviceId}:required`,
      `lawyer:${meeting.seatDeviceId}:required`,
    ]);
    expect(ofType('e2ee_active').map((e) => `${e.role}:${e.exchangeId}:${e.e2ee}`).sort()).toEqual([
      `detainee:${code.exchangeId}:true`,
      `lawyer:${code.exchangeId}:true`,
    ]);
    expect(ofType('code_confirmed')).toEqual([expect.objectContaining({ role: 'lawyer', exchangeId: code.exchangeId, codeConfirmed: 'true' })]);
    const census = ofType('media_census').slice(-2);
    expect(census.map((e) => `${e.role} ${e.transports}/${e.producers}/${e.consumers}`).sort()).toEqual(['detainee 2/2/2', 'lawyer 2/2/2']);

    // Metadata only: the public keys the server relayed (and stored) appear nowhere in the audit stream.
    const ledger = await redis.hgetall(`huijian:meeting:${meeting.meetingId}:privacy`);
    expect(ledger.lawyerKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    expect(ledger.detaineeKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    const raw = JSON.stringify(await redis.xrange('huijian:audit', '-', '+'));
    expect(raw).not.toContain(ledger.lawyerKey);
    expect(raw).not.toContain(ledger.detaineeKey);
  }, 60_000);

  it('the booth reconnects: new keys and a new code on both screens, to be compared again; media flows again', async () => {
    const before = await waitForCode(station.page, 'the short code');
    await booth.page.reload();
    const renewed = await waitFor(async () => {
      const now = await shownCode(station.page);
      return now && now.exchangeId !== before.exchangeId ? now : undefined;
    }, 45_000, 'a new key exchange on the station');
    expect(renewed.confirmed).toBe(false);
    expect(`${renewed.digits}${renewed.emoji.join('')}`).not.toBe(`${before.digits}${before.emoji.join('')}`);
    const atBooth = await waitForCode(booth.page, 'the new code on the booth', renewed.exchangeId);
    expect(atBooth).toEqual(renewed);
    // Media both ways again under the new keys (the station keeps its producers and switches keys).
    for (const [receiver, sender, name] of [[booth.page, lawyerSide, 'the booth'], [station.page, detaineeSide, 'the station']] as const) {
      await waitFor(async () => {
        const first = (await inboundStats(receiver)).video?.framesDecoded ?? 0;
        await new Promise((r) => setTimeout(r, 1000));
        return ((await inboundStats(receiver)).video?.framesDecoded ?? 0) > first + 10;
      }, 45_000, `${name} to decode video again after the re-key`).catch(async (error: Error) => {
        const counters = await receiver.$eval('body', (b) => ({ ...b.dataset }));
        throw new Error(`${error.message}; page counters ${JSON.stringify(counters)}; video ${JSON.stringify((await inboundStats(receiver)).video)}`);
      });
      await expectColour(receiver, '#remote-video', sender.colour);
    }
    await station.page.click('#code-match');
    await booth.page.waitForSelector(`#short-code[data-exchange="${renewed.exchangeId}"][data-confirmed]`, { timeout: 15_000 });
  }, 120_000);

  it('at the end the station shows the privacy receipt: 2 endpoints, encrypted, code confirmed, no recorder', async () => {
    // The booking domain moves the slot end to now; the server ends the meeting at its next look.
    const record = await fixtures.store.get(meeting.meetingId);
    await fixtures.store.put({ ...record!, endsAt: Date.now() + 1000 });
    await station.page.waitForSelector('#privacy-receipt[data-final="true"]', { timeout: 30_000 });
    const shown = await station.page.$$eval('#privacy-receipt dd', (cells) => Object.fromEntries(cells.map((c) => [(c as HTMLElement).dataset.field, (c as HTMLElement).dataset.value])));
    expect(shown).toMatchObject({ endpoints: '2', e2ee: 'true', code: 'true', recorder: 'none', meeting: meeting.meetingId });
    expect(shown.media).toBe('2 / 2 · 2 / 2');

    // Fetchable later: by the meeting's seat terminal, not by its booth, not without credentials.
    const url = `${platform.signalingUrl}/api/meetings/${meeting.meetingId}/privacy-receipt`;
    const asSeat = await fetch(url, { headers: { authorization: `Device ${meeting.seatCredential}` } });
    expect(asSeat.status).toBe(200);
    const { receipt } = (await asSeat.json()) as { receipt: Record<string, unknown> };
    expect(receipt).toMatchObject({
      meetingId: meeting.meetingId,
      final: true,
      endReason: 'slot_ended',
      endpointsConnected: 2,
      e2eePolicy: 'required',
      endToEndEncrypted: true,
      codeConfirmed: true,
      keyExchanges: 2,
      recorderPresent: 'none',
      media: { lawyer: { transports: 2, producers: 2, consumers: 2 }, detainee: { transports: 2, producers: 2, consumers: 2 } },
    });
    expect((await fetch(url, { headers: { authorization: `Device ${meeting.boothCredential}` } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(401);

    const sealed = await waitFor(async () => (await auditOf(redis, meeting.meetingId)).find((e) => e.type === 'privacy_receipt'), 10_000, 'the receipt in the audit');
    expect(sealed).toMatchObject({ e2ee: 'true', codeConfirmed: 'true', endpoints: '2', transports: '4', consumers: '4', reason: 'no_recorder', policy: 'required' });
    expect((await auditOf(redis, meeting.meetingId)).filter((e) => e.type === 'ended')).toHaveLength(1);
  }, 60_000);
});
