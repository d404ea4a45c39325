import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, describe, expect, it } from 'vitest';
import { BookingTokens } from './BookingTokens';
import { KeyRing } from './KeyRing';

const dir = mkdtempSync(join(tmpdir(), 'huijian-keys-'));
const keys = KeyRing.load(dir, { autogenerate: true });
const now = Date.parse('2026-11-30T09:00:00Z');
const tokens = new BookingTokens(keys, 'iss-test', 'aud-test', () => now);
const request = {
  bookingId: 'b-1',
  meetingId: 'm-1',
  role: 'lawyer' as const,
  deviceId: 'seat-7',
  notBefore: now - 600_000,
  expiresAt: now + 3600_000,
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** Sign arbitrary claims, header and key, to play an attacker. */
function craft(payload: object, key: jwt.Secret, options: jwt.SignOptions): string {
  return jwt.sign(payload, key, options);
}

const nowSeconds = Math.floor(now / 1000);
const validClaims = { sub: 'b-1', mid: 'm-1', role: 'lawyer', nbf: nowSeconds - 60, exp: nowSeconds + 3600, iat: nowSeconds };

describe('BookingTokens', () => {
  it('round-trips the narrow claims: booking, meeting, role, device, window, id', () => {
    const claims = tokens.verify(tokens.issue(request));
    expect(claims).toMatchObject({ sub: 'b-1', mid: 'm-1', role: 'lawyer', dev: 'seat-7', iss: 'iss-test', aud: 'aud-test' });
    expect(claims.nbf).toBe(Math.floor(request.notBefore / 1000));
    expect(claims.exp).toBe(Math.floor(request.expiresAt / 1000));
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(jwt.decode(tokens.issue(request), { complete: true })?.header).toMatchObject({ alg: 'ES256', kid: keys.activeKid });
  });

  it('gives every token its own id', () => {
    expect(tokens.verify(tokens.issue(request)).jti).not.toBe(tokens.verify(tokens.issue(request)).jti);
  });

  it.each([
    ['absent', undefined, 'TOKEN_MISSING'],
    ['empty', '', 'TOKEN_MISSING'],
    ['not a JWT', 'hello.world', 'TOKEN_MALFORMED'],
    ['a number', 42, 'TOKEN_MISSING'],
  ])('refuses a token that is %s', (_name, token, code) => {
    expect(codeOf(() => tokens.verify(token))).toBe(code);
  });

  it('refuses expired and not-yet-valid tokens by the injected clock', () => {
    const expired = tokens.issue({ ...request, notBefore: now - 7200_000, expiresAt: now - 1000 });
    const early = tokens.issue({ ...request, notBefore: now + 60_000 });
    expect(codeOf(() => tokens.verify(expired))).toBe('TOKEN_EXPIRED');
    expect(codeOf(() => tokens.verify(early))).toBe('TOKEN_NOT_YET_VALID');
  });

  it('refuses another audience and another issuer', () => {
    const other = new BookingTokens(keys, 'iss-test', 'someone-else', () => now);
    const otherIssuer = new BookingTokens(keys, 'evil', 'aud-test', () => now);
    expect(codeOf(() => tokens.verify(other.issue(request)))).toBe('TOKEN_WRONG_AUDIENCE');
    expect(codeOf(() => tokens.verify(otherIssuer.issue(request)))).toBe('TOKEN_WRONG_ISSUER');
  });

  it('refuses alg "none"', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: keys.activeKid })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...validClaims, iss: 'iss-test', aud: 'aud-test', jti: randomUUID() })).toString('base64url');
    expect(codeOf(() => tokens.verify(`${header}.${body}.`))).toBe('TOKEN_ALGORITHM_REFUSED');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', () => {
    const publicPem = keys.publicKey(keys.activeKid)!.export({ type: 'spki', format: 'pem' }).toString();
    const forged = craft({ ...validClaims }, Buffer.from(publicPem), {
      algorithm: 'HS256',
      keyid: keys.activeKid,
      issuer: 'iss-test',
      audience: 'aud-test',
      jwtid: randomUUID(),
    });
    expect(codeOf(() => tokens.verify(forged))).toBe('TOKEN_ALGORITHM_REFUSED');
  });

  it('refuses a signature from another key under a known kid, and an unknown kid', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const options = { algorithm: 'ES256' as const, issuer: 'iss-test', audience: 'aud-test', jwtid: randomUUID() };
    expect(codeOf(() => tokens.verify(craft(validClaims, privateKey, { ...options, keyid: keys.activeKid })))).toBe('TOKEN_INVALID_SIGNATURE');
    expect(codeOf(() => tokens.verify(craft(validClaims, privateKey, { ...options, keyid: 'nobody' })))).toBe('TOKEN_UNKNOWN_KEY');
    expect(createPublicKey(privateKey).asymmetricKeyType).toBe('ec');
  });

  it('refuses a valid signature over claims that lack the meeting or role', () => {
    const { privateKey } = keys.signingKey();
    const options = { algorithm: 'ES256' as const, keyid: keys.activeKid, issuer: 'iss-test', audience: 'aud-test', jwtid: randomUUID() };
    const { mid: _mid, ...noMeeting } = validClaims;
    expect(codeOf(() => tokens.verify(craft(noMeeting, privateKey, options)))).toBe('TOKEN_CLAIMS_INVALID');
    expect(codeOf(() => tokens.verify(craft({ ...validClaims, role: 'ops' }, privateKey, options)))).toBe('TOKEN_CLAIMS_INVALID');
  });
});
