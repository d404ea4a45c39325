import { SignalingError } from '../SignalingError';
import type { Actor } from './Booking';

type Sited = { lawyerId: string; stationId: string; centerId: string };

/** Who may see and act on a booking: its lawyer, its station's and its center's staff, admins. */
export const bookingAccess = {
  canSee(actor: Actor, booking: Sited): boolean {
    switch (actor.role) {
      case 'admin':
      case 'system':
        return true;
      case 'lawyer':
        return actor.siteId === booking.lawyerId;
      case 'station_officer':
        return actor.siteId === booking.stationId;
      case 'detention_officer':
        return actor.siteId === booking.centerId;
      default:
        return false;
    }
  },

  /** Not found rather than forbidden, so ids reveal nothing to people outside the booking. */
  assertCanSee(actor: Actor, booking: Sited): void {
    if (!this.canSee(actor, booking)) throw new SignalingError('BOOKING_NOT_FOUND', 'This booking does not exist.');
  },

  /** The station's officers (or an admin) check lawyers in and move seats. */
  assertStationStaff(actor: Actor, booking: Sited): void {
    this.assertCanSee(actor, booking);
    if (actor.role !== 'admin' && actor.role !== 'station_officer') throw new SignalingError('FORBIDDEN', 'Only the station’s officers can do this.');
  },

  /** The center's officers (or an admin) seat detainees and move booths. */
  assertCenterStaff(actor: Actor, booking: Sited): void {
    this.assertCanSee(actor, booking);
    if (actor.role !== 'admin' && actor.role !== 'detention_officer') throw new SignalingError('FORBIDDEN', 'Only the detention center’s officers can do this.');
  },
};
