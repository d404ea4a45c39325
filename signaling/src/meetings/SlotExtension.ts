import type { BookingTokens } from '../auth/BookingTokens';
import type { MeetingStore } from '../store/MeetingStore';
import type { DeviceAssignments } from './DeviceAssignments';

export type ExtensionDecision =
  | { allowed: true; endsAt: number }
  /** `reason` is a short machine word (audited); `message` is for the lawyer. */
  | { allowed: false; reason: string; message: string };

/**
 * Whether a running meeting may run into the next slot, and doing it. The booking domain owns
 * what "free" and "policy" mean and may supply its own implementation; `extend` must move the
 * MeetingRecord's `endsAt` and give both devices assignments whose tokens expire at the new end
 * (so a reconnect after the original end is admitted).
 */
export interface SlotExtension {
  canExtend(meetingId: string): Promise<ExtensionDecision>;
  /** Extend if `canExtend` allows it now; returns the decision that was applied. */
  extend(meetingId: string): Promise<ExtensionDecision>;
}

export interface RedisSlotExtensionDeps {
  meetings: MeetingStore;
  assignments: DeviceAssignments;
  tokens: BookingTokens;
  joinLeadMs: number;
  /** How much one extension adds (one slot). */
  stepMs: number;
  /** Policy: the longest a meeting may run in total (Beijing: 2 consecutive hours). */
  maxMeetingMs: number;
}

/**
 * The default: the next `stepMs` is free when no other scheduled meeting of the same seat device
 * or booth device overlaps it (read from the MeetingRecords, indexed by device), and the meeting
 * stays within `maxMeetingMs`.
 */
export class RedisSlotExtension implements SlotExtension {
  constructor(private readonly deps: RedisSlotExtensionDeps) {}

  async canExtend(meetingId: string): Promise<ExtensionDecision> {
    const { meetings, stepMs, maxMeetingMs } = this.deps;
    const meeting = await meetings.get(meetingId);
    if (!meeting || meeting.status !== 'scheduled' || (await meetings.endOf(meetingId))) {
      return { allowed: false, reason: 'not_running', message: 'this meeting is not running' };
    }
    const endsAt = meeting.endsAt + stepMs;
    if (endsAt - meeting.startsAt > maxMeetingMs) {
      return { allowed: false, reason: 'max_length', message: `a meeting may last at most ${Math.round(maxMeetingMs / 60_000)} minutes` };
    }
    for (const [deviceId, which] of [
      [meeting.seatDeviceId, 'seat'],
      [meeting.boothDeviceId, 'booth'],
    ] as const) {
      if (!deviceId) return { allowed: false, reason: `no_${which}`, message: `this meeting has no ${which} assigned` };
      const others = (await meetings.meetingsOfDevice(deviceId, meeting.startsAt, endsAt)).filter((id) => id !== meetingId);
      for (const otherId of others) {
        const other = await meetings.get(otherId);
        const stillUses = other && (other.seatDeviceId === deviceId || other.boothDeviceId === deviceId);
        if (stillUses && other.status === 'scheduled' && other.startsAt < endsAt && other.endsAt > meeting.endsAt) {
          return { allowed: false, reason: `${which}_busy`, message: `the next slot of this ${which === 'seat' ? 'station seat' : 'booth'} is booked` };
        }
      }
    }
    return { allowed: true, endsAt };
  }

  async extend(meetingId: string): Promise<ExtensionDecision> {
    const decision = await this.canExtend(meetingId);
    if (!decision.allowed) return decision;
    const { meetings, assignments, tokens, joinLeadMs } = this.deps;
    const meeting = (await meetings.get(meetingId))!;
    await meetings.put({ ...meeting, endsAt: decision.endsAt });
    for (const deviceId of [meeting.seatDeviceId, meeting.boothDeviceId]) {
      const current = deviceId ? await assignments.current(deviceId) : undefined;
      if (!deviceId || current?.meetingId !== meetingId) continue;
      const token = tokens.issue({
        bookingId: meeting.bookingId,
        meetingId,
        role: current.role,
        deviceId,
        notBefore: meeting.startsAt - joinLeadMs,
        expiresAt: decision.endsAt,
      });
      await assignments.assign({ ...current, token, endsAt: decision.endsAt });
    }
    return decision;
  }
}
