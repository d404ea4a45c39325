import type { Redis } from 'ioredis';
import { bookingFromHash, bookingToHash, historyEntrySchema, type Booking, type HistoryEntry } from '../booking/Booking';
import { BookingChange } from './BookingChange';
import { bookingKeys } from './bookingKeys';
import { LuaScript } from './LuaScript';

const allocateScript = new LuaScript('intervals.lua', 'allocate.lua');
const applyScript = new LuaScript('intervals.lua', 'apply.lua');

export interface AllocationRequest {
  /** The booking without its seat and booth, which the script picks. */
  booking: Omit<Booking, 'seatId' | 'boothId'>;
  /** Candidates in order of preference (one when the lawyer chose). */
  seatIds: string[];
  boothIds: string[];
  /** Longest interval any booking can hold, to bound the overlap scan. */
  spanMs: number;
  day: { dayStart: number; dayEnd: number };
  maxRunMs: number;
  maxDayMs: number;
  noShowSince: number;
  noShowLimit: number;
  /** When the clock must next look at the booking (lateness). */
  deadline: number;
  reminderAt: number | undefined;
  history: HistoryEntry;
  notice: { id: string; fields: string[] };
  now: number;
}

export type AllocationOutcome =
  | { ok: true; seatId: string; boothId: string }
  | { ok: false; code: 'SLOT_TAKEN' | 'LAWYER_BUSY' | 'DETAINEE_BUSY' | 'CONSECUTIVE_LIMIT' | 'DAILY_LIMIT' | 'LAWYER_SUSPENDED' | 'DUPLICATE'; detail: string };

/** Bookings in Redis: the atomic allocation, versioned changes, indexes and history. */
export class BookingStore {
  constructor(private readonly redis: Redis) {}

  async allocate(request: AllocationRequest): Promise<AllocationOutcome> {
    const b = request.booking;
    const keys = [
      bookingKeys.booking(b.id),
      bookingKeys.history(b.id),
      bookingKeys.busy('lawyer', b.lawyerId),
      bookingKeys.busy('detainee', b.detaineeId),
      bookingKeys.pair(b.lawyerId, b.detaineeId),
      bookingKeys.noShows(b.lawyerId),
      bookingKeys.byLawyer(b.lawyerId),
      bookingKeys.byStation(b.stationId),
      bookingKeys.byCenter(b.centerId),
      bookingKeys.byStart,
      bookingKeys.deadlines,
      bookingKeys.reminders,
      bookingKeys.audit,
      bookingKeys.outbox,
      bookingKeys.unprojected,
      bookingKeys.notice(request.notice.id),
      bookingKeys.bookingNotices(b.id),
      bookingKeys.noticesPending,
      ...request.seatIds.map((id) => bookingKeys.busy('seat', id)),
      ...request.boothIds.map((id) => bookingKeys.busy('booth', id)),
    ];
    const h = request.history;
    const argument = {
      id: b.id,
      start: String(b.startsAt),
      stop: String(b.endsAt),
      span: String(request.spanMs),
      seats: request.seatIds,
      booths: request.boothIds,
      dayStart: String(request.day.dayStart),
      dayEnd: String(request.day.dayEnd),
      maxRun: String(request.maxRunMs),
      maxDay: String(request.maxDayMs),
      noShowSince: String(request.noShowSince),
      noShowLimit: String(request.noShowLimit),
      fields: Object.entries(bookingToHash(b)).flat(),
      history: JSON.stringify(h),
      audit: ['bookingId', b.id, 'meetingId', b.meetingId, 'from', '', 'to', h.to, 'by', h.by, 'role', h.role, 'at', String(h.at), 'stationId', b.stationId, 'centerId', b.centerId],
      deadline: String(request.deadline),
      reminderAt: request.reminderAt === undefined ? '' : String(request.reminderAt),
      notice: request.notice.fields,
      noticeId: request.notice.id,
      now: String(request.now),
    };
    const [outcome, first, second] = (await allocateScript.run(this.redis, keys, [JSON.stringify(argument)])) as [string, string, string];
    if (outcome === 'OK') return { ok: true, seatId: first, boothId: second };
    return { ok: false, code: first as Exclude<AllocationOutcome, { ok: true }>['code'], detail: second };
  }

  /** Start a versioned change of `booking` (as read). */
  change(booking: Booking, options: { bump?: boolean } = {}): BookingChange {
    return new BookingChange(this.redis, applyScript, booking, options.bump ?? true);
  }

  async get(id: string): Promise<Booking | undefined> {
    return bookingFromHash(await this.redis.hgetall(bookingKeys.booking(id)));
  }

  async getMany(ids: string[]): Promise<Booking[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(bookingKeys.booking(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, hash]) => bookingFromHash(hash as Record<string, string>)).filter((b): b is Booking => b !== undefined);
  }

  /** Ids in an index (by lawyer, station, center or all) whose slot starts in [from, to). */
  async idsStarting(index: string, from: number, to: number, limit = 5000): Promise<string[]> {
    return this.redis.zrangebyscore(index, from, `(${to}`, 'LIMIT', 0, limit);
  }

  async history(id: string): Promise<HistoryEntry[]> {
    const raw = await this.redis.lrange(bookingKeys.history(id), 0, -1);
    return raw.map((entry) => historyEntrySchema.parse(JSON.parse(entry)));
  }

  async noticeIds(id: string): Promise<string[]> {
    return this.redis.lrange(bookingKeys.bookingNotices(id), 0, -1);
  }

  /** Booking ids due at `now` in a schedule (deadlines, reminders), oldest first. */
  async due(schedule: string, now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(schedule, '-inf', now, 'LIMIT', 0, limit);
  }

  /** No-show times of a lawyer after `since`. */
  async noShowTimes(lawyerId: string, since: number): Promise<number[]> {
    const flat = await this.redis.zrangebyscore(bookingKeys.noShows(lawyerId), `(${since}`, '+inf', 'WITHSCORES');
    return flat.filter((_, i) => i % 2 === 1).map(Number);
  }

  /** For each busy set, the intervals overlapping [from, to), in one round trip. */
  async busyIn(keys: string[], from: number, to: number, spanMs: number): Promise<{ bookingId: string; startsAt: number; endsAt: number }[][]> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.zrangebyscore(key, from - spanMs, `(${to}`, 'WITHSCORES');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, flat]) => {
      if (error) throw error;
      const list = flat as string[];
      const out: { bookingId: string; startsAt: number; endsAt: number }[] = [];
      for (let i = 0; i < list.length; i += 2) {
        const [end, bookingId] = list[i]!.split('|') as [string, string];
        if (Number(end) > from) out.push({ bookingId, startsAt: Number(list[i + 1]), endsAt: Number(end) });
      }
      return out;
    });
  }

  /** Bookings whose projection may lag, committed before `before`. */
  async unprojected(before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(bookingKeys.unprojected, '-inf', before, 'LIMIT', 0, limit);
  }
}
