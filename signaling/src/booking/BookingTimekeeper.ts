import { bookingKeys } from '../store/bookingKeys';
import { systemActor, type Booking } from './Booking';
import type { BookingContext } from './BookingContext';
import { BookingRules } from './BookingRules';

export interface TickReport {
  noShows: number;
  notSeated: number;
  completed: number;
  reminders: number;
  reprojected: number;
}

/** How long after a commit the inline projection is trusted before the clock redoes it. */
const projectionGraceMs = 5_000;
const batch = 200;

/**
 * The server's clock acting on bookings, never a client's: no-shows after the lateness limit,
 * meetings that end with their slot, reminders, and projections that lag. Safe to run on every
 * signaling instance at once: each change is versioned, so only one instance's change lands.
 */
export class BookingTimekeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickReport> | undefined;

  constructor(private readonly ctx: BookingContext) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (!this.running) {
        this.running = this.tick()
          .catch((error: unknown) => {
            this.ctx.log.error({ err: error }, 'booking clock tick failed');
            return { noShows: 0, notSeated: 0, completed: 0, reminders: 0, reprojected: 0 };
          })
          .finally(() => (this.running = undefined));
      }
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<TickReport> {
    const report: TickReport = { noShows: 0, notSeated: 0, completed: 0, reminders: 0, reprojected: 0 };
    const now = this.ctx.now();
    const { store } = this.ctx;
    for (const booking of await store.getMany(await store.due(bookingKeys.deadlines, now, batch))) {
      const outcome = await this.onDeadline(booking, now).catch((error: unknown) => {
        this.ctx.log.warn({ bookingId: booking.id, err: error }, 'booking deadline not applied; retrying on the next tick');
        return undefined;
      });
      if (outcome) report[outcome] += 1;
    }
    for (const booking of await store.getMany(await store.due(bookingKeys.reminders, now, batch))) {
      if (await this.remind(booking, now)) report.reminders += 1;
    }
    for (const booking of await store.getMany(await store.unprojected(now - projectionGraceMs, batch))) {
      await this.ctx.projection.sync(booking);
      report.reprojected += 1;
    }
    return report;
  }

  private async onDeadline(booking: Booking, now: number): Promise<keyof TickReport | undefined> {
    const { store, projection, notices, policies } = this.ctx;
    const rules = new BookingRules(policies.forCenter(booking.centerId));
    const by = { by: systemActor.username, role: systemActor.role, at: now };
    if (booking.status === 'booked' && now > rules.voidAfter(booking.startsAt)) {
      const notice = await notices.compose('void', booking, now);
      await store
        .change(booking)
        .set({ status: 'no_show', updatedAt: now })
        .history({ from: 'booked', to: 'no_show', ...by, note: 'not_checked_in' })
        .release()
        .zadd(bookingKeys.noShows(booking.lawyerId), now, booking.id)
        .notice(notice.id, notice.fields)
        .commit(now);
      await projection.sync({ ...booking, status: 'no_show', updatedAt: now, version: booking.version + 1 });
      return 'noShows';
    }
    if (booking.status === 'checked_in' && now >= booking.endsAt) {
      const cancellation = { by: systemActor.username, byRole: systemActor.role, at: now, reason: 'detainee_not_seated' };
      await store
        .change(booking)
        .set({ status: 'cancelled', cancellation, updatedAt: now })
        .history({ from: 'checked_in', to: 'cancelled', ...by, note: 'detainee_not_seated' })
        .deadline(undefined)
        .commit(now);
      await projection.sync({ ...booking, status: 'cancelled', cancellation, updatedAt: now, version: booking.version + 1 });
      return 'notSeated';
    }
    if (booking.status === 'in_meeting' && now >= booking.endsAt) {
      await store
        .change(booking)
        .set({ status: 'completed', endedAt: booking.endsAt, endedEarly: false, updatedAt: now })
        .history({ from: 'in_meeting', to: 'completed', ...by, note: 'slot_end' })
        .deadline(undefined)
        .commit(now);
      await projection.sync({ ...booking, status: 'completed', endedAt: booking.endsAt, endedEarly: false, updatedAt: now, version: booking.version + 1 });
      return 'completed';
    }
    // Not due after all (or already final): put the deadline where it belongs.
    const next = booking.status === 'booked' ? rules.voidAfter(booking.startsAt) + 1 : booking.status === 'checked_in' || booking.status === 'in_meeting' ? booking.endsAt : undefined;
    await store.change(booking, { bump: false }).deadline(next).commit(now).catch(() => undefined);
    return undefined;
  }

  /** Queue the reminder once, whichever instance gets there first. */
  private async remind(booking: Booking, now: number): Promise<boolean> {
    const { store, notices } = this.ctx;
    const change = store.change(booking, { bump: false }).requireMember(bookingKeys.reminders, booking.id).dropReminder();
    if (booking.status === 'booked') {
      const notice = await notices.compose('reminder', booking, now);
      change.notice(notice.id, notice.fields);
    }
    return (await change.commit(now).catch(() => false)) && booking.status === 'booked';
  }
}
