import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPlatform, disconnected, next, request } from './harness';

/**
 * Admission is not forever: a live meeting is re-checked when a device's assignment changes and
 * periodically, so a cancellation or a reassignment by the booking domain takes effect at once.
 */
describe('live re-checks of admitted seats', () => {
  let access: AccessPlatform;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, env: { MEETING_RECHECK_SECONDS: '1' } });
  });
  afterAll(async () => access?.close());

  async function running() {
    const meeting = await access.fixtures.meetingNow();
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, await access.fixtures.assign(meeting, 'lawyer')));
    const booth = await access.admitted(access.auth(meeting.boothCredential, await access.fixtures.assign(meeting, 'detainee')));
    await request(lawyer, 'join', {});
    await request(booth, 'join', {});
    const { seatCredential: _s, boothCredential: _b, ...record } = meeting;
    return { meeting, record, lawyer, booth };
  }

  it('ends the meeting for both when the booking is cancelled and its assignments withdrawn', async () => {
    const { meeting, record, lawyer, booth } = await running();
    const told = [next<{ reason: string }>(lawyer, 'meetingEnded'), next<{ reason: string }>(booth, 'meetingEnded')];
    await access.fixtures.store.put({ ...record, status: 'cancelled' });
    await access.fixtures.assignments.revoke(meeting.seatDeviceId, meeting.meetingId);
    expect(await Promise.all(told)).toEqual([{ reason: 'cancelled' }, { reason: 'cancelled' }]);
    expect(await access.fixtures.store.endOf(meeting.meetingId)).toMatchObject({ reason: 'cancelled' });
  });

  it('closes only the old seat when the seat is reassigned, and audits why', async () => {
    const { meeting, lawyer, booth } = await running();
    const told = next<{ reason: string }>(lawyer, 'meetingEnded');
    const gone = disconnected(lawyer);
    const peerLeft = next<{ role: string }>(booth, 'peerLeft');
    await access.fixtures.assignments.revoke(meeting.seatDeviceId, meeting.meetingId);
    expect(await told).toEqual({ reason: 'cancelled' });
    expect(await gone).toBe('io server disconnect');
    expect(await peerLeft).toEqual({ role: 'lawyer' });
    expect(booth.connected).toBe(true);
    const audited = await access.auditEntries((e) => e.type === 'revoked_live' && e.meetingId === meeting.meetingId);
    expect(audited.map((e) => `${e.role}:${e.code}`)).toEqual(['lawyer:TOKEN_REVOKED']);
  });

  it('notices a cancellation written without any notification, by the periodic re-check', async () => {
    const { meeting, record, lawyer, booth } = await running();
    const started = Date.now();
    const told = [next<{ reason: string }>(lawyer, 'meetingEnded', 5000), next<{ reason: string }>(booth, 'meetingEnded', 5000)];
    await access.fixtures.store.put({ ...record, status: 'cancelled' });
    expect(await Promise.all(told)).toEqual([{ reason: 'cancelled' }, { reason: 'cancelled' }]);
    expect(Date.now() - started).toBeLessThan(3000);
    const ended = await access.auditEntries((e) => e.type === 'ended' && e.meetingId === meeting.meetingId);
    expect(ended.map((e) => e.reason)).toEqual(['cancelled']);
  });
});
