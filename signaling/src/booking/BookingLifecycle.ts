import { SignalingError } from '../SignalingError';
import type { BookingStatus } from './Booking';

/** Every allowed transition. Anything else is refused with BOOKING_STATE_CONFLICT. */
const allowed: Record<BookingStatus, readonly BookingStatus[]> = {
  booked: ['checked_in', 'cancelled', 'no_show', 'void_late'],
  checked_in: ['in_meeting', 'cancelled'],
  in_meeting: ['completed'],
  completed: [],
  cancelled: [],
  // A lawyer who turns up after the clock marked a no-show is recorded as late instead.
  no_show: ['void_late'],
  void_late: [],
};

export const terminalStatuses: readonly BookingStatus[] = ['completed', 'cancelled', 'no_show', 'void_late'];

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return allowed[from].includes(to);
}

const describe: Record<BookingStatus, string> = {
  booked: 'booked',
  checked_in: 'checked in',
  in_meeting: 'in its meeting',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'marked as a no-show',
  void_late: 'void because the lawyer was late',
};

export function assertTransition(from: BookingStatus, to: BookingStatus): void {
  if (!canTransition(from, to)) {
    throw new SignalingError('BOOKING_STATE_CONFLICT', `This booking is ${describe[from]}; it cannot become ${describe[to]}.`, { status: from, wanted: to });
  }
}

export function describeStatus(status: BookingStatus): string {
  return describe[status];
}
