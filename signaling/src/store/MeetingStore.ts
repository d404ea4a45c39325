import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keys } from './keys';

/**
 * A meeting as the join gate sees it. The booking domain is its source of truth and writes this
 * projection whenever a booking is made, checked in, seated, moved or cancelled.
 */
export const meetingRecordSchema = z.object({
  meetingId: z.string(),
  bookingId: z.string(),
  /** Slot window, epoch ms. */
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  lawyerName: z.string(),
  detaineeName: z.string(),
  stationName: z.string(),
  centerName: z.string(),
  /** The lawyer's id in the booking domain (a lawyer's person account carries it as `siteId`). */
  lawyerId: z.string().optional(),
  status: z.enum(['scheduled', 'cancelled', 'ended']),
  /** The station seat terminal assigned at check-in, and the booth kiosk assigned at seating. */
  seatDeviceId: z.string().optional(),
  boothDeviceId: z.string().optional(),
  /** The lawyer has been checked in (documents verified, notice signed). */
  lawyerCheckedIn: z.boolean().default(false),
  /** The detainee has been brought to the booth and marked seated. */
  detaineeSeated: z.boolean().default(false),
});

export type MeetingRecord = z.infer<typeof meetingRecordSchema>;

/** Why and when a meeting ended: written once, by the first instance to end it. */
export const meetingEndSchema = z.object({
  reason: z.enum(['slot_ended', 'ended_by_lawyer', 'ended_by_detainee', 'cancelled', 'code_mismatch', 'key_exchange_failed', 'guard_violation']),
  at: z.number().int(),
});
export type MeetingEnd = z.infer<typeof meetingEndSchema>;

/** Who holds a seat: the socket and the device behind it. */
export interface SeatHolder {
  socketId: string;
  deviceId: string;
}

/** How long facts about a meeting (end, placement) outlive its slot. */
const RETAIN_AFTER_END_MS = 7 * 24 * 3600_000;

/** Meetings, their SFU placement, who holds each seat and how each ended, in Redis. */
export class MeetingStore {
  constructor(private readonly redis: Redis) {}

  async get(meetingId: string): Promise<MeetingRecord | undefined> {
    const raw = await this.redis.get(keys.meeting(meetingId));
    return raw ? meetingRecordSchema.parse(JSON.parse(raw)) : undefined;
  }

  /** Write the projection. */
  async put(meeting: MeetingRecord): Promise<void> {
    await this.redis.set(keys.meeting(meeting.meetingId), JSON.stringify(meeting));
  }

  /** Record the end if none is recorded; true if this call ended it. */
  async markEnded(meetingId: string, end: MeetingEnd): Promise<boolean> {
    const set = await this.redis.set(keys.meetingEnd(meetingId), JSON.stringify(end), 'PX', RETAIN_AFTER_END_MS, 'NX');
    return set === 'OK';
  }

  async endOf(meetingId: string): Promise<MeetingEnd | undefined> {
    const raw = await this.redis.get(keys.meetingEnd(meetingId));
    return raw ? meetingEndSchema.parse(JSON.parse(raw)) : undefined;
  }

  async placement(meetingId: string): Promise<string | undefined> {
    return (await this.redis.get(keys.meetingNode(meetingId))) ?? undefined;
  }

  /** Record the node only if none is recorded; returns the node that holds the meeting. */
  async place(meetingId: string, nodeId: string): Promise<string> {
    const [[, set], [, current]] = (await this.redis
      .multi()
      .set(keys.meetingNode(meetingId), nodeId, 'NX')
      .get(keys.meetingNode(meetingId))
      .exec()) as [[null, string | null], [null, string]];
    return set ? nodeId : current;
  }

  /**
   * Move the meeting to `nodeId` if it is still on `expectedNodeId` (atomic: when both seats
   * rejoin at once, the first move wins); returns the node that holds the meeting.
   */
  async replacePlacement(meetingId: string, expectedNodeId: string, nodeId: string): Promise<string> {
    const holder = await this.redis.eval(
      "local current = redis.call('GET', KEYS[1]) if current and current ~= ARGV[1] then return current end redis.call('SET', KEYS[1], ARGV[2]) return ARGV[2]",
      1,
      keys.meetingNode(meetingId),
      expectedNodeId,
      nodeId,
    );
    return String(holder);
  }

  /**
   * Make `holder` the holder of the seat if the seat is free or held by the same device (a
   * reconnection, which replaces the older socket). Atomic, so two devices cannot both win.
   */
  async takeSeat(meetingId: string, role: string, holder: SeatHolder): Promise<{ taken: false; holder: SeatHolder } | { taken: true; replaced: SeatHolder | undefined }> {
    const [took, raw] = (await this.redis.eval(
      "local v = redis.call('GET', KEYS[1]) " +
        "if v then local ok, h = pcall(cjson.decode, v) " +
        "if ok and type(h) == 'table' and h.deviceId ~= ARGV[2] then return {0, v} end end " +
        "redis.call('SET', KEYS[1], ARGV[1]) return {1, v or ''}",
      1,
      keys.seatHolder(meetingId, role),
      JSON.stringify(holder),
      holder.deviceId,
    )) as [number, string];
    const previous = parseHolder(raw || null);
    if (took !== 1) return { taken: false, holder: previous! };
    return { taken: true, replaced: previous && previous.socketId !== holder.socketId ? previous : undefined };
  }

  async seatHolder(meetingId: string, role: string): Promise<SeatHolder | undefined> {
    return parseHolder(await this.redis.get(keys.seatHolder(meetingId, role)));
  }

  /** Free the seat if `socketId` still holds it; returns whether it did. */
  async releaseSeat(meetingId: string, role: string, socketId: string): Promise<boolean> {
    const released = await this.redis.eval(
      "local v = redis.call('GET', KEYS[1]) if not v then return 0 end " +
        "local ok, h = pcall(cjson.decode, v) " +
        "if ok and type(h) == 'table' and h.socketId == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      keys.seatHolder(meetingId, role),
      socketId,
    );
    return released === 1;
  }
}

function parseHolder(raw: string | null): SeatHolder | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<SeatHolder>;
    return typeof value.socketId === 'string' && typeof value.deviceId === 'string' ? { socketId: value.socketId, deviceId: value.deviceId } : undefined;
  } catch {
    return undefined;
  }
}
