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

/** Meetings, their SFU placement and who holds each seat, in Redis. */
export class MeetingStore {
  constructor(private readonly redis: Redis) {}

  async get(meetingId: string): Promise<MeetingRecord | undefined> {
    const raw = await this.redis.get(keys.meeting(meetingId));
    return raw ? meetingRecordSchema.parse(JSON.parse(raw)) : undefined;
  }

  async put(meeting: MeetingRecord): Promise<void> {
    await this.redis.set(keys.meeting(meeting.meetingId), JSON.stringify(meeting));
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

  /** Make `socketId` the holder of the seat; returns the socket it replaced, if any. */
  async takeSeat(meetingId: string, role: string, socketId: string): Promise<string | undefined> {
    const previous = await this.redis.set(keys.seatHolder(meetingId, role), socketId, 'GET');
    return previous && previous !== socketId ? previous : undefined;
  }

  async seatHolder(meetingId: string, role: string): Promise<string | undefined> {
    return (await this.redis.get(keys.seatHolder(meetingId, role))) ?? undefined;
  }

  /** Free the seat if `socketId` still holds it; returns whether it did. */
  async releaseSeat(meetingId: string, role: string, socketId: string): Promise<boolean> {
    const released = await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
      1,
      keys.seatHolder(meetingId, role),
      socketId,
    );
    return released === 1;
  }
}
