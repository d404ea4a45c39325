import { SignalingError } from '../SignalingError';
import { busyMember, type BookingChange } from '../store/BookingChange';
import { bookingKeys, type BusyKind } from '../store/bookingKeys';
import type { Actor, Booking } from './Booking';
import { bookingAccess } from './BookingAccess';
import type { BookingContext } from './BookingContext';
import type { BookingDesk } from './BookingDesk';
import { assertTransition } from './BookingLifecycle';
import { BookingRules } from './BookingRules';
import { bookingSpanMs } from './SlotSearch';
import { localTimeOf } from './ZonedCalendar';

/** What the station officer confirms at the counter. All four must be true. */
export interface CheckInRequest {
  identityVerified: boolean;
  licenceVerified: boolean;
  authorizationLetterVerified: boolean;
  noticeSigned: boolean;
  /** Seat the lawyer to another free seat of the station instead. */
  seatId?: string | undefined;
}

export interface ExtensionOffer {
  allowed: boolean;
  /** Why not, when not allowed. */
  code?: ExtensionRefusal;
  /** With SLOT_TAKEN: which place is booked for the next slot. */
  side?: 'seat' | 'booth';
  message: string;
  /** The slot end after extending. */
  endsAt?: number;
}

/** Why a meeting cannot run one more slot: no slot follows, the seat or booth (SLOT_TAKEN, with `side`), the lawyer or the detainee is booked then, a pair limit, or not in progress. */
export const extensionRefusals = ['EXTENSION_NOT_ALLOWED', 'SLOT_TAKEN', 'LAWYER_BUSY', 'DETAINEE_BUSY', 'CONSECUTIVE_LIMIT', 'DAILY_LIMIT', 'BOOKING_STATE_CONFLICT'] as const;
export type ExtensionRefusal = (typeof extensionRefusals)[number];

const minute = 60_000;
const documents = ['identityVerified', 'licenceVerified', 'authorizationLetterVerified', 'noticeSigned'] as const;

/**
 * The day at the station and the detention center: check-in, seating, moving a seat or booth,
 * ending early and extending by one slot.
 */
export class DayWorkflow {
  constructor(
    private readonly ctx: BookingContext,
    private readonly desk: BookingDesk,
  ) {}

  async checkIn(actor: Actor, bookingId: string, request: CheckInRequest): Promise<Booking> {
    const { store, policies, projection, notices, now: clock } = this.ctx;
    const now = clock();
    const booking = await this.desk.get(actor, bookingId);
    bookingAccess.assertStationStaff(actor, booking);
    const rules = new BookingRules(policies.forCenter(booking.centerId));
    const window = rules.checkInWindow(booking.startsAt, now);

    if (booking.status === 'no_show' || (booking.status === 'booked' && window === 'late')) {
      const change = store
        .change(booking)
        .set({ status: 'void_late', updatedAt: now })
        .history({ from: booking.status, to: 'void_late', at: now, by: actor.username, role: actor.role, note: 'late_arrival' });
      if (booking.status === 'booked') {
        const notice = await notices.compose('void', booking, now);
        change.release().notice(notice.id, notice.fields);
        if (rules.policy.lateCountsAsNoShow) change.zadd(bookingKeys.noShows(booking.lawyerId), now, booking.id);
      } else if (!rules.policy.lateCountsAsNoShow) change.zrem(bookingKeys.noShows(booking.lawyerId), booking.id);
      await change.commit(now);
      await projection.sync({ ...booking, status: 'void_late', updatedAt: now, version: booking.version + 1 });
      throw new SignalingError(
        'BOOKING_VOID_LATE',
        `The lawyer arrived more than ${rules.policy.lateVoidMinutes} minutes after the start; the booking is void. Please book a new slot.`,
        { voidAfter: rules.voidAfter(booking.startsAt), lateVoidMinutes: rules.policy.lateVoidMinutes },
      );
    }
    assertTransition(booking.status, 'checked_in');
    if (window === 'early') {
      const opensAt = rules.checkInOpensAt(booking.startsAt);
      throw new SignalingError('CHECK_IN_NOT_OPEN', `Check-in opens ${rules.policy.checkInOpensMinutesBefore} minutes before the meeting.`, { opensAt });
    }
    const missing = documents.filter((d) => request[d] !== true);
    if (missing.length > 0) {
      throw new SignalingError('CHECK_IN_INCOMPLETE', 'Verify the ID card, the practising licence and the authorization letter, and have the notice signed, before check-in.', {
        missing,
      });
    }
    const checkIn = {
      by: actor.username,
      byName: actor.name,
      at: now,
      identityVerified: true as const,
      licenceVerified: true as const,
      authorizationLetterVerified: true as const,
      noticeSigned: true as const,
    };
    const change = store.change(booking);
    const seatId = request.seatId && request.seatId !== booking.seatId ? await this.moveSeat(change, booking, request.seatId) : booking.seatId;
    await change
      .set({ status: 'checked_in', checkIn, seatId, updatedAt: now })
      .history({ from: booking.status, to: 'checked_in', at: now, by: actor.username, role: actor.role })
      .deadline(booking.endsAt)
      .dropReminder()
      .commit(now);
    const checked: Booking = { ...booking, status: 'checked_in', checkIn, seatId, updatedAt: now, version: booking.version + 1 };
    await projection.sync(checked, booking);
    return checked;
  }

  /** The detention officer has brought the detainee to the booth. */
  async seat(actor: Actor, bookingId: string, boothId?: string): Promise<Booking> {
    const { store, projection, now: clock } = this.ctx;
    const now = clock();
    const booking = await this.desk.get(actor, bookingId);
    bookingAccess.assertCenterStaff(actor, booking);
    if (booking.status === 'booked') {
      throw new SignalingError('BOOKING_STATE_CONFLICT', 'The lawyer has not checked in at the station yet; bring the detainee once they have.', { status: booking.status });
    }
    assertTransition(booking.status, 'in_meeting');
    if (now >= booking.endsAt) throw new SignalingError('BOOKING_STATE_CONFLICT', 'This meeting’s slot has ended.', { endsAt: booking.endsAt });
    const seating = { by: actor.username, byName: actor.name, at: now };
    const change = store.change(booking);
    const booth = boothId && boothId !== booking.boothId ? await this.moveBooth(change, booking, boothId) : booking.boothId;
    await change
      .set({ status: 'in_meeting', seating, boothId: booth, updatedAt: now })
      .history({ from: booking.status, to: 'in_meeting', at: now, by: actor.username, role: actor.role })
      .deadline(booking.endsAt)
      .commit(now);
    const seated: Booking = { ...booking, status: 'in_meeting', seating, boothId: booth, updatedAt: now, version: booking.version + 1 };
    await projection.sync(seated, booking);
    return seated;
  }

  /** Either side (or staff) ends the meeting before the slot does. */
  async end(actor: Actor, bookingId: string): Promise<Booking> {
    const { store, projection, now: clock } = this.ctx;
    const now = clock();
    const booking = await this.desk.get(actor, bookingId);
    if (actor.role !== 'admin' && actor.role !== 'lawyer' && actor.role !== 'station_officer' && actor.role !== 'detention_officer') {
      throw new SignalingError('FORBIDDEN', 'your role may not end meetings');
    }
    assertTransition(booking.status, 'completed');
    const endedEarly = now < booking.endsAt;
    await store
      .change(booking)
      .set({ status: 'completed', endedAt: now, endedEarly, updatedAt: now })
      .history({ from: booking.status, to: 'completed', at: now, by: actor.username, role: actor.role, note: endedEarly ? 'ended_early' : 'slot_end' })
      .deadline(undefined)
      .commit(now);
    const ended: Booking = { ...booking, status: 'completed', endedAt: now, endedEarly, updatedAt: now, version: booking.version + 1 };
    await projection.sync(ended);
    return ended;
  }

  /** Move the booking to another seat of its station and/or another booth of its center. */
  async reassign(actor: Actor, bookingId: string, target: { seatId?: string | undefined; boothId?: string | undefined }): Promise<Booking> {
    const { store, projection, now: clock } = this.ctx;
    const now = clock();
    const booking = await this.desk.get(actor, bookingId);
    if (!target.seatId && !target.boothId) throw new SignalingError('BAD_REQUEST', 'name a seatId or a boothId to move to');
    if (target.seatId) bookingAccess.assertStationStaff(actor, booking);
    if (target.boothId) bookingAccess.assertCenterStaff(actor, booking);
    if (!['booked', 'checked_in', 'in_meeting'].includes(booking.status)) {
      throw new SignalingError('BOOKING_STATE_CONFLICT', 'Only a booking that has not ended can be moved.', { status: booking.status });
    }
    const change = store.change(booking);
    const seatId = target.seatId && target.seatId !== booking.seatId ? await this.moveSeat(change, booking, target.seatId) : booking.seatId;
    const boothId = target.boothId && target.boothId !== booking.boothId ? await this.moveBooth(change, booking, target.boothId) : booking.boothId;
    await change
      .set({ seatId, boothId, updatedAt: now })
      .history({ from: booking.status, to: booking.status, at: now, by: actor.username, role: actor.role, note: 'moved' })
      .commit(now);
    const moved: Booking = { ...booking, seatId, boothId, updatedAt: now, version: booking.version + 1 };
    await projection.sync(moved, booking);
    return moved;
  }

  /** Can the meeting run one slot longer: the next slot follows directly, is free for seat, booth, lawyer and detainee, and the limits allow it. */
  async extensionOffer(actor: Actor, bookingId: string): Promise<ExtensionOffer> {
    const booking = await this.desk.get(actor, bookingId);
    return this.offer(booking);
  }

  async extend(actor: Actor, bookingId: string): Promise<Booking> {
    const { store, projection, notices, policies, now: clock } = this.ctx;
    const now = clock();
    const booking = await this.desk.get(actor, bookingId);
    const offer = await this.offer(booking);
    if (!offer.allowed || offer.endsAt === undefined) throw new SignalingError(offer.code ?? 'EXTENSION_NOT_ALLOWED', offer.message, offer.side && { side: offer.side });
    const policy = policies.forCenter(booking.centerId);
    const rules = new BookingRules(policy);
    const endsAt = offer.endsAt;
    const change = store.change(booking);
    const kinds: [BusyKind, string][] = [
      ['seat', booking.seatId],
      ['booth', booking.boothId],
      ['lawyer', booking.lawyerId],
      ['detainee', booking.detaineeId],
    ];
    for (const [kind, id] of kinds) change.requireFree(kind, id, booking.endsAt, endsAt, bookingSpanMs);
    change.requirePairLimits(booking.startsAt, endsAt, rules.dayBounds(booking.startsAt), policy.maxConsecutiveMinutes * minute, policy.maxMinutesPerDay * minute);
    for (const key of change.busyKeys()) change.zrem(key, busyMember(booking.endsAt, booking.id)).zadd(key, booking.startsAt, busyMember(endsAt, booking.id));
    const extended: Booking = { ...booking, endsAt, extendedFrom: booking.extendedFrom ?? booking.endsAt, updatedAt: now, version: booking.version + 1 };
    const until = localTimeOf(endsAt, policy.timeZone);
    const notice = await notices.compose('change', extended, now, { 'zh-CN': `延长至${until}`, en: `extended until ${until}` });
    await change
      .set({ endsAt, extendedFrom: extended.extendedFrom, updatedAt: now })
      .history({ from: booking.status, to: booking.status, at: now, by: actor.username, role: actor.role, note: 'extended' })
      .deadline(endsAt)
      .notice(notice.id, notice.fields)
      .commit(now);
    await projection.sync(extended);
    return extended;
  }

  private async offer(booking: Booking): Promise<ExtensionOffer> {
    const { store, policies } = this.ctx;
    if (booking.status !== 'checked_in' && booking.status !== 'in_meeting') {
      return { allowed: false, code: 'BOOKING_STATE_CONFLICT', message: 'Only a meeting in progress can be extended.' };
    }
    const policy = policies.forCenter(booking.centerId);
    const rules = new BookingRules(policy);
    const next = rules.slotsOn(booking.date).find((slot) => slot.startsAt === booking.endsAt);
    if (!next) return { allowed: false, code: 'EXTENSION_NOT_ALLOWED', message: 'No slot follows this one directly today.' };
    const pair = (await store.busyIn([bookingKeys.pair(booking.lawyerId, booking.detaineeId)], rules.dayBounds(booking.startsAt).dayStart, rules.dayBounds(booking.startsAt).dayEnd, bookingSpanMs))[0]!;
    const limit = rules.pairLimit(
      pair.filter((h) => h.bookingId !== booking.id),
      { startsAt: booking.startsAt, endsAt: next.endsAt },
    );
    if (limit) return { allowed: false, code: limit, message: limit === 'DAILY_LIMIT' ? 'The daily limit for this lawyer and detainee would be exceeded.' : `Meetings may run at most ${policy.maxConsecutiveMinutes / 60} hours in a row.` };
    const held = await store.busyIn(
      [bookingKeys.busy('seat', booking.seatId), bookingKeys.busy('booth', booking.boothId), bookingKeys.busy('lawyer', booking.lawyerId), bookingKeys.busy('detainee', booking.detaineeId)],
      next.startsAt,
      next.endsAt,
      bookingSpanMs,
    );
    const [seat, booth, lawyer, detainee] = held.map((list) => list.some((h) => h.bookingId !== booking.id));
    if (seat) return { allowed: false, code: 'SLOT_TAKEN', side: 'seat', message: 'This station seat is booked for the next slot.' };
    if (booth) return { allowed: false, code: 'SLOT_TAKEN', side: 'booth', message: 'The detention center’s booth is booked for the next slot.' };
    if (lawyer) return { allowed: false, code: 'LAWYER_BUSY', message: 'The lawyer has another meeting in the next slot.' };
    if (detainee) return { allowed: false, code: 'DETAINEE_BUSY', message: 'The detainee has another meeting in the next slot.' };
    return { allowed: true, message: 'The meeting can be extended by one slot.', endsAt: next.endsAt };
  }

  private async moveSeat(change: BookingChange, booking: Booking, seatId: string): Promise<string> {
    const seat = await this.ctx.resources.get('seat', seatId);
    if (!seat || seat.stationId !== booking.stationId || !seat.active) throw new SignalingError('RESOURCE_INACTIVE', 'That seat is not in service at this station.');
    return this.move(change, booking, 'seat', booking.seatId, seatId);
  }

  private async moveBooth(change: BookingChange, booking: Booking, boothId: string): Promise<string> {
    const booth = await this.ctx.resources.get('booth', boothId);
    if (!booth || booth.centerId !== booking.centerId || !booth.active) throw new SignalingError('RESOURCE_INACTIVE', 'That booth is not in service at this center.');
    return this.move(change, booking, 'booth', booking.boothId, boothId);
  }

  private move(change: BookingChange, booking: Booking, kind: 'seat' | 'booth', from: string, to: string): string {
    const member = busyMember(booking.endsAt, booking.id);
    change.requireFree(kind, to, booking.startsAt, booking.endsAt, bookingSpanMs);
    change.zrem(bookingKeys.busy(kind, from), member).zadd(bookingKeys.busy(kind, to), booking.startsAt, member);
    return to;
  }
}
