import type { ErrorCode } from '../protocol/errors';
import { SignalingError } from '../SignalingError';
import type { BookingPolicy } from './BookingPolicy';
import { addDays, daysBetween, epochOf, isoWeekday, localDateOf, localTimeOf, type LocalDate } from './ZonedCalendar';

export interface Slot {
  startsAt: number;
  endsAt: number;
  /** Local date and start time at the center. */
  date: LocalDate;
  time: string;
}

/** An interval a lawyer already holds with the same detainee. */
export interface Held {
  startsAt: number;
  endsAt: number;
}

const minute = 60_000;
const hour = 3_600_000;
const day = 86_400_000;

/** Slots per policy and date, computed once (policies are immutable once loaded). */
const slotCache = new WeakMap<BookingPolicy, Map<LocalDate, Slot[]>>();

/** Refusal of a booking rule: HTTP 422 with a code the client can translate and the facts behind it. */
export function ruleRefusal(code: ErrorCode, message: string, details?: Record<string, unknown>): SignalingError {
  return new SignalingError(code, message, details);
}

/**
 * The rules of one center's policy, as pure functions of time. Allocation re-checks the rules
 * that depend on other bookings inside Redis, atomically.
 */
export class BookingRules {
  constructor(readonly policy: BookingPolicy) {}

  isWorkingDay(date: LocalDate): boolean {
    if (this.policy.extraWorkingDays.includes(date)) return true;
    if (this.policy.holidays.includes(date)) return false;
    return this.policy.workingWeekdays.includes(isoWeekday(date));
  }

  today(now: number): LocalDate {
    return localDateOf(now, this.policy.timeZone);
  }

  /** The first date that may be booked at `now`: the Nth working day after today. */
  earliestBookableDate(now: number): LocalDate {
    let date = this.today(now);
    for (let found = 0; found < this.policy.minWorkingDaysAhead; ) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) found += 1;
    }
    return date;
  }

  lastBookableDate(now: number): LocalDate {
    return addDays(this.today(now), this.policy.horizonDays);
  }

  /** The slots offered on `date` (none on days that are not working days). */
  slotsOn(date: LocalDate): Slot[] {
    let byDate = slotCache.get(this.policy);
    if (!byDate) slotCache.set(this.policy, (byDate = new Map()));
    let slots = byDate.get(date);
    if (!slots) {
      slots = !this.isWorkingDay(date)
        ? []
        : this.policy.slotTimes.map((time) => {
            const startsAt = epochOf(date, time, this.policy.timeZone);
            return Object.freeze({ startsAt, endsAt: startsAt + this.policy.slotMinutes * minute, date, time });
          });
      if (byDate.size > 5000) byDate.clear();
      byDate.set(date, slots);
    }
    return slots;
  }

  /** The offered slot that starts at `startsAt`, or SLOT_NOT_OFFERED. */
  slotAt(startsAt: number): Slot {
    const date = localDateOf(startsAt, this.policy.timeZone);
    const slot = this.slotsOn(date).find((s) => s.startsAt === startsAt);
    if (!slot) {
      const reason = this.isWorkingDay(date) ? `meetings start at ${this.policy.slotTimes.join(', ')}` : `${date} is not a working day`;
      throw ruleRefusal('SLOT_NOT_OFFERED', `No meeting slot starts at that time: ${reason}.`, {
        date,
        time: localTimeOf(startsAt, this.policy.timeZone),
        slotTimes: this.policy.slotTimes,
      });
    }
    return slot;
  }

  /** Book at least N working days ahead, and no further than the horizon. */
  checkAdvance(slot: Slot, now: number): void {
    const earliest = this.earliestBookableDate(now);
    if (slot.date < earliest) {
      throw ruleRefusal(
        'BOOKING_TOO_SOON',
        `Meetings must be booked at least ${this.policy.minWorkingDaysAhead} working days ahead; the earliest date you can book now is ${earliest}.`,
        { earliestDate: earliest, minWorkingDaysAhead: this.policy.minWorkingDaysAhead },
      );
    }
    const last = this.lastBookableDate(now);
    if (slot.date > last) {
      throw ruleRefusal('BOOKING_TOO_FAR_AHEAD', `Slots open ${this.policy.horizonDays} days ahead; the last date you can book now is ${last}.`, {
        lastDate: last,
        horizonDays: this.policy.horizonDays,
      });
    }
  }

  /** A lawyer may cancel only up to N hours before the slot. */
  checkLawyerCancel(startsAt: number, now: number): void {
    const deadline = startsAt - this.policy.cancelMinHoursAhead * hour;
    if (now > deadline) {
      throw ruleRefusal(
        'CANCEL_TOO_LATE',
        `Bookings can be cancelled only up to ${this.policy.cancelMinHoursAhead} hours before the meeting; please call the detention center instead.`,
        { deadline, cancelMinHoursAhead: this.policy.cancelMinHoursAhead },
      );
    }
  }

  checkInOpensAt(startsAt: number): number {
    return startsAt - this.policy.checkInOpensMinutesBefore * minute;
  }

  /** After this instant a booking not checked in is void. */
  voidAfter(startsAt: number): number {
    return startsAt + this.policy.lateVoidMinutes * minute;
  }

  reminderAt(startsAt: number): number {
    return startsAt - this.policy.reminderHoursBefore * hour;
  }

  /** Whether check-in is open; 'late' once the lateness limit has passed. */
  checkInWindow(startsAt: number, now: number): 'early' | 'open' | 'late' {
    if (now < this.checkInOpensAt(startsAt)) return 'early';
    if (now > this.voidAfter(startsAt)) return 'late';
    return 'open';
  }

  noShowWindowStart(now: number): number {
    return now - this.policy.noShowWindowDays * day;
  }

  /** Bounds of the local day of `startsAt`, for the per-day limits. */
  dayBounds(startsAt: number): { dayStart: number; dayEnd: number } {
    const date = localDateOf(startsAt, this.policy.timeZone);
    return { dayStart: epochOf(date, '00:00', this.policy.timeZone), dayEnd: epochOf(addDays(date, 1), '00:00', this.policy.timeZone) };
  }

  /**
   * The per-pair limits (same lawyer, same detainee, same day) if `candidate` were added to
   * `held`. Mirrors the allocation script, which enforces the same inside Redis.
   */
  pairLimit(held: Held[], candidate: Held): 'CONSECUTIVE_LIMIT' | 'DAILY_LIMIT' | undefined {
    const all = [...held, candidate].sort((a, b) => a.startsAt - b.startsAt);
    const runs: Held[] = [];
    for (const item of all) {
      const last = runs.at(-1);
      if (last && item.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, item.endsAt);
      else runs.push({ ...item });
    }
    const run = runs.find((r) => candidate.startsAt >= r.startsAt && candidate.startsAt < r.endsAt)!;
    if (run.endsAt - run.startsAt > this.policy.maxConsecutiveMinutes * minute) return 'CONSECUTIVE_LIMIT';
    const total = all.reduce((sum, item) => sum + (item.endsAt - item.startsAt), 0);
    if (total > this.policy.maxMinutesPerDay * minute) return 'DAILY_LIMIT';
    return undefined;
  }

  /** When a suspension lifts, given the lawyer's no-show times inside the window (ascending). */
  suspendedUntil(noShowTimes: number[], now: number): number | undefined {
    const inWindow = noShowTimes.filter((t) => t > this.noShowWindowStart(now)).sort((a, b) => a - b);
    if (inWindow.length < this.policy.noShowLimit) return undefined;
    return inWindow[inWindow.length - this.policy.noShowLimit]! + this.policy.noShowWindowDays * day;
  }
}

export const pairLimitMessages = {
  CONSECUTIVE_LIMIT: (p: BookingPolicy) =>
    `One lawyer may meet the same person for at most ${p.maxConsecutiveMinutes / 60} consecutive hours; choose a slot that is not back-to-back with your other bookings.`,
  DAILY_LIMIT: (p: BookingPolicy) =>
    `One lawyer may book at most ${p.maxMinutesPerDay / 60} hours a day with the same person; choose another day.`,
} as const;
