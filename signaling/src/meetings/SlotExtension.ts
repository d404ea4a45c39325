export type ExtensionDecision =
  | { allowed: true; endsAt: number }
  /** `reason` is a short machine word (audited, and sent to the lawyer with the refusal); `message` is for the lawyer. */
  | { allowed: false; reason: string; message: string };

/**
 * Whether a running meeting may run into the next slot, and doing it. The booking domain owns
 * what "free" and "policy" mean (`booking/BookingSlotExtension.ts`); `extend` must move the
 * MeetingRecord's `endsAt` and give both devices assignments whose tokens expire at the new end
 * (so a reconnect after the original end is admitted).
 */
export interface SlotExtension {
  canExtend(meetingId: string): Promise<ExtensionDecision>;
  /** Extend if `canExtend` allows it now; returns the decision that was applied. */
  extend(meetingId: string): Promise<ExtensionDecision>;
}
