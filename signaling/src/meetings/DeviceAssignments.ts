import type { Redis } from 'ioredis';
import { z } from 'zod';
import { seatSchema } from '@huijian/sfu-server/control/schemas';
import { TokenRevocations } from '../auth/TokenRevocations';
import type { DeviceAssignment } from '../protocol';

/**
 * What a station seat terminal or a booth kiosk is told to do next: "meeting M with lawyer X
 * starts at 09:30", with the booking token bound to that device. Device ids are the seat and
 * booth ids of the booking domain.
 */
export const deviceAssignmentSchema = z.object({
  deviceId: z.string().min(1).max(64),
  meetingId: z.string(),
  bookingId: z.string(),
  role: seatSchema,
  /** Booking token for this device and role, valid from slot start minus the join lead to slot end. */
  token: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  lawyerName: z.string(),
  detaineeName: z.string(),
  stationName: z.string(),
  centerName: z.string(),
}) satisfies z.ZodType<DeviceAssignment>;

export type { DeviceAssignment };

/** Redis pub/sub channel that carries the id of a device whose assignment changed. */
export const deviceAssignmentChannel = 'huijian:device-assignments';
const assignmentKey = (deviceId: string) => `huijian:device:${deviceId}:assignment`;

/**
 * The current assignment of each device, kept in Redis until its slot ends. The booking domain
 * writes it at check-in and seating; the device channel pushes it to the device live.
 */
export class DeviceAssignments {
  private readonly revocations: TokenRevocations;

  constructor(private readonly redis: Redis) {
    this.revocations = new TokenRevocations(redis);
  }

  async assign(assignment: DeviceAssignment): Promise<void> {
    const valid = deviceAssignmentSchema.parse(assignment);
    await this.redis
      .multi()
      .set(assignmentKey(valid.deviceId), JSON.stringify(valid), 'PXAT', valid.endsAt)
      .publish(deviceAssignmentChannel, valid.deviceId)
      .exec();
  }

  /**
   * Withdraw the device's assignment if it is still for `meetingId` (cancelled, reassigned, ended).
   * Its token is revoked too: the gate refuses it from now on, and live connections made with it
   * are closed by the instance that holds them.
   */
  async revoke(deviceId: string, meetingId: string): Promise<boolean> {
    const current = await this.current(deviceId);
    if (current?.meetingId !== meetingId) return false;
    await this.revocations.revokeToken(current.token);
    await this.redis.multi().del(assignmentKey(deviceId)).publish(deviceAssignmentChannel, deviceId).exec();
    return true;
  }

  async current(deviceId: string): Promise<DeviceAssignment | undefined> {
    const raw = await this.redis.get(assignmentKey(deviceId));
    return raw ? deviceAssignmentSchema.parse(JSON.parse(raw)) : undefined;
  }
}
