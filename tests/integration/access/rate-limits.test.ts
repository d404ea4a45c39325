import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { AccessPlatform } from './harness';

/**
 * Floods past the abuse limits (rate-limiter-flexible over Redis): failed authentications per
 * address and per device, joins per device, attempts per address, failed sign-ins. Each limit is
 * small here; the counters are cleared between cases.
 */
describe('abuse limits', () => {
  let access: AccessPlatform;

  beforeAll(async () => {
    access = await AccessPlatform.start({
      env: {
        RATE_FAILED_AUTH_PER_IP: '5',
        RATE_FAILED_AUTH_PER_DEVICE: '3',
        RATE_FAILED_AUTH_BLOCK_SECONDS: '600',
        RATE_JOINS_PER_DEVICE: '4',
        RATE_ATTEMPTS_PER_IP: '40',
      },
    });
  });
  afterAll(async () => access?.close());
  beforeEach(async () => {
    const counters = await access.fixtures.redis.keys('huijian:rl:*');
    if (counters.length > 0) await access.fixtures.redis.del(...counters);
  });

  const badCredential = `hjd1.seat-nobody.AbCdEfGhIjK.${'x'.repeat(43)}`;

  it('blocks an address after too many failed authentications, valid credentials included, and audits the block once', async () => {
    const meeting = await access.fixtures.meetingNow();
    const token = access.fixtures.token(meeting, 'lawyer');
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) codes.push(await access.refusal(access.auth(badCredential, token)));
    expect(codes).toEqual(Array(6).fill('DEVICE_CREDENTIAL_INVALID'));
    expect(await access.refusal(access.auth(meeting.seatCredential, token))).toBe('RATE_LIMITED');
    expect((await access.device({ protocol: PROTOCOL_VERSION, credential: meeting.seatCredential })).error?.code).toBe('RATE_LIMITED');
    const blocks = await access.auditEntries((e) => e.type === 'rate_limited' && e.channel === 'meeting');
    expect(blocks).toHaveLength(1);
  });

  it('blocks a device after too many failed joins, while other terminals at the same address go on', async () => {
    const meeting = await access.fixtures.meetingNow();
    const expired = access.fixtures.token(meeting, 'lawyer', { notBefore: Date.now() - 7200_000, expiresAt: Date.now() - 60_000 });
    for (let i = 0; i < 4; i++) expect(await access.refusal(access.auth(meeting.seatCredential, expired))).toBe('TOKEN_EXPIRED');
    expect(await access.refusal(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')))).toBe('RATE_LIMITED');
    await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
  });

  it('limits joins per device', async () => {
    const meeting = await access.fixtures.meetingNow();
    const auth = access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer'));
    for (let i = 0; i < 4; i++) (await access.admitted(auth)).disconnect();
    expect(await access.refusal(auth)).toBe('RATE_LIMITED');
  });

  it('limits connection attempts per address, whatever they carry', async () => {
    const outcomes = await Promise.all(Array.from({ length: 45 }, () => access.refusal({ protocol: PROTOCOL_VERSION - 1 })));
    expect(outcomes.filter((code) => code === 'PROTOCOL_VERSION_MISMATCH')).toHaveLength(40);
    expect(outcomes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(5);
  });

  it('counts failed sign-ins against the address and then refuses even the right password', async () => {
    await access.personSession('admin', 'admin.flood');
    const login = (password: string) =>
      fetch(`${access.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin.flood', password }) });
    for (let i = 0; i < 6; i++) expect((await login('wrong password')).status).toBe(401);
    const blocked = await login('pw-admin.flood-long-enough');
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });
});
