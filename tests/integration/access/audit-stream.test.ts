import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPlatform, request } from './harness';

type Entry = Record<string, string | number>;

/**
 * The audit stream: every gate decision lands in one append-only Redis stream, metadata only
 * (no token, credential or password ever), and admins, and only admins, read it over REST.
 */
describe('the audit stream', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;
  const secrets: string[] = [];
  let admin: string;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true });
    meeting = await access.fixtures.meetingNow();
    secrets.push(meeting.seatCredential, meeting.boothCredential);
    const lawyerToken = access.fixtures.token(meeting, 'lawyer');
    const expired = access.fixtures.token(meeting, 'detainee', { notBefore: Date.now() - 7200_000, expiresAt: Date.now() - 1000 });
    secrets.push(lawyerToken, expired);
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, lawyerToken));
    await request(lawyer, 'join', {});
    expect(await access.refusal(access.auth(meeting.boothCredential, expired))).toBe('TOKEN_EXPIRED');
    const booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
    await request(booth, 'join', {});
    await request(booth, 'endMeeting', {});
    admin = await access.personSession('admin');
    const wrong = await fetch(`${access.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin.test', password: 'guess-1234' }) });
    expect(wrong.status).toBe(401);
    secrets.push('guess-1234', admin);
  }, 60_000);
  afterAll(async () => access?.close());

  const read = async (query: string, token = admin) => fetch(`${access.url}/api/audit${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('records admitted, joined, refused with its code, ended and the privacy receipt, in order, for the meeting', async () => {
    const response = await read(`?meetingId=${meeting.meetingId}`);
    expect(response.status).toBe(200);
    const { entries } = (await response.json()) as { entries: Entry[] };
    const story = entries.reverse().map((e) => [e.type, e.role ?? e.reason, e.code].filter(Boolean).join(':'));
    expect(story).toEqual([
      'admitted:lawyer',
      'joined:lawyer',
      'refused:detainee:TOKEN_EXPIRED',
      'admitted:detainee',
      'joined:detainee',
      'ended:ended_by_detainee',
      'privacy_receipt:no_recorder',
    ]);
    expect(entries.every((e) => e.meetingId === meeting.meetingId && typeof e.at === 'number' && e.instance === 'signaling')).toBe(true);
  });

  it('pages back through the stream, newest first', async () => {
    const first = (await (await read('?count=2')).json()) as { entries: Entry[]; next?: string };
    expect(first.entries).toHaveLength(2);
    expect(first.next).toBe(first.entries[1]!.id);
    const second = (await (await read(`?count=2&before=${first.next}`)).json()) as { entries: Entry[] };
    const order = (id: unknown) => String(id).split('-').map(Number) as [number, number];
    const [newerMs, newerSeq] = order(first.entries[1]!.id);
    const [olderMs, olderSeq] = order(second.entries[0]!.id);
    expect(olderMs < newerMs || (olderMs === newerMs && olderSeq < newerSeq)).toBe(true);
    expect(second.entries.map((e) => e.id)).not.toContain(first.entries[0]!.id);
  });

  it('holds no token, credential, password or session anywhere in the stream', async () => {
    const raw = JSON.stringify(await access.fixtures.redis.xrange('huijian:audit', '-', '+'));
    for (const secret of secrets) expect(raw.includes(secret)).toBe(false);
    expect(raw).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(raw).not.toMatch(/hjd1\./);
  });

  it('is for admins only', async () => {
    expect((await read('', '')).status).toBe(401);
    const officer = await access.personSession('station_officer');
    const forbidden = await read('', officer);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await read('?count=100000')).status).toBe(400);
  });

  it('offers no way to change it: the API has no write route', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${access.url}/api/audit`, { method, headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(404);
    }
  });
});
