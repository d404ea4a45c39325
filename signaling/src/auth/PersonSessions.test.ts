import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BookingTokens } from './BookingTokens';
import { KeyRing } from './KeyRing';
import { hashPassword, verifyPassword } from './passwords';
import { PersonSessions } from './PersonSessions';

const dir = mkdtempSync(join(tmpdir(), 'huijian-keys-'));
const keys = KeyRing.load(dir, { autogenerate: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const officer = { username: 'officer.wang', displayName: '王警官', role: 'station_officer' as const, siteId: 'st-haidian', disabled: false };

describe('passwords', () => {
  it('verify the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text')).toBe(false);
  });
});

describe('PersonSessions', () => {
  let clock = Date.parse('2026-11-30T08:00:00Z');
  const sessions = new PersonSessions(keys, 'iss', 'huijian-staff', 3600, () => clock);

  it('carry role, site and name, and expire after their lifetime', () => {
    const { token, expiresAt } = sessions.issue(officer);
    expect(sessions.verify(token)).toMatchObject({ sub: 'officer.wang', role: 'station_officer', site: 'st-haidian', name: '王警官' });
    expect(expiresAt).toBe(clock + 3600_000);
    clock += 3601_000;
    expect(() => sessions.verify(token)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('are not accepted as booking tokens, and booking tokens are not accepted as sessions', () => {
    const now = Date.now();
    const fresh = new PersonSessions(keys, 'iss', 'huijian-staff', 3600);
    const bookings = new BookingTokens(keys, 'iss', 'huijian-meeting');
    const session = fresh.issue(officer).token;
    const booking = bookings.issue({ bookingId: 'b', meetingId: 'm', role: 'lawyer', deviceId: 'seat-1', notBefore: now - 1000, expiresAt: now + 60_000 });
    expect(() => bookings.verify(session)).toThrow(expect.objectContaining({ code: 'TOKEN_WRONG_AUDIENCE' }));
    expect(() => fresh.verify(booking)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });
});
