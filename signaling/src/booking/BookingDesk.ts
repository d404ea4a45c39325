import { randomBytes } from 'node:crypto';
import { SignalingError } from '../SignalingError';
import { bookingKeys } from '../store/bookingKeys';
import type { Actor, Booking, BookingStatus } from './Booking';
import { bookingAccess } from './BookingAccess';
import type { BookingContext } from './BookingContext';
import { assertTransition } from './BookingLifecycle';
import { BookingRules, pairLimitMessages } from './BookingRules';
import type { Center, Detainee, Lawyer, Station } from './ResourceTypes';
import { bookingSpanMs, type AvailableSlot } from './SlotSearch';
import { localDateOf } from './ZonedCalendar';

export interface BookingRequest {
  detaineeId: string;
  stationId: string;
  /** Slot start, epoch ms. */
  startsAt: number;
  /** Leave out to let the system pick. */
  seatId?: string | undefined;
  boothId?: string | undefined;
  /** Only staff booking on a lawyer's behalf; a lawyer always books for themself. */
  lawyerId?: string | undefined;
}

export interface BookingFilter {
  stationId?: string | undefined;
  centerId?: string | undefined;
  lawyerId?: string | undefined;
  from: number;
  to: number;
  status?: BookingStatus | undefined;
}

const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
/** Short, unambiguous, random: also the reference printed in notices. */
export function newBookingId(): string {
  return `b${Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

const minute = 60_000;

/** Alternatives for one taken slot are shared by everyone who lost it within this time (real ms). */
const alternativesTtlMs = 1000;

/** Booking and cancelling, and reading bookings, for lawyers and staff. */
export class BookingDesk {
  private readonly recentAlternatives = new Map<string, { until: number; slots: Promise<AvailableSlot[]> }>();

  constructor(private readonly ctx: BookingContext) {}

  async book(actor: Actor, request: BookingRequest): Promise<Booking> {
    const { store, resources, policies, notices, now: clock } = this.ctx;
    const now = clock();
    const lawyerId = this.lawyerFor(actor, request);
    const [lawyer, detainee, station] = await Promise.all([
      resources.get('lawyer', lawyerId),
      resources.get('detainee', request.detaineeId),
      resources.get('station', request.stationId),
    ]);
    if (!lawyer) throw new SignalingError('NOT_FOUND', 'No such lawyer.');
    if (!detainee) throw new SignalingError('NOT_FOUND', 'No such detainee.');
    if (!station) throw new SignalingError('NOT_FOUND', 'No such station.');
    const center = await resources.get('center', detainee.centerId);
    if (!center) throw new SignalingError('NOT_FOUND', 'The detainee’s detention center is not registered.');
    this.assertActive({ lawyer, detainee, station, center });

    const policy = policies.forCenter(center.id);
    const rules = new BookingRules(policy);
    const slot = rules.slotAt(request.startsAt);
    rules.checkAdvance(slot, now);
    const [seatIds, boothIds] = await Promise.all([this.seatCandidates(station.id, request.seatId), this.boothCandidates(center.id, request.boothId)]);

    const id = newBookingId();
    const booking = {
      id,
      meetingId: `m-${id}`,
      version: 1,
      status: 'booked' as const,
      lawyerId: lawyer.id,
      detaineeId: detainee.id,
      stationId: station.id,
      centerId: center.id,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      date: slot.date,
      time: slot.time,
      createdAt: now,
      createdBy: actor.username,
      updatedAt: now,
    };
    const notice = await notices.compose('confirmation', booking, now, undefined, { lawyer, detainee, station, center });
    const reminderAt = rules.reminderAt(slot.startsAt);
    const outcome = await store.allocate({
      booking,
      seatIds,
      boothIds,
      spanMs: bookingSpanMs,
      day: rules.dayBounds(slot.startsAt),
      maxRunMs: policy.maxConsecutiveMinutes * minute,
      maxDayMs: policy.maxMinutesPerDay * minute,
      noShowSince: rules.noShowWindowStart(now),
      noShowLimit: policy.noShowLimit,
      deadline: rules.voidAfter(slot.startsAt),
      reminderAt: reminderAt > now ? reminderAt : undefined,
      history: { from: null, to: 'booked', at: now, by: actor.username, role: actor.role },
      notice,
      now,
    });
    if (!outcome.ok) throw await this.refusal(outcome.code, outcome.detail, { rules, request, center, station, lawyerId: lawyer.id, now });
    const made: Booking = { ...booking, seatId: outcome.seatId, boothId: outcome.boothId };
    await this.ctx.projection.sync(made, undefined, { lawyer, detainee, station, center });
    this.ctx.log.info({ bookingId: id, stationId: station.id, centerId: center.id, startsAt: slot.startsAt }, 'booking made');
    return made;
  }

  async cancel(actor: Actor, bookingId: string, reason: string | undefined): Promise<Booking> {
    const { store, policies, notices, projection, now: clock } = this.ctx;
    const now = clock();
    const booking = await this.get(actor, bookingId);
    assertTransition(booking.status, 'cancelled');
    if (actor.role === 'lawyer') new BookingRules(policies.forCenter(booking.centerId)).checkLawyerCancel(booking.startsAt, now);
    else if (!reason || reason.trim().length < 2) throw new SignalingError('BAD_REQUEST', 'reason: staff must say why a booking is cancelled');
    else if (actor.role !== 'admin' && actor.role !== 'station_officer' && actor.role !== 'detention_officer') {
      throw new SignalingError('FORBIDDEN', 'your role may not cancel bookings');
    }
    const why = reason?.trim() || (actor.role === 'lawyer' ? 'cancelled by the lawyer' : 'cancelled by staff');
    const cancellation = { by: actor.username, byRole: actor.role, at: now, reason: why };
    const notice = await notices.compose('cancellation', booking, now, reason?.trim() || (actor.role === 'lawyer' ? { 'zh-CN': '律师本人取消', en: 'cancelled by you' } : why));
    await store
      .change(booking)
      .set({ status: 'cancelled', cancellation, updatedAt: now })
      .history({ from: booking.status, to: 'cancelled', at: now, by: actor.username, role: actor.role, note: actor.role === 'lawyer' ? 'by_lawyer' : 'by_staff' })
      .release()
      .notice(notice.id, notice.fields)
      .commit(now);
    const cancelled: Booking = { ...booking, status: 'cancelled', cancellation, updatedAt: now, version: booking.version + 1 };
    await projection.sync(cancelled);
    return cancelled;
  }

  /** A booking the actor may see, or BOOKING_NOT_FOUND. */
  async get(actor: Actor, bookingId: string): Promise<Booking> {
    const booking = await this.ctx.store.get(bookingId);
    if (!booking) throw new SignalingError('BOOKING_NOT_FOUND', 'This booking does not exist.');
    bookingAccess.assertCanSee(actor, booking);
    return booking;
  }

  /** Bookings the actor may see whose slot starts in [from, to), earliest first. */
  async list(actor: Actor, filter: BookingFilter): Promise<Booking[]> {
    const scoped = { ...filter };
    if (actor.role === 'lawyer') scoped.lawyerId = actor.siteId ?? '-';
    if (actor.role === 'station_officer') scoped.stationId = actor.siteId ?? '-';
    if (actor.role === 'detention_officer') scoped.centerId = actor.siteId ?? '-';
    const index = scoped.lawyerId
      ? bookingKeys.byLawyer(scoped.lawyerId)
      : scoped.stationId
        ? bookingKeys.byStation(scoped.stationId)
        : scoped.centerId
          ? bookingKeys.byCenter(scoped.centerId)
          : bookingKeys.byStart;
    const ids = await this.ctx.store.idsStarting(index, scoped.from, scoped.to);
    const bookings = await this.ctx.store.getMany(ids);
    return bookings.filter(
      (b) =>
        (!scoped.stationId || b.stationId === scoped.stationId) &&
        (!scoped.centerId || b.centerId === scoped.centerId) &&
        (!scoped.lawyerId || b.lawyerId === scoped.lawyerId) &&
        (!scoped.status || b.status === scoped.status) &&
        bookingAccess.canSee(actor, b),
    );
  }

  private lawyerFor(actor: Actor, request: BookingRequest): string {
    if (actor.role === 'lawyer') {
      if (!actor.siteId) throw new SignalingError('FORBIDDEN', 'This lawyer account is not linked to a lawyer record.');
      if (request.lawyerId && request.lawyerId !== actor.siteId) throw new SignalingError('FORBIDDEN', 'Lawyers book for themselves only.');
      return actor.siteId;
    }
    if (actor.role !== 'admin' && actor.role !== 'station_officer') throw new SignalingError('FORBIDDEN', 'your role may not book meetings');
    if (!request.lawyerId) throw new SignalingError('BAD_REQUEST', 'lawyerId: staff booking on a lawyer’s behalf must name the lawyer');
    return request.lawyerId;
  }

  private assertActive(r: { lawyer: Lawyer; detainee: Detainee; station: Station; center: Center }): void {
    const inactive = [
      !r.lawyer.active && 'the lawyer’s booking account is disabled',
      !r.detainee.active && 'the detainee is no longer held at this center',
      !r.station.active && 'the station does not offer remote meetings at the moment',
      !r.center.active && 'the detention center does not offer remote meetings at the moment',
    ].filter(Boolean);
    if (inactive.length > 0) throw new SignalingError('RESOURCE_INACTIVE', `This booking cannot be made: ${inactive.join('; ')}.`);
  }

  /** The seat asked for, or every seat of the station in service, in order of preference. */
  async seatCandidates(stationId: string, seatId: string | undefined): Promise<string[]> {
    const seats = (await this.ctx.resources.childrenOf('seat', stationId)).filter((s) => s.active);
    if (seatId === undefined) {
      if (seats.length === 0) throw new SignalingError('RESOURCE_INACTIVE', 'This station has no remote-meeting seat in service.');
      return seats.map((s) => s.id);
    }
    if (!seats.some((s) => s.id === seatId)) throw new SignalingError('RESOURCE_INACTIVE', 'That seat is not in service at this station.');
    return [seatId];
  }

  /** The booth asked for, or every booth of the center in service, in order of preference. */
  async boothCandidates(centerId: string, boothId: string | undefined): Promise<string[]> {
    const booths = (await this.ctx.resources.childrenOf('booth', centerId)).filter((b) => b.active);
    if (boothId === undefined) {
      if (booths.length === 0) throw new SignalingError('RESOURCE_INACTIVE', 'This detention center has no meeting booth in service.');
      return booths.map((b) => b.id);
    }
    if (!booths.some((b) => b.id === boothId)) throw new SignalingError('RESOURCE_INACTIVE', 'That booth is not in service at the detainee’s center.');
    return [boothId];
  }

  private async refusal(
    code: string,
    detail: string,
    at: { rules: BookingRules; request: BookingRequest; center: Center; station: Station; lawyerId: string; now: number },
  ): Promise<SignalingError> {
    const policy = at.rules.policy;
    switch (code) {
      case 'SLOT_TAKEN': {
        const alternatives = await this.alternatives(at);
        const side = detail === 'booth' ? 'No meeting booth is free at the detention center' : 'No seat is free at this station';
        return new SignalingError('SLOT_TAKEN', `${side} at that time; someone booked it just before you. Other free slots are listed.`, { side: detail, alternatives });
      }
      case 'LAWYER_BUSY':
        return new SignalingError('LAWYER_BUSY', 'You already have a meeting at this time.', { bookingId: detail.split('|')[1] });
      case 'DETAINEE_BUSY':
        return new SignalingError('DETAINEE_BUSY', 'This person already has a meeting at this time; choose another slot.');
      case 'CONSECUTIVE_LIMIT':
      case 'DAILY_LIMIT':
        return new SignalingError(code, pairLimitMessages[code](policy), {
          maxConsecutiveMinutes: policy.maxConsecutiveMinutes,
          maxMinutesPerDay: policy.maxMinutesPerDay,
        });
      case 'LAWYER_SUSPENDED': {
        const until = Number(detail) + policy.noShowWindowDays * 86_400_000;
        const date = localDateOf(until, policy.timeZone);
        return new SignalingError(
          'LAWYER_SUSPENDED',
          `Booking is suspended after ${policy.noShowLimit} missed meetings in ${policy.noShowWindowDays} days; you can book again from ${date}.`,
          { until, untilDate: date, noShowLimit: policy.noShowLimit, noShowWindowDays: policy.noShowWindowDays },
        );
      }
      default:
        return new SignalingError('CONFLICT', 'The booking could not be made; try again.');
    }
  }

  /**
   * Free slots to offer instead: the same station and center first, then the same time at other
   * stations of the district. When a hundred lawyers lose the same slot at once, they share one
   * search (suggestions only: booking one re-checks everything).
   */
  private alternatives(at: { rules: BookingRules; request: BookingRequest; center: Center; station: Station; lawyerId: string; now: number }): Promise<AvailableSlot[]> {
    const key = `${at.station.id}|${at.center.id}|${at.request.startsAt}`;
    const realNow = Date.now();
    const recent = this.recentAlternatives.get(key);
    if (recent && recent.until > realNow) return recent.slots;
    if (this.recentAlternatives.size > 1000) this.recentAlternatives.clear();
    const slots = this.searchAlternatives(at);
    this.recentAlternatives.set(key, { until: realNow + alternativesTtlMs, slots });
    slots.catch(() => this.recentAlternatives.delete(key));
    return slots;
  }

  private async searchAlternatives(at: { rules: BookingRules; request: BookingRequest; center: Center; station: Station; now: number }): Promise<AvailableSlot[]> {
    const { search } = this.ctx;
    const base = { centerId: at.center.id };
    const [here, nearby] = await Promise.all([
      search.search({ ...base, stationIds: [at.station.id], limit: 3 }, at.now),
      search.search({ ...base, districtId: at.station.districtId, from: localDateOf(at.request.startsAt, at.rules.policy.timeZone), days: 1, limit: 10 }, at.now),
    ]);
    const sameTime = nearby.filter((s) => s.startsAt === at.request.startsAt && s.stationId !== at.station.id).slice(0, 2);
    return [...here, ...sameTime].sort((a, b) => a.startsAt - b.startsAt);
  }
}
