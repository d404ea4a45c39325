import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingHarness, beijing, seedWorld } from '../../support/BookingHarness';

/**
 * Every booking rule and its refusal, over HTTP against a real Redis, with the server clock set
 * to Monday 2026-12-07 10:00 in Beijing (so the earliest bookable day is Wednesday 12-09).
 */
const monday = beijing('2026-12-07', '10:00');

describe('booking rules and their refusal codes', () => {
  let h: BookingHarness;
  const lawyer = (n: number) => h.session('lawyer', `law-${n}`);
  const book = (n: number, body: object) => h.api('POST', '/bookings', lawyer(n), body);

  beforeAll(async () => {
    h = await BookingHarness.start({
      now: monday,
      policies: {
        default: {},
        centers: { 'dc-2': { slotTimes: ['09:00', '10:00', '11:00', '14:00'], maxMinutesPerDay: 240 }, 'dc-sz': { preset: 'shenzhen' } },
      },
    });
    await seedWorld(h, { lawyers: 6 });
    const admin = h.session('admin');
    await h.api('POST', '/centers', admin, { id: 'dc-sz', name: 'Shenzhen Center', districtId: 'south', address: 'Futian' });
    await h.api('POST', '/centers/dc-sz/booths', admin, { id: 'dc-sz-b1', label: 'Booth 1' });
    await h.api('POST', '/detainees', admin, { id: 'det-sz', centerId: 'dc-sz', name: 'SZ', caseReference: 'SZ-1', procedureStage: 'trial' });
  });
  afterAll(async () => h?.stop());

  it('books a valid slot: 201, both ends reserved, the meeting projected for the join gate', async () => {
    const answer = await book(1, { detaineeId: 'det-1', stationId: 'st-a', startsAt: beijing('2026-12-09', '09:00') });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'booked', seatId: 'st-a-s1', boothId: 'dc-1-b1', date: '2026-12-09', time: '09:00', lawyerId: 'law-1' });
    const meeting = await h.meetings.get(answer.body.meetingId);
    expect(meeting).toMatchObject({ status: 'scheduled', bookingId: answer.body.id, seatDeviceId: 'st-a-s1', boothDeviceId: 'dc-1-b1', lawyerCheckedIn: false, detaineeSeated: false });
  });

  it('BOOKING_TOO_SOON: less than 2 working days ahead (422, with the earliest date)', async () => {
    const answer = await book(1, { detaineeId: 'det-3', stationId: 'st-a', startsAt: beijing('2026-12-08', '09:00') });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'BOOKING_TOO_SOON', details: { earliestDate: '2026-12-09' } });
    expect(answer.body.error.message).toMatch(/2 working days/);
  });

  it('BOOKING_TOO_FAR_AHEAD: past the 14-day horizon', async () => {
    const answer = await book(1, { detaineeId: 'det-3', stationId: 'st-a', startsAt: beijing('2026-12-22', '09:00') });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'BOOKING_TOO_FAR_AHEAD', details: { lastDate: '2026-12-21' } });
  });

  it('SLOT_NOT_OFFERED: not a slot start, or not a working day', async () => {
    for (const startsAt of [beijing('2026-12-09', '09:30'), beijing('2026-12-12', '09:00')]) {
      const answer = await book(1, { detaineeId: 'det-3', stationId: 'st-a', startsAt });
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('SLOT_NOT_OFFERED');
    }
  });

  it('DAILY_LIMIT: at most 2 hours a day per lawyer and detainee', async () => {
    expect((await book(2, { detaineeId: 'det-3', stationId: 'st-b', startsAt: beijing('2026-12-10', '09:00') })).status).toBe(201);
    expect((await book(2, { detaineeId: 'det-3', stationId: 'st-b', startsAt: beijing('2026-12-10', '10:00') })).status).toBe(201);
    const third = await book(2, { detaineeId: 'det-3', stationId: 'st-b', startsAt: beijing('2026-12-10', '14:00') });
    expect(third.status).toBe(422);
    expect(third.body.error).toMatchObject({ code: 'DAILY_LIMIT', details: { maxMinutesPerDay: 120 } });
    // Another day is fine.
    expect((await book(2, { detaineeId: 'det-3', stationId: 'st-b', startsAt: beijing('2026-12-11', '14:00') })).status).toBe(201);
  });

  it('CONSECUTIVE_LIMIT: at most 2 hours in a row (a center whose policy allows 4 hours a day)', async () => {
    expect((await book(4, { detaineeId: 'det-2', stationId: 'st-c', startsAt: beijing('2026-12-10', '09:00') })).status).toBe(201);
    expect((await book(4, { detaineeId: 'det-2', stationId: 'st-c', startsAt: beijing('2026-12-10', '10:00') })).status).toBe(201);
    const third = await book(4, { detaineeId: 'det-2', stationId: 'st-c', startsAt: beijing('2026-12-10', '11:00') });
    expect(third.status).toBe(422);
    expect(third.body.error.code).toBe('CONSECUTIVE_LIMIT');
    expect((await book(4, { detaineeId: 'det-2', stationId: 'st-c', startsAt: beijing('2026-12-10', '14:00') })).status).toBe(201);
  });

  it('LAWYER_BUSY and DETAINEE_BUSY: nobody is in two meetings at once (409)', async () => {
    expect((await book(3, { detaineeId: 'det-1', stationId: 'st-a', startsAt: beijing('2026-12-11', '09:00') })).status).toBe(201);
    const lawyerBusy = await book(3, { detaineeId: 'det-4', stationId: 'st-c', startsAt: beijing('2026-12-11', '09:00') });
    expect(lawyerBusy.status).toBe(409);
    expect(lawyerBusy.body.error.code).toBe('LAWYER_BUSY');
    const detaineeBusy = await book(4, { detaineeId: 'det-1', stationId: 'st-b', startsAt: beijing('2026-12-11', '09:00') });
    expect(detaineeBusy.status).toBe(409);
    expect(detaineeBusy.body.error.code).toBe('DETAINEE_BUSY');
    expect(detaineeBusy.body.error.details).toBeUndefined();
  });

  it('RESOURCE_INACTIVE: a retired station, seat or released detainee cannot be booked', async () => {
    const admin = h.session('admin');
    expect((await h.api('PATCH', '/detainees/det-4', admin, { active: false })).status).toBe(200);
    const released = await book(4, { detaineeId: 'det-4', stationId: 'st-c', startsAt: beijing('2026-12-14', '09:00') });
    expect(released.status).toBe(422);
    expect(released.body.error.code).toBe('RESOURCE_INACTIVE');
    await h.api('PATCH', '/detainees/det-4', admin, { active: true });
    expect((await h.api('PATCH', '/seats/st-c-s1', admin, { active: false })).status).toBe(200);
    const chosen = await book(4, { detaineeId: 'det-4', stationId: 'st-c', seatId: 'st-c-s1', startsAt: beijing('2026-12-14', '09:00') });
    expect(chosen.body.error.code).toBe('RESOURCE_INACTIVE');
    const picked = await book(4, { detaineeId: 'det-4', stationId: 'st-c', startsAt: beijing('2026-12-14', '09:00') });
    expect(picked.status).toBe(201);
    expect(picked.body.seatId).toBe('st-c-s2');
    await h.api('PATCH', '/seats/st-c-s1', admin, { active: true });
  });

  it('400 for malformed bodies, 401 without a session, 403 for the wrong role, 404 for another lawyer’s booking', async () => {
    expect((await book(1, { stationId: 'st-a', startsAt: 1 })).body.error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/detaineeId/) });
    expect((await book(1, { detaineeId: 'det-1', stationId: 'st-a', startsAt: 'soon' })).status).toBe(400);
    expect((await h.api('POST', '/bookings', lawyer(1), '{"oops"')).body.error.code).toBe('BAD_REQUEST');
    expect((await h.api('POST', '/bookings', undefined, { detaineeId: 'det-1' })).status).toBe(401);
    const mine = await book(5, { detaineeId: 'det-3', stationId: 'st-a', startsAt: beijing('2026-12-15', '09:00') });
    expect(mine.status).toBe(201);
    expect((await h.api('GET', `/bookings/${mine.body.id}`, lawyer(6))).status).toBe(404);
    expect((await h.api('GET', `/bookings/${mine.body.id}`, h.session('station_officer', 'st-b'))).status).toBe(404);
    expect((await h.api('GET', `/bookings/${mine.body.id}`, h.session('station_officer', 'st-a'))).status).toBe(200);
    expect((await h.api('POST', `/bookings/${mine.body.id}/check-in`, lawyer(5), {})).status).toBe(403);
    expect((await h.api('GET', '/bookings/bnotthere1', lawyer(5))).body.error.code).toBe('BOOKING_NOT_FOUND');
    expect((await h.api('GET', '/lawyers', lawyer(5))).status).toBe(403);
  });

  it('CANCEL_TOO_LATE: a lawyer cancels up to 24 hours ahead; staff may cancel later, with a reason', async () => {
    const made = await book(6, { detaineeId: 'det-3', stationId: 'st-b', startsAt: beijing('2026-12-16', '09:00') });
    h.clock.set(beijing('2026-12-15', '09:30'));
    const late = await h.api('POST', `/bookings/${made.body.id}/cancel`, lawyer(6), {});
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('CANCEL_TOO_LATE');
    const officer = h.session('detention_officer', 'dc-1');
    expect((await h.api('POST', `/bookings/${made.body.id}/cancel`, officer, {})).body.error.code).toBe('BAD_REQUEST');
    const cancelled = await h.api('POST', `/bookings/${made.body.id}/cancel`, officer, { reason: 'detainee in court that day' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation: { byRole: 'detention_officer', reason: 'detainee in court that day' } });
    const again = await h.api('POST', `/bookings/${made.body.id}/cancel`, officer, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('BOOKING_STATE_CONFLICT');
    expect((await h.meetings.get(made.body.meetingId))?.status).toBe('cancelled');
    h.clock.set(monday);
  });

  it('CHECK_IN_NOT_OPEN, CHECK_IN_INCOMPLETE, BOOKING_VOID_LATE at the station; seating before check-in is a state conflict', async () => {
    const made = await book(5, { detaineeId: 'det-1', stationId: 'st-b', startsAt: beijing('2026-12-17', '14:00') });
    expect(made.status).toBe(201);
    const officer = h.session('station_officer', 'st-b');
    const all = { identityVerified: true, licenceVerified: true, authorizationLetterVerified: true, noticeSigned: true };
    h.clock.set(beijing('2026-12-17', '12:30'));
    const early = await h.api('POST', `/bookings/${made.body.id}/check-in`, officer, all);
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'CHECK_IN_NOT_OPEN', details: { opensAt: beijing('2026-12-17', '13:00') } });
    h.clock.set(beijing('2026-12-17', '13:35'));
    const incomplete = await h.api('POST', `/bookings/${made.body.id}/check-in`, officer, { ...all, noticeSigned: false });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error).toMatchObject({ code: 'CHECK_IN_INCOMPLETE', details: { missing: ['noticeSigned'] } });
    // No document numbers are accepted, so none can be stored.
    expect((await h.api('POST', `/bookings/${made.body.id}/check-in`, officer, { ...all, idNumber: '110101199001011234' })).status).toBe(400);
    const seatedEarly = await h.api('POST', `/bookings/${made.body.id}/seating`, h.session('detention_officer', 'dc-1'), {});
    expect(seatedEarly.status).toBe(409);
    expect(seatedEarly.body.error.code).toBe('BOOKING_STATE_CONFLICT');
    h.clock.set(beijing('2026-12-17', '14:10') + 1000);
    const late = await h.api('POST', `/bookings/${made.body.id}/check-in`, officer, all);
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('BOOKING_VOID_LATE');
    expect((await h.api('GET', `/bookings/${made.body.id}`, officer)).body.status).toBe('void_late');
    h.clock.set(monday);
  });

  it('a Shenzhen center voids at 5 minutes late (policy per center)', async () => {
    const made = await book(4, { detaineeId: 'det-sz', stationId: 'st-c', startsAt: beijing('2026-12-09', '15:00') });
    expect(made.status).toBe(201);
    h.clock.set(beijing('2026-12-09', '15:06'));
    const late = await h.api('POST', `/bookings/${made.body.id}/check-in`, h.session('station_officer', 'st-c'), {
      identityVerified: true,
      licenceVerified: true,
      authorizationLetterVerified: true,
      noticeSigned: true,
    });
    expect(late.body.error).toMatchObject({ code: 'BOOKING_VOID_LATE', details: { lateVoidMinutes: 5 } });
    h.clock.set(monday);
  });

  it('LAWYER_SUSPENDED: 3 no-shows in 90 days, detected by the server clock, suspend booking', async () => {
    const days = ['2026-12-09', '2026-12-10', '2026-12-11'];
    for (const day of days) expect((await book(6, { detaineeId: 'det-3', stationId: 'st-a', startsAt: beijing(day, '15:00') })).status).toBe(201);
    h.clock.set(beijing('2026-12-11', '15:10') + 1000);
    const report = await h.booking.timekeeper.tick();
    expect(report.noShows).toBeGreaterThanOrEqual(3);
    const mine = await h.api('GET', '/bookings?from=2026-12-09&to=2026-12-11&status=no_show', lawyer(6));
    expect(mine.body).toHaveLength(3);
    const suspended = await book(6, { detaineeId: 'det-4', stationId: 'st-a', startsAt: beijing('2026-12-15', '14:00') });
    expect(suspended.status).toBe(422);
    expect(suspended.body.error.code).toBe('LAWYER_SUSPENDED');
    // The clock recorded the three no-shows at this tick; booking resumes 90 days after the first of them.
    expect(suspended.body.error.details.until).toBe(beijing('2026-12-11', '15:10') + 1000 + 90 * 86_400_000);
    expect(suspended.body.error.message).toMatch(/3 missed meetings in 90 days/);
  });
});
