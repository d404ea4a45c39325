import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../clients/common/e2ee/bytes';
import { commitmentOf, exportPublicKey, generateExchangeKey } from '../../../clients/common/e2ee/keySchedule';
import { PersonAccounts } from '../../../signaling/src/auth/PersonAccounts';
import type { E2eeMessage, JoinResult } from '../../../signaling/src/protocol';
import { AccessPlatform, disconnected, next, request, type MeetingClient } from '../access/harness';

async function publicKey(): Promise<string> {
  return toBase64Url(await exportPublicKey((await generateExchangeKey()).publicKey));
}

const exchangeId = () => toBase64Url(crypto.getRandomValues(new Uint8Array(16)));

/**
 * The key relay through the real signaling (and SFU, since seats join): it forwards the exchange
 * unchanged between the two seats of a meeting, keeps public keys only, enforces who sends what,
 * takes the lawyer's verdict, and ends the meeting with an alarm when a check fails.
 */
describe('key relay and confidentiality facts in signaling', () => {
  let access: AccessPlatform;
  let alarms: Redis;
  const heard: { type: string; meetingId: string }[] = [];

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true });
    alarms = new Redis(access.platform.redisUrl);
    alarms.on('message', (_c, message: string) => heard.push(JSON.parse(message) as { type: string; meetingId: string }));
    await alarms.subscribe('huijian:alarms');
  }, 60_000);

  afterAll(async () => {
    alarms?.disconnect();
    await access?.close();
  });

  /** A meeting with both seats connected and joined. */
  async function joinedPair(boothSiteId?: string) {
    const meeting = await access.fixtures.meetingNow(undefined, {}, { boothSiteId });
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    const detainee = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
    const lawyerJoin = (await request(lawyer, 'join', {})) as unknown as JoinResult;
    const detaineeJoin = (await request(detainee, 'join', {})) as unknown as JoinResult;
    return { meeting, lawyer, detainee, lawyerJoin, detaineeJoin };
  }

  async function exchange(lawyer: MeetingClient, detainee: MeetingClient, meetingId: string) {
    const id = exchangeId();
    const lawyerKey = await publicKey();
    const detaineeKey = await publicKey();
    const offer: E2eeMessage = { type: 'offer', exchangeId: id, commitment: toBase64Url(await commitmentOf(meetingId, id, fromBase64Url(lawyerKey))) };
    const offered = next<E2eeMessage>(detainee, 'e2eeMessage');
    expect(await request(lawyer, 'e2eeMessage', offer)).toEqual({ relayed: true });
    expect(await offered).toEqual(offer);
    const answer: E2eeMessage = { type: 'answer', exchangeId: id, publicKey: detaineeKey };
    const answered = next<E2eeMessage>(lawyer, 'e2eeMessage');
    expect(await request(detainee, 'e2eeMessage', answer)).toEqual({ relayed: true });
    expect(await answered).toEqual(answer);
    const reveal: E2eeMessage = { type: 'reveal', exchangeId: id, publicKey: lawyerKey };
    const revealed = next<E2eeMessage>(detainee, 'e2eeMessage');
    expect(await request(lawyer, 'e2eeMessage', reveal)).toEqual({ relayed: true });
    expect(await revealed).toEqual(reveal);
    return { id, lawyerKey, detaineeKey };
  }

  it('says the policy in the join result, and refuses key messages before the join', async () => {
    const meeting = await access.fixtures.meetingNow();
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    expect(await request(lawyer, 'e2eeMessage', { type: 'offer', exchangeId: exchangeId(), commitment: 'A'.repeat(43) })).toEqual({
      error: expect.objectContaining({ code: 'NOT_JOINED' }),
    });
    expect(((await request(lawyer, 'join', {})) as unknown as JoinResult).e2ee).toEqual({ policy: 'required' });
  });

  it('relays offer, answer and reveal unchanged, and keeps only the public keys of the exchange in force', async () => {
    const { meeting, lawyer, detainee } = await joinedPair();
    const { id, lawyerKey, detaineeKey } = await exchange(lawyer, detainee, meeting.meetingId);
    const stored = await access.fixtures.redis.hgetall(`huijian:meeting:${meeting.meetingId}:privacy`);
    expect(stored).toMatchObject({ exchangeId: id, lawyerKey, detaineeKey, exchanges: '1', policy: 'required' });
    expect(Object.keys(stored).sort()).toEqual(['detaineeKey', 'exchangeId', 'exchanges', 'firstJoinAt', 'lawyerKey', 'policy']);
    expect(await access.fixtures.redis.smembers(`huijian:meeting:${meeting.meetingId}:endpoints`)).toEqual(
      expect.arrayContaining([`lawyer:${meeting.seatDeviceId}`, `detainee:${meeting.boothDeviceId}`]),
    );
    // A new exchange (a rejoin) replaces the keys.
    await exchange(lawyer, detainee, meeting.meetingId);
    expect(await access.fixtures.redis.hget(`huijian:meeting:${meeting.meetingId}:privacy`, 'exchanges')).toBe('2');
    expect(await access.fixtures.redis.hget(`huijian:meeting:${meeting.meetingId}:privacy`, 'lawyerKey')).not.toBe(lawyerKey);
  });

  it('lets each seat send only its own messages, validates every payload, and keeps the connection', async () => {
    const { lawyer, detainee } = await joinedPair();
    const key = await publicKey();
    const refused = async (socket: MeetingClient, event: 'e2eeMessage' | 'e2eeStatus' | 'confirmCode', payload: unknown) =>
      ((await request(socket, event, payload)) as { error?: { code: string } }).error?.code;
    expect(await refused(detainee, 'e2eeMessage', { type: 'offer', exchangeId: exchangeId(), commitment: 'A'.repeat(43) })).toBe('FORBIDDEN');
    expect(await refused(detainee, 'e2eeMessage', { type: 'reveal', exchangeId: exchangeId(), publicKey: key })).toBe('FORBIDDEN');
    expect(await refused(lawyer, 'e2eeMessage', { type: 'answer', exchangeId: exchangeId(), publicKey: key })).toBe('FORBIDDEN');
    expect(await refused(detainee, 'confirmCode', { exchangeId: exchangeId(), match: true })).toBe('FORBIDDEN');
    for (const bad of [
      { type: 'offer', exchangeId: 'short', commitment: 'A'.repeat(43) },
      { type: 'offer', exchangeId: exchangeId(), commitment: 'A'.repeat(42) },
      { type: 'reveal', exchangeId: exchangeId(), publicKey: key.replace(/^B/, 'A') },
      { type: 'reveal', exchangeId: exchangeId(), publicKey: key, privateKey: key },
      { type: 'hello', exchangeId: exchangeId() },
      'offer',
    ]) {
      expect(await refused(lawyer, 'e2eeMessage', bad), JSON.stringify(bad)).toBe('BAD_REQUEST');
    }
    expect(await refused(lawyer, 'e2eeStatus', { state: 'active' })).toBe('BAD_REQUEST');
    expect(await refused(lawyer, 'confirmCode', { exchangeId: exchangeId(), match: 'yes' })).toBe('BAD_REQUEST');
    expect(lawyer.connected && detainee.connected).toBe(true);
    expect(await request(lawyer, 'e2eeStatus', { state: 'unavailable' })).toEqual({ recorded: true });
  });

  it('records the code confirmed for the exchange in force only, tells the booth, and counts the media', async () => {
    const { meeting, lawyer, detainee } = await joinedPair();
    const { id } = await exchange(lawyer, detainee, meeting.meetingId);
    for (const socket of [lawyer, detainee]) expect(await request(socket, 'e2eeStatus', { state: 'active', exchangeId: id })).toEqual({ recorded: true });
    expect(await request(lawyer, 'confirmCode', { exchangeId: exchangeId(), match: true })).toEqual({ error: expect.objectContaining({ code: 'CONFLICT' }) });
    const told = next<{ exchangeId: string }>(detainee, 'codeConfirmed');
    expect(await request(lawyer, 'confirmCode', { exchangeId: id, match: true })).toEqual({ confirmed: true });
    expect(await told).toEqual({ exchangeId: id });
    const entries = await access.auditEntries((e) => e.meetingId === meeting.meetingId);
    expect(entries.filter((e) => e.type === 'e2ee_active').map((e) => e.role).sort()).toEqual(['detainee', 'lawyer']);
    expect(entries.filter((e) => e.type === 'code_confirmed')).toEqual([expect.objectContaining({ exchangeId: id, codeConfirmed: 'true', deviceId: meeting.seatDeviceId })]);
    // No transports were made by these test clients: the census says so, per seat.
    expect(entries.filter((e) => e.type === 'media_census').slice(-2).map((e) => `${e.role}:${e.transports}/${e.producers}/${e.consumers}`).sort()).toEqual([
      'detainee:0/0/0',
      'lawyer:0/0/0',
    ]);
    // The audit holds ids, roles and counts, never the keys.
    const raw = JSON.stringify(await access.fixtures.redis.xrange('huijian:audit', '-', '+'));
    const stored = await access.fixtures.redis.hgetall(`huijian:meeting:${meeting.meetingId}:privacy`);
    expect(raw).not.toContain(stored.lawyerKey);
    expect(raw).not.toContain(stored.detaineeKey);
  });

  it('a mismatch ends the meeting for both seats, raises an alarm and shows on the receipt', async () => {
    const { meeting, lawyer, detainee } = await joinedPair();
    const { id } = await exchange(lawyer, detainee, meeting.meetingId);
    const endedAtBooth = next<{ reason: string }>(detainee, 'meetingEnded');
    const endedAtSeat = next<{ reason: string }>(lawyer, 'meetingEnded');
    expect(await request(lawyer, 'confirmCode', { exchangeId: id, match: false })).toEqual({ confirmed: false });
    expect(await endedAtBooth).toEqual({ reason: 'code_mismatch' });
    expect(await endedAtSeat).toEqual({ reason: 'code_mismatch' });
    await disconnected(detainee);
    expect(heard).toContainEqual(expect.objectContaining({ type: 'e2ee_code_mismatch', meetingId: meeting.meetingId }));
    const admin = await access.personSession('admin');
    const response = await fetch(`${access.url}/api/meetings/${meeting.meetingId}/privacy-receipt`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    const { receipt } = (await response.json()) as { receipt: Record<string, unknown> };
    expect(receipt).toMatchObject({ final: true, endReason: 'code_mismatch', codeConfirmed: false, endToEndEncrypted: false, endpointsConnected: 2, keyExchanges: 1 });
    // Coming back after the end is refused.
    expect(await access.refusal(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')))).toBe('MEETING_ENDED');
  });

  it('a page that finds the exchange tampered with ends the meeting (key_exchange_failed) with an alarm', async () => {
    const { meeting, lawyer, detainee } = await joinedPair();
    const ended = next<{ reason: string }>(lawyer, 'meetingEnded');
    expect(await request(detainee, 'e2eeStatus', { state: 'failed', exchangeId: exchangeId(), reason: 'commitment_mismatch' })).toEqual({ recorded: true });
    expect(await ended).toEqual({ reason: 'key_exchange_failed' });
    expect(heard).toContainEqual(expect.objectContaining({ type: 'e2ee_key_exchange_failed', meetingId: meeting.meetingId }));
    const entries = await access.auditEntries((e) => e.meetingId === meeting.meetingId);
    expect(entries.find((e) => e.type === 'e2ee_failed')).toMatchObject({ role: 'detainee', reason: 'commitment_mismatch' });
  });

  it('the policy is per detention center, set by admins only, audited, and reaches the join result', async () => {
    const admin = await access.personSession('admin');
    const officer = await access.personSession('detention_officer');
    const put = (token: string, body: unknown, center = 'center-7') =>
      fetch(`${access.url}/api/centers/${center}/e2ee-policy`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect((await put(officer, { policy: 'off' })).status).toBe(403);
    expect((await put(admin, { policy: 'maybe' })).status).toBe(400);
    expect((await put(admin, { policy: 'off' }, 'bad center!')).status).toBe(400);
    const off = await put(admin, { policy: 'off' });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ centerId: 'center-7', policy: 'off', warning: expect.any(String) });
    const list = await fetch(`${access.url}/api/e2ee-policies`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await list.json()).toEqual({ default: 'required', centers: { 'center-7': 'off' } });

    const atCenter = await joinedPair('center-7');
    expect(atCenter.lawyerJoin.e2ee).toEqual({ policy: 'off' });
    expect(atCenter.detaineeJoin.e2ee).toEqual({ policy: 'off' });
    const elsewhere = await joinedPair('center-8');
    expect(elsewhere.lawyerJoin.e2ee).toEqual({ policy: 'required' });
    expect((await access.auditEntries((e) => e.type === 'e2ee_policy_changed')).at(-1)).toMatchObject({ centerId: 'center-7', policy: 'off', by: 'admin.test' });
    expect((await put(admin, { policy: 'required' })).status).toBe(200);
    expect(await (await fetch(`${access.url}/api/e2ee-policies`, { headers: { authorization: `Bearer ${admin}` } })).json()).toEqual({ default: 'required', centers: {} });
  });

  it('the receipt is for the meeting’s seat terminal, its lawyer and admins only', async () => {
    const meeting = await access.fixtures.meetingNow(undefined, { lawyerId: 'lawyer-42' });
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    await request(lawyer, 'join', {});
    const url = `${access.url}/api/meetings/${meeting.meetingId}/privacy-receipt`;
    const get = (authorization?: string) => fetch(url, { headers: authorization ? { authorization } : {} });
    expect((await get()).status).toBe(401);
    expect((await get(`Device ${meeting.seatCredential}`)).status).toBe(200);
    expect((await get(`Device ${meeting.boothCredential}`)).status).toBe(403);
    expect((await get(`Device hjd1.${meeting.seatDeviceId}.AAAAAAAAAAA.${'A'.repeat(43)}`)).status).toBe(401);
    const accounts = new PersonAccounts(access.fixtures.redis);
    await accounts.create({ username: 'their.lawyer', displayName: 'L', role: 'lawyer', siteId: 'lawyer-42', password: 'their-lawyer-password' });
    await accounts.create({ username: 'other.lawyer', displayName: 'O', role: 'lawyer', siteId: 'lawyer-43', password: 'other-lawyer-password' });
    const session = async (username: string, password: string) =>
      ((await (await fetch(`${access.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).json()) as { token: string }).token;
    expect((await get(`Bearer ${await session('their.lawyer', 'their-lawyer-password')}`)).status).toBe(200);
    expect((await get(`Bearer ${await session('other.lawyer', 'other-lawyer-password')}`)).status).toBe(403);
    const body = (await (await get(`Device ${meeting.seatCredential}`)).json()) as { receipt: Record<string, unknown> };
    expect(body.receipt).toMatchObject({ final: false, endpointsConnected: 1, codeConfirmed: false, endToEndEncrypted: false });
    expect((await fetch(`${access.url}/api/meetings/never-held/privacy-receipt`, { headers: { authorization: `Bearer ${await access.personSession('admin')}` } })).status).toBe(404);
  });
});
