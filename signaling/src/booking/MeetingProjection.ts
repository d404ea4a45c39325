import type { Logger } from 'pino';
import type { BookingTokens } from '../auth/BookingTokens';
import type { DeviceAssignments } from '../meetings/DeviceAssignments';
import type { BookingStore } from '../store/BookingStore';
import { bookingKeys } from '../store/bookingKeys';
import type { MeetingRecord, MeetingStore } from '../store/MeetingStore';
import type { ResourceStore } from '../store/ResourceStore';
import type { Booking } from './Booking';
import { terminalStatuses } from './BookingLifecycle';
import type { Center, Detainee, Lawyer, Station } from './ResourceTypes';

interface KnownResources {
  lawyer: Lawyer;
  detainee: Detainee;
  station: Station;
  center: Center;
}

interface MeetingNames {
  lawyerName: string;
  detaineeName: string;
  stationName: string;
  centerName: string;
}

/**
 * Keeps what the join gate and the devices see in step with a booking: the MeetingRecord, and
 * the seat's and the booth's assignment with its booking token. Idempotent and driven by the
 * booking's state, so the clock can re-run it for any booking whose projection may lag (a crash
 * between commit and projection, or a device still busy with an earlier meeting).
 */
export class MeetingProjection {
  constructor(
    private readonly deps: {
      store: BookingStore;
      resources: ResourceStore;
      meetings: MeetingStore;
      devices: DeviceAssignments;
      tokens: BookingTokens;
      joinLeadMs: number;
      now: () => number;
      log: Logger;
    },
  ) {}

  /**
   * Project `booking`; `previous` names devices it no longer uses (a moved seat or booth);
   * `known` spares look-ups of resources the caller holds.
   */
  async sync(booking: Booking, previous?: Pick<Booking, 'seatId' | 'boothId'>, known?: Partial<KnownResources>): Promise<void> {
    const { meetings, devices, store, log } = this.deps;
    const names = await this.names(booking, known);
    await meetings.put(this.record(booking, names));
    if (previous && previous.seatId !== booking.seatId) await devices.revoke(previous.seatId, booking.meetingId);
    if (previous && previous.boothId !== booking.boothId) await devices.revoke(previous.boothId, booking.meetingId);

    let retryAt: number | undefined;
    if (terminalStatuses.includes(booking.status)) {
      await devices.revoke(booking.seatId, booking.meetingId);
      await devices.revoke(booking.boothId, booking.meetingId);
    } else {
      if (booking.status === 'checked_in' || booking.status === 'in_meeting') retryAt = await this.assign(booking, 'lawyer', names);
      if (booking.status === 'in_meeting') retryAt = (await this.assign(booking, 'detainee', names)) ?? retryAt;
    }
    const done = store.change(booking, { bump: false });
    if (retryAt === undefined) done.zrem(bookingKeys.unprojected, booking.id);
    else {
      done.zadd(bookingKeys.unprojected, retryAt, booking.id);
      log.info({ bookingId: booking.id, retryAt }, 'device busy with an earlier meeting; assignment deferred');
    }
    // A newer version will be projected by whoever made it; this one is then simply stale.
    await done.commit(this.deps.now()).catch(() => undefined);
  }

  record(booking: Booking, names: MeetingNames): MeetingRecord {
    const ended = booking.status === 'completed';
    const cancelled = booking.status === 'cancelled' || booking.status === 'no_show' || booking.status === 'void_late';
    return {
      meetingId: booking.meetingId,
      bookingId: booking.id,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      ...names,
      status: ended ? 'ended' : cancelled ? 'cancelled' : 'scheduled',
      seatDeviceId: booking.seatId,
      boothDeviceId: booking.boothId,
      lawyerCheckedIn: booking.checkIn !== undefined && !cancelled,
      detaineeSeated: booking.seating !== undefined && !cancelled,
    };
  }

  /** Give the device its assignment unless it already has it; returns when to retry if the device is still busy. */
  private async assign(booking: Booking, role: 'lawyer' | 'detainee', names: MeetingNames): Promise<number | undefined> {
    const { devices, tokens, joinLeadMs, now } = this.deps;
    const deviceId = role === 'lawyer' ? booking.seatId : booking.boothId;
    const current = await devices.current(deviceId);
    if (current?.meetingId === booking.meetingId && current.endsAt === booking.endsAt && current.role === role) return undefined;
    if (current && current.meetingId !== booking.meetingId && current.startsAt < booking.startsAt && current.endsAt > now()) return current.endsAt;
    if (booking.endsAt <= now()) return undefined;
    const token = tokens.issue({
      bookingId: booking.id,
      meetingId: booking.meetingId,
      role,
      deviceId,
      notBefore: booking.startsAt - joinLeadMs,
      expiresAt: booking.endsAt,
    });
    await devices.assign({ deviceId, meetingId: booking.meetingId, bookingId: booking.id, role, token, startsAt: booking.startsAt, endsAt: booking.endsAt, ...names });
    return undefined;
  }

  private async names(booking: Booking, known: Partial<KnownResources> = {}): Promise<MeetingNames> {
    const { resources } = this.deps;
    const [lawyer, detainee, station, seat, center, booth] = await Promise.all([
      known.lawyer ?? resources.get('lawyer', booking.lawyerId),
      known.detainee ?? resources.get('detainee', booking.detaineeId),
      known.station ?? resources.get('station', booking.stationId),
      resources.get('seat', booking.seatId),
      known.center ?? resources.get('center', booking.centerId),
      resources.get('booth', booking.boothId),
    ]);
    return {
      lawyerName: lawyer?.name ?? booking.lawyerId,
      detaineeName: detainee?.name ?? booking.detaineeId,
      stationName: [station?.name ?? booking.stationId, seat?.label].filter(Boolean).join(' '),
      centerName: [center?.name ?? booking.centerId, booth?.label].filter(Boolean).join(' '),
    };
  }
}
