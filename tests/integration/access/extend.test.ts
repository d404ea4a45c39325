import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceAssignment } from '../../../signaling/src/protocol';
import { AccessPlatform, next, request } from './harness';

/**
 * The lawyer's extend: only the lawyer, only when the next slot is free for both the seat and
 * the booth, only within the policy's longest meeting (2 hours by default). An extension moves
 * the slot end for both sides and re-issues both devices' tokens for the new window.
 */
describe("the lawyer's extend", () => {
  let access: AccessPlatform;

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, env: { EXTENSION_SECONDS: '3600', MAX_MEETING_SECONDS: '7200' } });
  });
  afterAll(async () => access?.close());

  async function running(overrides = {}) {
    const meeting = await access.fixtures.meetingNow(undefined, overrides);
    await access.fixtures.assign(meeting, 'lawyer');
    await access.fixtures.assign(meeting, 'detainee');
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, access.fixtures.token(meeting, 'lawyer')));
    const booth = await access.admitted(access.auth(meeting.boothCredential, access.fixtures.token(meeting, 'detainee')));
    await request(lawyer, 'join', {});
    await request(booth, 'join', {});
    return { meeting, lawyer, booth };
  }

  it('is refused to the detainee', async () => {
    const { booth } = await running();
    expect(await request(booth, 'extendMeeting', {})).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('extends by one slot when the next is free: both sides hear the new end, both devices get new tokens', async () => {
    const { meeting, lawyer, booth } = await running();
    const newEnd = meeting.endsAt + 3600_000;
    const lawyerHears = next<{ endsAt: number }>(lawyer, 'slotExtended');
    const boothHears = next<{ endsAt: number }>(booth, 'slotExtended');
    expect(await request(lawyer, 'extendMeeting', {})).toEqual({ endsAt: newEnd });
    expect(await lawyerHears).toEqual({ endsAt: newEnd });
    expect(await boothHears).toEqual({ endsAt: newEnd });
    expect((await access.fixtures.store.get(meeting.meetingId))?.endsAt).toBe(newEnd);
    for (const deviceId of [meeting.seatDeviceId, meeting.boothDeviceId]) {
      const assignment = (await access.fixtures.assignments.current(deviceId)) as DeviceAssignment;
      expect(assignment.endsAt).toBe(newEnd);
      expect(access.fixtures.tokens.verify(assignment.token).exp).toBe(Math.floor(newEnd / 1000));
    }
    // A reconnection with the re-issued token is admitted.
    const seatAssignment = (await access.fixtures.assignments.current(meeting.seatDeviceId))!;
    await access.admitted(access.auth(meeting.seatCredential, seatAssignment.token));
    expect((await access.auditEntries((e) => e.type === 'extended' && e.meetingId === meeting.meetingId)).map((e) => Number(e.endsAt))).toEqual([newEnd]);
  });

  it('is refused past the longest meeting the policy allows', async () => {
    const { lawyer } = await running();
    expect(await request(lawyer, 'extendMeeting', {})).toHaveProperty('endsAt');
    expect(await request(lawyer, 'extendMeeting', {})).toMatchObject({ error: { code: 'EXTENSION_REFUSED' } });
  });

  /** Book the same seat or booth for the slot after this meeting (written as the booking domain would). */
  async function bookFollowing(meeting: Awaited<ReturnType<typeof running>>['meeting'], which: 'seat' | 'booth', status: 'scheduled' | 'cancelled' = 'scheduled') {
    const { seatCredential: _s, boothCredential: _b, ...record } = meeting;
    await access.fixtures.store.put({
      ...record,
      meetingId: `${meeting.meetingId}-next-${which}`,
      bookingId: `${meeting.bookingId}-next-${which}`,
      startsAt: meeting.endsAt + 10 * 60_000,
      endsAt: meeting.endsAt + 70 * 60_000,
      status,
      ...(which === 'seat' ? { boothDeviceId: 'booth-elsewhere' } : { seatDeviceId: 'seat-elsewhere' }),
    });
  }

  it.each(['seat', 'booth'] as const)('is refused when the %s has its next slot booked', async (which) => {
    const { meeting, lawyer } = await running();
    await bookFollowing(meeting, which);
    expect(await request(lawyer, 'extendMeeting', {})).toMatchObject({ error: { code: 'EXTENSION_REFUSED' } });
    const refused = await access.auditEntries((e) => e.type === 'extension_refused' && e.meetingId === meeting.meetingId);
    expect(refused.map((e) => e.reason)).toEqual([`${which}_busy`]);
    expect((await access.fixtures.store.get(meeting.meetingId))?.endsAt).toBe(meeting.endsAt);
  });

  it('ignores a cancelled booking in the next slot', async () => {
    const { meeting, lawyer } = await running();
    await bookFollowing(meeting, 'booth', 'cancelled');
    expect(await request(lawyer, 'extendMeeting', {})).toEqual({ endsAt: meeting.endsAt + 3600_000 });
  });
});
