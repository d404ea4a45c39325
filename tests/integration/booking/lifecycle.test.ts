import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingKeys } from '../../../signaling/src/store/bookingKeys';
import { BookingHarness, beijing, minute, RecordingSender, seedWorld } from '../../support/BookingHarness';

/**
 * booked → checked_in → in_meeting → completed, and the clock-driven ends, with the join gate's
 * projection (MeetingRecord) and the devices' assignments checked at every step.
 */
const monday = beijing('2026-12-07', '10:00');
const all = { identityVerified: true, licenceVerified: true, authorizationLetterVerified: true, noticeSigned: true };

describe('booking lifecycle with a controllable server clock', () => {
  let h: BookingHarness;
  const sender = new RecordingSender();
  const lawyer = (n: number) => h.session('lawyer', `law-${n}`);
  const stationOfficer = () => h.session('station_officer', 'st-a', 'officer.wang');
  const centerOfficer = () => h.session('detention_officer', 'dc-1', 'officer.sun');

  beforeAll(async () => {
    h = await BookingHarness.start({ now: monday, sender });
    await seedWorld(h, { seatsPerStation: 2, boothsPerCenter: 2, lawyers: 4, detainees: 6 });
    await h.booking.dispatcher.start();
  });
  afterAll(async () => h?.stop());

  async function book(n: number, detaineeId: string, startsAt: number) {
    h.clock.set(monday);
    const made = await h.api('POST', '/bookings', lawyer(n), { detaineeId, stationId: 'st-a', startsAt });
    expect(made.status).toBe(201);
    return made.body as { id: string; meetingId: string; seatId: string; boothId: string; startsAt: number; endsAt: number };
  }

  it('runs the whole day: check-in, seating, extension, slot end; tokens and devices follow', async () => {
    const start = beijing('2026-12-09', '09:00');
    const b = await book(1, 'det-1', start);

    h.clock.set(start - 30 * minute);
    const checked = await h.api('POST', `/bookings/${b.id}/check-in`, stationOfficer(), all);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ status: 'checked_in', checkIn: { by: 'officer.wang', at: start - 30 * minute, noticeSigned: true } });
    expect(await h.meetings.get(b.meetingId)).toMatchObject({ status: 'scheduled', lawyerCheckedIn: true, detaineeSeated: false, seatDeviceId: b.seatId });
    const seatAssignment = await h.devices.current(b.seatId);
    expect(seatAssignment).toMatchObject({ meetingId: b.meetingId, bookingId: b.id, role: 'lawyer', startsAt: start, endsAt: b.endsAt, lawyerName: 'Lawyer 1' });
    h.clock.set(start);
    expect(h.tokens.verify(seatAssignment!.token)).toMatchObject({ sub: b.id, mid: b.meetingId, role: 'lawyer', dev: b.seatId, nbf: (start - 600_000) / 1000, exp: b.endsAt / 1000 });
    expect(await h.devices.current(b.boothId)).toBeUndefined();

    h.clock.set(start - 5 * minute);
    const seated = await h.api('POST', `/bookings/${b.id}/seating`, centerOfficer(), {});
    expect(seated.status).toBe(200);
    expect(seated.body).toMatchObject({ status: 'in_meeting', seating: { by: 'officer.sun' } });
    expect(await h.meetings.get(b.meetingId)).toMatchObject({ lawyerCheckedIn: true, detaineeSeated: true });
    const boothAssignment = await h.devices.current(b.boothId);
    expect(boothAssignment).toMatchObject({ role: 'detainee', meetingId: b.meetingId });
    h.clock.set(start);
    expect(h.tokens.verify(boothAssignment!.token)).toMatchObject({ role: 'detainee', dev: b.boothId });

    // The lawyer asks for one more slot: 10:00 is free for seat, booth, lawyer and detainee.
    h.clock.set(start + 50 * minute);
    const offer = await h.api('GET', `/bookings/${b.id}/extension`, lawyer(1));
    expect(offer.body).toMatchObject({ allowed: true, endsAt: beijing('2026-12-09', '11:00') });
    const extended = await h.api('POST', `/bookings/${b.id}/extension`, lawyer(1));
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ endsAt: beijing('2026-12-09', '11:00'), extendedFrom: b.endsAt });
    expect((await h.meetings.get(b.meetingId))?.endsAt).toBe(beijing('2026-12-09', '11:00'));
    expect(h.tokens.verify((await h.devices.current(b.seatId))!.token).exp).toBe(beijing('2026-12-09', '11:00') / 1000);
    // A third hour would break the 2-hours-in-a-row rule.
    expect((await h.api('GET', `/bookings/${b.id}/extension`, lawyer(1))).body).toMatchObject({ allowed: false, code: 'EXTENSION_NOT_ALLOWED' });

    h.clock.set(beijing('2026-12-09', '11:00'));
    expect((await h.booking.timekeeper.tick()).completed).toBe(1);
    const done = await h.api('GET', `/bookings/${b.id}`, lawyer(1));
    expect(done.body).toMatchObject({ status: 'completed', endedEarly: false });
    expect((await h.meetings.get(b.meetingId))?.status).toBe('ended');
    expect(await h.devices.current(b.seatId)).toBeUndefined();
    expect(await h.devices.current(b.boothId)).toBeUndefined();

    const history = await h.api('GET', `/bookings/${b.id}/history`, lawyer(1));
    expect(history.body.map((e: { from: string | null; to: string; note?: string }) => `${e.from}>${e.to}${e.note ? `:${e.note}` : ''}`)).toEqual([
      'null>booked',
      'booked>checked_in',
      'checked_in>in_meeting',
      'in_meeting>in_meeting:extended',
      'in_meeting>completed:slot_end',
    ]);
    // The audit trail is metadata only: no names, phone or licence numbers.
    const audit = await h.api('GET', '/audit/bookings?limit=1000', h.session('admin'));
    const mine = audit.body.filter((e: { fields: Record<string, string> }) => e.fields.bookingId === b.id);
    expect(mine).toHaveLength(5);
    const text = JSON.stringify(mine);
    for (const secret of ['Lawyer 1', 'Detainee 1', '13800000001', '11101200000000001']) expect(text).not.toContain(secret);
    expect(mine[1].fields).toMatchObject({ from: 'booked', to: 'checked_in', by: 'officer.wang', role: 'station_officer' });
  });

  it('no-show by the clock at 10 minutes late, and a later arrival recorded as void_late', async () => {
    const start = beijing('2026-12-10', '14:00');
    const b = await book(2, 'det-3', start);
    h.clock.set(start + 10 * minute);
    expect((await h.booking.timekeeper.tick()).noShows).toBe(0);
    h.clock.set(start + 10 * minute + 1);
    expect((await h.booking.timekeeper.tick()).noShows).toBe(1);
    expect((await h.api('GET', `/bookings/${b.id}`, lawyer(2))).body.status).toBe('no_show');
    expect(await h.meetings.get(b.meetingId)).toMatchObject({ status: 'cancelled' });
    expect(await h.redis.zscore(bookingKeys.busy('seat', b.seatId), `${b.endsAt}|${b.id}`)).toBeNull();
    expect(await h.redis.zscore(bookingKeys.noShows('law-2'), b.id)).not.toBeNull();
    const late = await h.api('POST', `/bookings/${b.id}/check-in`, stationOfficer(), all);
    expect(late.body.error.code).toBe('BOOKING_VOID_LATE');
    expect((await h.api('GET', `/bookings/${b.id}`, lawyer(2))).body.status).toBe('void_late');
  });

  it('a checked-in lawyer whose detainee is never seated: cancelled by the clock at slot end', async () => {
    const start = beijing('2026-12-11', '10:00');
    const b = await book(3, 'det-5', start);
    h.clock.set(start - 10 * minute);
    expect((await h.api('POST', `/bookings/${b.id}/check-in`, stationOfficer(), all)).status).toBe(200);
    h.clock.set(b.endsAt);
    expect((await h.booking.timekeeper.tick()).notSeated).toBe(1);
    expect((await h.api('GET', `/bookings/${b.id}`, lawyer(3))).body).toMatchObject({ status: 'cancelled', cancellation: { reason: 'detainee_not_seated', byRole: 'system' } });
    expect(await h.devices.current(b.seatId)).toBeUndefined();
  });

  it('moving a checked-in lawyer to another seat re-issues the token for the new device and withdraws the old', async () => {
    const start = beijing('2026-12-11', '14:00');
    const b = await book(4, 'det-1', start);
    h.clock.set(start - 20 * minute);
    await h.api('POST', `/bookings/${b.id}/check-in`, stationOfficer(), all);
    const other = b.seatId === 'st-a-s1' ? 'st-a-s2' : 'st-a-s1';
    const moved = await h.api('POST', `/bookings/${b.id}/reassign`, stationOfficer(), { seatId: other });
    expect(moved.status).toBe(200);
    expect(moved.body.seatId).toBe(other);
    expect(await h.devices.current(b.seatId)).toBeUndefined();
    h.clock.set(start);
    expect(h.tokens.verify((await h.devices.current(other))!.token).dev).toBe(other);
    expect((await h.meetings.get(b.meetingId))?.seatDeviceId).toBe(other);
    // A booth move is the detention center's business.
    expect((await h.api('POST', `/bookings/${b.id}/reassign`, stationOfficer(), { boothId: 'dc-1-b2' })).status).toBe(403);
    // Staff cancel after check-in: the seat is withdrawn and the meeting cancelled.
    const cancelled = await h.api('POST', `/bookings/${b.id}/cancel`, h.session('detention_officer', 'dc-1'), { reason: 'transferred to hospital' });
    expect(cancelled.body.status).toBe('cancelled');
    expect(await h.devices.current(other)).toBeUndefined();
    expect((await h.meetings.get(b.meetingId))?.status).toBe('cancelled');
  });

  it('the clock repairs a projection left behind (a crash between commit and projection)', async () => {
    const start = beijing('2026-12-14', '09:00');
    const b = await book(1, 'det-3', start);
    const stored = (await h.booking.ctx.store.get(b.id))!;
    // Commit a cancellation without projecting it, as a process dying at that moment would leave it.
    h.clock.set(monday + minute);
    await h.booking.ctx.store.change(stored).set({ status: 'cancelled', cancellation: { by: 'x', byRole: 'admin', at: h.clock.time, reason: 'test' } }).release().commit(h.clock.time);
    expect((await h.meetings.get(b.meetingId))?.status).toBe('scheduled');
    expect((await h.booking.timekeeper.tick()).reprojected).toBe(0); // within the grace period
    h.clock.advance(6000);
    expect((await h.booking.timekeeper.tick()).reprojected).toBeGreaterThanOrEqual(1);
    expect((await h.meetings.get(b.meetingId))?.status).toBe('cancelled');
  });

  it('sends confirmation, reminder, change, void and cancellation notices with time, address and documents', async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await h.booking.outbox.pendingCount()) > 0) await new Promise((r) => setTimeout(r, 100));
    const kinds = new Set(sender.sent.map((n) => n.kind));
    for (const kind of ['confirmation', 'change', 'void', 'cancellation']) expect(kinds).toContain(kind);
    const confirmation = sender.sent.find((n) => n.kind === 'confirmation')!;
    expect(confirmation.text).toMatch(/2026-12-09 09:00-10:00 at Station A, 1 North Road/);
    expect(confirmation.text).toMatch(/ID card, practising licence and authorization letter/);
    expect(confirmation.text).toMatch(/Arrive by 08:30/);
    expect(confirmation.to).toBe('13800000001');
    // Reminders go out 24 hours before, by the clock.
    const b = await book(2, 'det-5', beijing('2026-12-15', '15:00'));
    h.clock.set(beijing('2026-12-14', '15:00'));
    expect((await h.booking.timekeeper.tick()).reminders).toBe(1);
    expect((await h.booking.timekeeper.tick()).reminders).toBe(0);
    const notices = await h.api('GET', `/bookings/${b.id}/notices`, lawyer(2));
    expect(notices.body.map((n: { kind: string }) => n.kind)).toEqual(['confirmation', 'reminder']);
  });
});

describe('the join gate’s extend, answered by the booking domain', () => {
  let h: BookingHarness;

  beforeAll(async () => {
    h = await BookingHarness.start({ now: monday });
    await seedWorld(h);
  });
  afterAll(async () => h?.stop());

  it('says yes while the next slot is free and within the limits, extends, then says why not', async () => {
    const start = beijing('2026-12-09', '14:00');
    const made = await h.api('POST', '/bookings', h.session('lawyer', 'law-1'), { detaineeId: 'det-1', stationId: 'st-a', startsAt: start });
    const b = made.body as { id: string; meetingId: string; seatId: string };
    const extension = h.booking.slotExtension;
    expect(await extension.canExtend(b.meetingId)).toMatchObject({ allowed: false, reason: 'booking_state_conflict' });
    h.clock.set(start - 30 * minute);
    await h.api('POST', `/bookings/${b.id}/check-in`, h.session('station_officer', 'st-a'), all);
    await h.api('POST', `/bookings/${b.id}/seating`, h.session('detention_officer', 'dc-1'), {});
    expect(await extension.canExtend(b.meetingId)).toEqual({ allowed: true, endsAt: beijing('2026-12-09', '16:00') });
    expect(await extension.extend(b.meetingId)).toEqual({ allowed: true, endsAt: beijing('2026-12-09', '16:00') });
    expect((await h.meetings.get(b.meetingId))?.endsAt).toBe(beijing('2026-12-09', '16:00'));
    h.clock.set(beijing('2026-12-09', '15:30'));
    expect(h.tokens.verify((await h.devices.current(b.seatId))!.token).exp).toBe(beijing('2026-12-09', '16:00') / 1000);
    expect(await extension.extend(b.meetingId)).toMatchObject({ allowed: false, reason: 'extension_not_allowed' });
    expect(await extension.canExtend('m-bnothing')).toMatchObject({ allowed: false, reason: 'not_found' });
  });

  it('refuses when the next slot of the booth is booked by someone else', async () => {
    h.clock.set(monday);
    const mine = await h.api('POST', '/bookings', h.session('lawyer', 'law-2'), { detaineeId: 'det-2', stationId: 'st-c', startsAt: beijing('2026-12-10', '09:00'), boothId: 'dc-2-b1' });
    const next = await h.api('POST', '/bookings', h.session('lawyer', 'law-3'), { detaineeId: 'det-4', stationId: 'st-b', startsAt: beijing('2026-12-10', '10:00'), boothId: 'dc-2-b1' });
    expect(next.status).toBe(201);
    h.clock.set(beijing('2026-12-10', '08:50'));
    await h.api('POST', `/bookings/${mine.body.id}/check-in`, h.session('station_officer', 'st-c'), all);
    await h.api('POST', `/bookings/${mine.body.id}/seating`, h.session('detention_officer', 'dc-2'), {});
    expect(await h.booking.slotExtension.canExtend(mine.body.meetingId)).toMatchObject({ allowed: false, reason: 'booth_busy', message: expect.stringMatching(/booth/) });
    expect((await h.api('GET', `/bookings/${mine.body.id}/extension`, h.session('lawyer', 'law-2'))).body).toMatchObject({ allowed: false, code: 'SLOT_TAKEN', side: 'booth' });
  });
});
