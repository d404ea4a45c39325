import type { Redis } from 'ioredis';
import { bookingToHash, type Booking, type HistoryEntry } from '../booking/Booking';
import { SignalingError } from '../SignalingError';
import { bookingKeys, type BusyKind } from './bookingKeys';
import type { LuaScript } from './LuaScript';

type Check =
  | { op: 'free'; k: number; s: string; e: string; span: string; label: string }
  | { op: 'pair'; k: number; s: string; e: string; dayStart: string; dayEnd: string; maxRun: string; maxDay: string; except: string }
  | { op: 'member'; k: number; m: string };
type Write =
  | { op: 'hset'; k: number; a: string[] }
  | { op: 'zadd'; k: number; s: string; m: string }
  | { op: 'zrem'; k: number; m: string }
  | { op: 'rpush'; k: number; v: string }
  | { op: 'xadd'; k: number; a: string[] };

export const busyMember = (endsAt: number, bookingId: string) => `${endsAt}|${bookingId}`;

/**
 * One atomic change of one booking: checks, then writes, applied by apply.lua only if the
 * booking's version is still the one that was read. Concurrent changes lose with
 * BOOKING_STATE_CONFLICT instead of overwriting each other.
 */
export class BookingChange {
  private readonly keys: string[];
  private readonly checks: Check[] = [];
  private readonly writes: Write[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly script: LuaScript,
    readonly booking: Booking,
    /** false: only guard on the version, do not bump it (bookkeeping that changes no fact). */
    private readonly bump = true,
  ) {
    this.keys = [bookingKeys.booking(booking.id)];
  }

  private k(key: string): number {
    let index = this.keys.indexOf(key);
    if (index < 0) index = this.keys.push(key) - 1;
    return index + 1;
  }

  set(fields: Partial<Booking>): this {
    this.writes.push({ op: 'hset', k: 1, a: Object.entries(bookingToHash(fields)).flat() });
    return this;
  }

  history(entry: HistoryEntry): this {
    this.writes.push({ op: 'rpush', k: this.k(bookingKeys.history(this.booking.id)), v: JSON.stringify(entry) });
    return this.audit(entry);
  }

  /** Metadata only: ids, states, who, when. */
  private audit(entry: HistoryEntry): this {
    const b = this.booking;
    const fields = ['bookingId', b.id, 'meetingId', b.meetingId, 'from', entry.from ?? '', 'to', entry.to, 'by', entry.by, 'role', entry.role, 'at', String(entry.at)];
    if (entry.note) fields.push('note', entry.note);
    fields.push('stationId', b.stationId, 'centerId', b.centerId);
    this.writes.push({ op: 'xadd', k: this.k(bookingKeys.audit), a: fields });
    return this;
  }

  notice(id: string, fields: string[]): this {
    this.writes.push({ op: 'hset', k: this.k(bookingKeys.notice(id)), a: fields });
    this.writes.push({ op: 'xadd', k: this.k(bookingKeys.outbox), a: ['noticeId', id] });
    this.writes.push({ op: 'rpush', k: this.k(bookingKeys.bookingNotices(this.booking.id)), v: id });
    this.writes.push({ op: 'zadd', k: this.k(bookingKeys.noticesPending), s: fields[fields.indexOf('createdAt') + 1]!, m: id });
    return this;
  }

  deadline(at: number | undefined): this {
    const k = this.k(bookingKeys.deadlines);
    this.writes.push(at === undefined ? { op: 'zrem', k, m: this.booking.id } : { op: 'zadd', k, s: String(at), m: this.booking.id });
    return this;
  }

  dropReminder(): this {
    this.writes.push({ op: 'zrem', k: this.k(bookingKeys.reminders), m: this.booking.id });
    return this;
  }

  /** Free the seat, booth, lawyer, detainee and pair intervals (cancelled, no-show, void). */
  release(): this {
    const member = busyMember(this.booking.endsAt, this.booking.id);
    for (const key of this.busyKeys()) this.writes.push({ op: 'zrem', k: this.k(key), m: member });
    return this.deadline(undefined).dropReminder();
  }

  busyKeys(): string[] {
    const b = this.booking;
    return [
      bookingKeys.busy('seat', b.seatId),
      bookingKeys.busy('booth', b.boothId),
      bookingKeys.busy('lawyer', b.lawyerId),
      bookingKeys.busy('detainee', b.detaineeId),
      bookingKeys.pair(b.lawyerId, b.detaineeId),
    ];
  }

  requireFree(kind: BusyKind, id: string, startsAt: number, endsAt: number, spanMs: number): this {
    this.checks.push({ op: 'free', k: this.k(bookingKeys.busy(kind, id)), s: String(startsAt), e: String(endsAt), span: String(spanMs), label: kind });
    return this;
  }

  requirePairLimits(startsAt: number, endsAt: number, day: { dayStart: number; dayEnd: number }, maxRunMs: number, maxDayMs: number): this {
    const b = this.booking;
    this.checks.push({
      op: 'pair',
      k: this.k(bookingKeys.pair(b.lawyerId, b.detaineeId)),
      s: String(startsAt),
      e: String(endsAt),
      dayStart: String(day.dayStart),
      dayEnd: String(day.dayEnd),
      maxRun: String(maxRunMs),
      maxDay: String(maxDayMs),
      except: busyMember(b.endsAt, b.id),
    });
    return this;
  }

  requireMember(key: string, member: string): this {
    this.checks.push({ op: 'member', k: this.k(key), m: member });
    return this;
  }

  zadd(key: string, score: number, member: string): this {
    this.writes.push({ op: 'zadd', k: this.k(key), s: String(score), m: member });
    return this;
  }

  zrem(key: string, member: string): this {
    this.writes.push({ op: 'zrem', k: this.k(key), m: member });
    return this;
  }

  /**
   * Apply. Refusals: BOOKING_STATE_CONFLICT when the booking changed meanwhile, SLOT_TAKEN when a
   * `requireFree` interval is held, the pair-limit codes, or a quiet `false` when a
   * `requireMember` member is gone (someone else did the work).
   */
  async commit(now: number): Promise<boolean> {
    if (this.bump) this.zadd(bookingKeys.unprojected, now, this.booking.id);
    const plan = JSON.stringify({ checks: this.checks, writes: this.writes, bump: this.bump });
    const [outcome, code, detail] = (await this.script.run(this.redis, this.keys, [String(this.booking.version), plan])) as [string, string, string];
    if (outcome === 'OK') return true;
    switch (code) {
      case 'ABSENT':
        return false;
      case 'TAKEN':
        if (detail === 'lawyer') throw new SignalingError('LAWYER_BUSY', 'The lawyer has another meeting at this time.');
        if (detail === 'detainee') throw new SignalingError('DETAINEE_BUSY', 'The detainee has another meeting at this time.');
        throw new SignalingError('SLOT_TAKEN', `That ${detail} is taken for this time.`, { side: detail });
      case 'CONSECUTIVE_LIMIT':
      case 'DAILY_LIMIT':
        throw new SignalingError(code, code === 'DAILY_LIMIT' ? 'This would exceed the daily limit for this lawyer and detainee.' : 'This would exceed the consecutive-hours limit.');
      case 'MISSING':
        throw new SignalingError('BOOKING_NOT_FOUND', 'This booking does not exist.');
      default:
        throw new SignalingError('BOOKING_STATE_CONFLICT', 'This booking was changed by someone else just now; reload it and try again.');
    }
  }
}
