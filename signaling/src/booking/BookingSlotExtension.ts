import type { ExtensionDecision, SlotExtension } from '../meetings/SlotExtension';
import { SignalingError } from '../SignalingError';
import type { BookingStore } from '../store/BookingStore';
import type { MeetingStore } from '../store/MeetingStore';
import type { Actor } from './Booking';
import type { DayWorkflow } from './DayWorkflow';

/**
 * The audited reason of a refusal: `seat_busy`, `booth_busy`, `lawyer_busy`, `detainee_busy`
 * (the next slot is booked for that side), `consecutive_limit`, `daily_limit` (the center's
 * policy), `extension_not_allowed` (no slot follows directly), `booking_state_conflict` (not in
 * progress, or changed meanwhile).
 */
function extensionRefusalReason(code: string, side: unknown): string {
  if (code === 'SLOT_TAKEN' && (side === 'seat' || side === 'booth')) return `${side}_busy`;
  return code.toLowerCase();
}

/**
 * The lawyer's "extend" as the meeting namespace asks for it, by meeting id, answered by the
 * booking domain: the next slot must follow directly and be free for the seat, the booth, the
 * lawyer and the detainee, and the center's limits must allow it (DayWorkflow). It is the
 * `SlotExtension` of the running service.
 */
export class BookingSlotExtension implements SlotExtension {
  constructor(
    private readonly workflow: DayWorkflow,
    private readonly bookings: BookingStore,
    private readonly meetings: MeetingStore,
  ) {}

  async canExtend(meetingId: string): Promise<ExtensionDecision> {
    const lawyer = await this.lawyerOf(meetingId);
    if (!lawyer) return { allowed: false, reason: 'not_found', message: 'this meeting has no booking' };
    const offer = await this.workflow.extensionOffer(lawyer.actor, lawyer.bookingId);
    return offer.allowed && offer.endsAt !== undefined
      ? { allowed: true, endsAt: offer.endsAt }
      : { allowed: false, reason: extensionRefusalReason(offer.code ?? 'EXTENSION_NOT_ALLOWED', offer.side), message: offer.message };
  }

  async extend(meetingId: string): Promise<ExtensionDecision> {
    const lawyer = await this.lawyerOf(meetingId);
    if (!lawyer) return { allowed: false, reason: 'not_found', message: 'this meeting has no booking' };
    try {
      const extended = await this.workflow.extend(lawyer.actor, lawyer.bookingId);
      return { allowed: true, endsAt: extended.endsAt };
    } catch (error) {
      if (error instanceof SignalingError) return { allowed: false, reason: extensionRefusalReason(error.code, error.details?.side), message: error.message };
      throw error;
    }
  }

  /** The booking behind a meeting, acted on as its lawyer (who asked from the seat terminal). */
  private async lawyerOf(meetingId: string): Promise<{ bookingId: string; actor: Actor } | undefined> {
    const meeting = await this.meetings.get(meetingId);
    const booking = meeting ? await this.bookings.get(meeting.bookingId) : undefined;
    if (!booking || booking.meetingId !== meetingId) return undefined;
    return { bookingId: booking.id, actor: { username: `lawyer:${booking.lawyerId}`, role: 'lawyer', name: 'lawyer at the seat terminal', siteId: booking.lawyerId } };
  }
}
