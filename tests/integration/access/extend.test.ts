import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceAssignment } from '../../../signaling/src/protocol';
import { fixtureAdmin, policyAroundNow, type BookedMeeting } from '../../support/meetingFixtures';
import { AccessPlatform, next, request } from './harness';

const hour = 3_600_000;

/**
 * The lawyer's extend through the running service, on real bookings: the booking domain decides
 * (BookingSlotExtension, DayWorkflow). Only the lawyer; only when the next slot follows directly
 * and is free for the seat, the booth, the lawyer and the detainee; only within the center's
 * longest run (2 consecutive hours by default). An extension moves the slot end for both sides and
 * re-issues both devices' tokens for the new window.
 */
describe("the lawyer's extend", () => {
  let access: AccessPlatform;
  // The center's hourly slots start just before now, so each meeting below runs in a real slot with two more after it.
  const { policies, slot } = policyAroundNow();

  beforeAll(async () => {
    access = await AccessPlatform.start({ sfu: true, env: { BOOKING_POLICIES: JSON.stringify(policies) } });
  });
  afterAll(async () => access?.close());

  /** A booking happening now (checked in, seated), both terminals admitted with the tokens their assignments carry, and joined. */
  async function running() {
    const meeting = await access.fixtures.bookedMeetingNow(slot);
    const lawyer = await access.admitted(access.auth(meeting.seatCredential, await access.fixtures.assignedToken(meeting.seatDeviceId)));
    const booth = await access.admitted(access.auth(meeting.boothCredential, await access.fixtures.assignedToken(meeting.boothDeviceId)));
    expect(await request(lawyer, 'join', {})).not.toHaveProperty('error');
    expect(await request(booth, 'join', {})).not.toHaveProperty('error');
    return { meeting, lawyer, booth };
  }

  /** Another real booking in the slot after `meeting`, on the same seat or the same booth (other people, other booth or seat). */
  async function bookFollowing(meeting: BookedMeeting, which: 'seat' | 'booth') {
    const { seatId, boothId, ...people } = await access.fixtures.bookingParties();
    const following = await access.fixtures.booking.desk.book(fixtureAdmin, {
      ...people,
      startsAt: meeting.endsAt,
      seatId: which === 'seat' ? meeting.seatDeviceId : seatId,
      boothId: which === 'booth' ? meeting.boothDeviceId : boothId,
    });
    expect(which === 'seat' ? following.seatId : following.boothId).toBe(which === 'seat' ? meeting.seatDeviceId : meeting.boothDeviceId);
    return following;
  }

  const refusalReasons = async (meetingId: string) =>
    (await access.auditEntries((e) => e.type === 'extension_refused' && e.meetingId === meetingId)).map((e) => e.reason);

  it('is refused to the detainee', async () => {
    const { meeting, booth } = await running();
    expect(await request(booth, 'extendMeeting', {})).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await access.fixtures.store.get(meeting.meetingId))?.endsAt).toBe(slot.endsAt);
  });

  it('extends by one slot when the next is free: both sides hear the new end, both devices get new tokens', async () => {
    const { meeting, lawyer, booth } = await running();
    const newEnd = slot.endsAt + hour;
    const lawyerHears = next<{ endsAt: number }>(lawyer, 'slotExtended');
    const boothHears = next<{ endsAt: number }>(booth, 'slotExtended');
    expect(await request(lawyer, 'extendMeeting', {})).toEqual({ endsAt: newEnd });
    expect(await lawyerHears).toEqual({ endsAt: newEnd });
    expect(await boothHears).toEqual({ endsAt: newEnd });
    expect((await access.fixtures.store.get(meeting.meetingId))?.endsAt).toBe(newEnd);
    expect(await access.fixtures.booking.ctx.store.get(meeting.booking.id)).toMatchObject({ status: 'in_meeting', endsAt: newEnd, extendedFrom: slot.endsAt });
    for (const deviceId of [meeting.seatDeviceId, meeting.boothDeviceId]) {
      const assignment = (await access.fixtures.assignments.current(deviceId)) as DeviceAssignment;
      expect(assignment.endsAt).toBe(newEnd);
      expect(access.fixtures.tokens.verify(assignment.token).exp).toBe(Math.floor(newEnd / 1000));
    }
    // A reconnection with the re-issued token is admitted.
    await access.admitted(access.auth(meeting.seatCredential, await access.fixtures.assignedToken(meeting.seatDeviceId)));
    expect((await access.auditEntries((e) => e.type === 'extended' && e.meetingId === meeting.meetingId)).map((e) => Number(e.endsAt))).toEqual([newEnd]);
  });

  it('is refused past the longest run the center’s policy allows, though a third slot follows', async () => {
    const { meeting, lawyer } = await running();
    expect(await request(lawyer, 'extendMeeting', {})).toEqual({ endsAt: slot.endsAt + hour });
    expect(await request(lawyer, 'extendMeeting', {})).toMatchObject({ error: { code: 'EXTENSION_REFUSED', details: { reason: 'consecutive_limit' } } });
    expect(await refusalReasons(meeting.meetingId)).toEqual(['consecutive_limit']);
    expect((await access.fixtures.store.get(meeting.meetingId))?.endsAt).toBe(slot.endsAt + hour);
  });

  it.each(['seat', 'booth'] as const)('is refused when the %s has its next slot booked', async (which) => {
    const { meeting, lawyer } = await running();
    await bookFollowing(meeting, which);
    expect(await request(lawyer, 'extendMeeting', {})).toMatchObject({ error: { code: 'EXTENSION_REFUSED', details: { reason: `${which}_busy` } } });
    expect(await refusalReasons(meeting.meetingId)).toEqual([`${which}_busy`]);
    expect((await access.fixtures.store.get(meeting.meetingId))?.endsAt).toBe(slot.endsAt);
    expect((await access.fixtures.booking.ctx.store.get(meeting.booking.id))?.endsAt).toBe(slot.endsAt);
  });

  it('is no longer blocked once the booking in the next slot is cancelled', async () => {
    const { meeting, lawyer } = await running();
    const following = await bookFollowing(meeting, 'booth');
    expect(await request(lawyer, 'extendMeeting', {})).toMatchObject({ error: { code: 'EXTENSION_REFUSED', details: { reason: 'booth_busy' } } });
    await access.fixtures.booking.desk.cancel(fixtureAdmin, following.id, 'visit called off');
    expect(await request(lawyer, 'extendMeeting', {})).toEqual({ endsAt: slot.endsAt + hour });
  });
});
