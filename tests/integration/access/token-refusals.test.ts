import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingTokens } from '../../../signaling/src/auth/BookingTokens';
import { PersonSessions } from '../../../signaling/src/auth/PersonSessions';
import { audience, issuer } from '../../support/meetingFixtures';
import { AccessPlatform } from './harness';

/**
 * The booking token at the door: every way a token can be absent, forged, confused or out of
 * its window is refused at the handshake with its own code, and leaves no seat taken.
 */
describe('booking token refusals', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;

  beforeAll(async () => {
    access = await AccessPlatform.start();
    meeting = await access.fixtures.meetingNow();
  });
  afterAll(async () => access?.close());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: meeting.bookingId, mid: meeting.meetingId, role: 'lawyer', dev: meeting.seatDeviceId, nbf: now() - 60, exp: now() + 3600, iat: now() });
  const signWith = (key: jwt.Secret, options: jwt.SignOptions) =>
    jwt.sign(claims(), key, { issuer, audience, jwtid: randomUUID(), keyid: access.fixtures.keys.activeKid, ...options });
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  const cases: [string, () => string | undefined, string][] = [
    ['absent', () => undefined, 'TOKEN_MISSING'],
    ['empty', () => '', 'TOKEN_MISSING'],
    ['not a JWT', () => 'not-a-token', 'TOKEN_MALFORMED'],
    ['forged: the right kid, another key', () => access.fixtures.forgedToken(meeting, 'lawyer'), 'TOKEN_INVALID_SIGNATURE'],
    [
      'tampered: a valid token with its claims edited',
      () => {
        const [header, , signature] = access.fixtures.token(meeting, 'lawyer').split('.');
        return `${header}.${part({ ...claims(), exp: now() + 86_400 * 30 })}.${signature}`;
      },
      'TOKEN_INVALID_SIGNATURE',
    ],
    [
      'signed with an unknown kid',
      () => signWith(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { algorithm: 'ES256', keyid: 'k-unknown' }),
      'TOKEN_UNKNOWN_KEY',
    ],
    ['alg none', () => `${part({ alg: 'none', typ: 'JWT', kid: access.fixtures.keys.activeKid })}.${part({ ...claims(), iss: issuer, aud: audience, jti: randomUUID() })}.`, 'TOKEN_ALGORITHM_REFUSED'],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      () => {
        const publicPem = access.fixtures.keys.publicKey(access.fixtures.keys.activeKid)!.export({ type: 'spki', format: 'pem' });
        return signWith(Buffer.from(publicPem), { algorithm: 'HS256' });
      },
      'TOKEN_ALGORITHM_REFUSED',
    ],
    ['RS256 with an attacker RSA key', () => signWith(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { algorithm: 'RS256' }), 'TOKEN_ALGORITHM_REFUSED'],
    [
      'expired',
      () => access.fixtures.token(meeting, 'lawyer', { notBefore: Date.now() - 7200_000, expiresAt: Date.now() - 60_000 }),
      'TOKEN_EXPIRED',
    ],
    ['not yet valid', () => access.fixtures.token(meeting, 'lawyer', { notBefore: Date.now() + 600_000 }), 'TOKEN_NOT_YET_VALID'],
    [
      'for another audience',
      () => new BookingTokens(access.fixtures.keys, issuer, 'another-service').issue({ bookingId: meeting.bookingId, meetingId: meeting.meetingId, role: 'lawyer', deviceId: meeting.seatDeviceId, notBefore: Date.now() - 60_000, expiresAt: meeting.endsAt }),
      'TOKEN_WRONG_AUDIENCE',
    ],
    [
      'from another issuer',
      () => new BookingTokens(access.fixtures.keys, 'someone-else', audience).issue({ bookingId: meeting.bookingId, meetingId: meeting.meetingId, role: 'lawyer', deviceId: meeting.seatDeviceId, notBefore: Date.now() - 60_000, expiresAt: meeting.endsAt }),
      'TOKEN_WRONG_ISSUER',
    ],
    [
      "a staff member's session token",
      () => new PersonSessions(access.fixtures.keys, issuer, 'huijian-staff', 3600).issue({ username: 'officer.wang', displayName: 'W', role: 'station_officer', disabled: false }).token,
      'TOKEN_WRONG_AUDIENCE',
    ],
    [
      'validly signed but without the meeting claim',
      () => {
        const { mid: _mid, ...rest } = claims();
        return jwt.sign(rest, access.fixtures.keys.signingKey().privateKey, { algorithm: 'ES256', keyid: access.fixtures.keys.activeKid, issuer, audience, jwtid: randomUUID() });
      },
      'TOKEN_CLAIMS_INVALID',
    ],
  ];

  it.each(cases)('refuses a token that is %s', async (_name, token, code) => {
    const auth = { ...access.auth(meeting.seatCredential, ''), token: token() };
    if (auth.token === undefined) delete (auth as { token?: string }).token;
    expect(await access.refusal(auth)).toBe(code);
  });

  it('audits every refusal with its code, and no seat was taken', async () => {
    const refused = await access.auditEntries((e) => e.type === 'refused' && e.channel === 'meeting');
    const codes = refused.map((e) => e.code);
    for (const [, , code] of cases) expect(codes).toContain(code);
    expect(refused.length).toBeGreaterThanOrEqual(cases.length);
    expect(await access.fixtures.store.seatHolder(meeting.meetingId, 'lawyer')).toBeUndefined();
  });

  it('still admits the genuine token afterwards (the refusals left the service healthy)', async () => {
    const socket = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    expect(socket.connected).toBe(true);
  });
});
