/**
 * Pure timing of a meeting's slot: which warning is due now and when to look again.
 * Warnings are seconds before the end (default 300 and 60).
 */
export interface SlotStep {
  /** Warnings that became due (largest first); only the last one is worth sending. */
  dueWarnings: number[];
  /** The slot is over. */
  ended: boolean;
  /** Epoch ms of the next moment anything can change (a warning, the end, or the periodic re-check). */
  nextAt: number;
}

export function slotStep(now: number, endsAt: number, warningSeconds: readonly number[], sent: ReadonlySet<number>, recheckMs: number): SlotStep {
  if (now >= endsAt) return { dueWarnings: [], ended: true, nextAt: now };
  const sorted = [...warningSeconds].sort((a, b) => b - a);
  const dueWarnings = sorted.filter((w) => !sent.has(w) && now >= endsAt - w * 1000);
  const upcoming = sorted.map((w) => endsAt - w * 1000).filter((at) => at > now);
  const nextAt = Math.min(endsAt, now + recheckMs, ...upcoming);
  return { dueWarnings, ended: false, nextAt };
}
