import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../signaling/src/protocol';
import { audience, issuer } from '../../support/meetingFixtures';
import { AccessPlatform, disconnected } from './harness';

/**
 * The device credential and the token's binding to it: a booking token alone opens nothing; it
 * must come from the registered terminal it names, and that terminal's kind decides the role.
 */
describe('device credential and device binding', () => {
  let access: AccessPlatform;
  let meeting: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;
  let other: Awaited<ReturnType<AccessPlatform['fixtures']['meetingNow']>>;

  beforeAll(async () => {
    access = await AccessPlatform.start();
    meeting = await access.fixtures.meetingNow();
    other = await access.fixtures.meetingNow();
  });
  afterAll(async () => access?.close());

  const lawyerToken = () => access.fixtures.token(meeting, 'lawyer');

  it('refuses a handshake without a credential', async () => {
    expect(await access.refusal({ protocol: PROTOCOL_VERSION, token: lawyerToken() })).toBe('DEVICE_CREDENTIAL_MISSING');
  });

  it.each([
    ['garbage', 'not-a-credential'],
    ['the right device with a wrong secret', () => meeting.seatCredential.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    ['an unregistered device', `hjd1.seat-nobody.AbCdEfGhIjK.${'x'.repeat(43)}`],
  ])('refuses a credential that is %s', async (_name, credential) => {
    const value = typeof credential === 'function' ? credential() : credential;
    expect(await access.refusal(access.auth(value, lawyerToken()))).toBe('DEVICE_CREDENTIAL_INVALID');
  });

  it("refuses the seat's token presented by another registered seat terminal", async () => {
    expect(await access.refusal(access.auth(other.seatCredential, lawyerToken()))).toBe('TOKEN_DEVICE_MISMATCH');
  });

  it('refuses a token bound to no device at all', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unbound = jwt.sign(
      { sub: meeting.bookingId, mid: meeting.meetingId, role: 'lawyer', nbf: now - 60, exp: now + 3600, iat: now },
      access.fixtures.keys.signingKey().privateKey,
      { algorithm: 'ES256', keyid: access.fixtures.keys.activeKid, issuer, audience, jwtid: randomUUID() },
    );
    expect(await access.refusal(access.auth(meeting.seatCredential, unbound))).toBe('TOKEN_DEVICE_MISMATCH');
  });

  it("refuses the wrong role: a detainee token bound to a seat terminal", async () => {
    const detaineeOnSeat = access.fixtures.token(meeting, 'detainee', { deviceId: meeting.seatDeviceId });
    expect(await access.refusal(access.auth(meeting.seatCredential, detaineeOnSeat))).toBe('TOKEN_ROLE_MISMATCH');
  });

  it("refuses another meeting's token on this meeting's terminal", async () => {
    expect(await access.refusal(access.auth(meeting.boothCredential, access.fixtures.token(other, 'detainee')))).toBe('TOKEN_DEVICE_MISMATCH');
  });

  it('revoking a credential closes its live connection at once and refuses it afterwards', async () => {
    const fresh = await access.fixtures.meetingNow();
    const socket = await access.admitted(access.auth(fresh.boothCredential, access.fixtures.token(fresh, 'detainee')));
    const gone = disconnected(socket);
    await access.fixtures.devices.revoke(fresh.boothDeviceId, 'test');
    expect(await gone).toBe('io server disconnect');
    expect(await access.refusal(access.auth(fresh.boothCredential, access.fixtures.token(fresh, 'detainee')))).toBe('DEVICE_REVOKED');
    const revokedLive = await access.auditEntries((e) => e.type === 'revoked_live' && e.deviceId === fresh.boothDeviceId);
    expect(revokedLive.map((e) => e.code)).toEqual(['DEVICE_REVOKED']);
  });

  it('a rotated credential stops working at once; the new one works', async () => {
    const fresh = await access.fixtures.meetingNow();
    const { credential: rotated } = await access.fixtures.devices.rotate(fresh.seatDeviceId, 'test');
    expect(await access.refusal(access.auth(fresh.seatCredential, access.fixtures.token(fresh, 'lawyer')))).toBe('DEVICE_REVOKED');
    expect((await access.admitted(access.auth(rotated, access.fixtures.token(fresh, 'lawyer')))).connected).toBe(true);
  });

  it('the genuine pair is admitted', async () => {
    expect((await access.admitted(access.auth(meeting.seatCredential, lawyerToken()))).connected).toBe(true);
    expect((await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')))).connected).toBe(true);
  });
});
