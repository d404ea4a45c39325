import { SignalingError } from '../SignalingError';
import { systemActor, type Booking } from './Booking';
import type { BookingContext } from './BookingContext';
import { newBookingId, type BookingDesk } from './BookingDesk';
import { bookingSpanMs } from './SlotSearch';
import { localDateOf, localTimeOf } from './ZonedCalendar';

/** An officer who did a step on the spot. */
export interface OnTheSpotOfficer {
  username: string;
  name: string;
}

export interface MeetingNowRequest {
  lawyerId: string;
  detaineeId: string;
  stationId: string;
  /** A particular seat of the station or booth of the detainee's center; otherwise the first free one. */
  seatId?: string | undefined;
  boothId?: string | undefined;
  /** The window; by default from five minutes ago (to the minute), one hour long. */
  startsAt?: number | undefined;
  endsAt?: number | undefined;
  /** The station officer who verified the documents, and the detention officer who brought the detainee. */
  checkedInBy: OnTheSpotOfficer;
  seatedBy: OnTheSpotOfficer;
  /** Recorded in the booking's history and audit (`demo_seed`, …). */
  note: string;
}

/**
 * A meeting happening now, set up on the spot: booked with the lawyer checked in and the
 * detainee seated, in one atomic allocation, then projected so both terminals get their
 * assignments at once. The seat, the booth, the lawyer and the detainee must be free for the
 * window; the booking-ahead rules (slot grid, notice period, per-pair limits, suspension) do not
 * apply because everyone is already there. The window is still recorded for the pair, so an
 * extension is judged by the center's limits as for any booking. Used by the demo and the tests.
 */
export async function bookMeetingNow(booking: { ctx: BookingContext; desk: BookingDesk }, request: MeetingNowRequest, now = booking.ctx.now()): Promise<Booking> {
  const { store, resources, policies, projection, notices } = booking.ctx;
  const detainee = await resources.get('detainee', request.detaineeId);
  if (!detainee) throw new SignalingError('NOT_FOUND', 'No such detainee.');
  const [seatIds, boothIds] = await Promise.all([
    booking.desk.seatCandidates(request.stationId, request.seatId),
    booking.desk.boothCandidates(detainee.centerId, request.boothId),
  ]);
  const startsAt = request.startsAt ?? Math.floor((now - 5 * 60_000) / 60_000) * 60_000;
  const endsAt = request.endsAt ?? startsAt + 3_600_000;
  const zone = policies.forCenter(detainee.centerId).timeZone;
  const id = newBookingId();
  const draft = {
    id,
    meetingId: `m-${id}`,
    version: 1,
    status: 'in_meeting' as const,
    lawyerId: request.lawyerId,
    detaineeId: detainee.id,
    stationId: request.stationId,
    centerId: detainee.centerId,
    startsAt,
    endsAt,
    date: localDateOf(startsAt, zone),
    time: localTimeOf(startsAt, zone),
    createdAt: now,
    createdBy: systemActor.username,
    updatedAt: now,
    checkIn: {
      by: request.checkedInBy.username,
      byName: request.checkedInBy.name,
      at: now,
      identityVerified: true,
      licenceVerified: true,
      authorizationLetterVerified: true,
      noticeSigned: true,
    } as const,
    seating: { by: request.seatedBy.username, byName: request.seatedBy.name, at: now },
  };
  const outcome = await store.allocate({
    booking: draft,
    seatIds,
    boothIds,
    spanMs: bookingSpanMs,
    day: { dayStart: startsAt, dayEnd: endsAt },
    maxRunMs: bookingSpanMs,
    maxDayMs: bookingSpanMs,
    noShowSince: now,
    noShowLimit: Number.MAX_SAFE_INTEGER,
    deadline: endsAt,
    reminderAt: undefined,
    history: { from: null, to: 'in_meeting', at: now, by: systemActor.username, role: systemActor.role, note: request.note },
    notice: await notices.compose('confirmation', draft, now),
    now,
  });
  if (!outcome.ok) {
    const code = outcome.code === 'DUPLICATE' ? 'CONFLICT' : outcome.code;
    throw new SignalingError(code, `The meeting could not be set up now (${outcome.code}${outcome.code === 'SLOT_TAKEN' ? `: no free ${outcome.detail}` : ''}).`);
  }
  const made: Booking = { ...draft, seatId: outcome.seatId, boothId: outcome.boothId };
  await projection.sync(made);
  return made;
}
