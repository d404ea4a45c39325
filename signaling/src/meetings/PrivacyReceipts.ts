import type { Logger } from 'pino';
import type { AuditLog } from '../audit/AuditLog';
import type { PrivacyReceipt } from '../protocol';
import type { MeetingEnd, MeetingStore } from '../store/MeetingStore';
import type { PrivacyFacts, PrivacyLedger } from '../store/PrivacyLedger';
import type { ConfidentialityAlarm } from './ConfidentialityAlarm';

/** A seat never holds more than a send and a receive transport. */
const TRANSPORTS_PER_SEAT = 2;

/** The receipt a meeting's recorded facts add up to (pure). */
export function composeReceipt(meetingId: string, facts: PrivacyFacts): PrivacyReceipt {
  const current = facts.exchangeId;
  const endToEndEncrypted =
    facts.policy === 'required' &&
    current !== undefined &&
    facts.active.lawyer === current &&
    facts.active.detainee === current &&
    facts.failed === undefined;
  const codeConfirmed = current !== undefined && facts.confirmed === current && facts.mismatch === undefined;
  const census = facts.census;
  const shapeExceeded =
    facts.peakTransportsPerSeat > TRANSPORTS_PER_SEAT ||
    (census !== undefined && (census.lawyer.consumers > census.detainee.producers || census.detainee.consumers > census.lawyer.producers));
  return {
    meetingId,
    final: facts.endedAt !== undefined,
    startedAt: facts.firstJoinAt ?? null,
    endedAt: facts.endedAt ?? null,
    endReason: facts.endReason ?? null,
    endpointsConnected: facts.endpoints.length,
    e2eePolicy: facts.policy ?? 'required',
    endToEndEncrypted,
    codeConfirmed,
    keyExchanges: facts.exchanges,
    recorderPresent: facts.guardViolations > 0 || shapeExceeded ? 'detected' : 'none',
    media: census ?? null,
  };
}

/**
 * Privacy receipts: made from the PrivacyLedger's facts, sealed when the meeting ends (end time
 * and reason, the SFU guard's violations for the meeting from the audit stream) and audited as
 * `privacy_receipt`.
 */
export class PrivacyReceipts {
  constructor(
    private readonly ledger: PrivacyLedger,
    private readonly meetings: MeetingStore,
    private readonly audit: AuditLog,
    private readonly alarm: ConfidentialityAlarm,
    private readonly log: Logger,
  ) {}

  /** Called once, by the instance that recorded the meeting's end. */
  async seal(meetingId: string, end: MeetingEnd): Promise<void> {
    try {
      const recent = await this.audit.read({ count: 200, meetingId });
      const violations = recent.filter((entry) => entry.type === 'guard_violation').length;
      await this.ledger.ended(meetingId, end.at, end.reason, violations);
      const facts = await this.ledger.facts(meetingId);
      if (!facts) return;
      const receipt = composeReceipt(meetingId, facts);
      const transports = receipt.media ? receipt.media.lawyer.transports + receipt.media.detainee.transports : undefined;
      const consumers = receipt.media ? receipt.media.lawyer.consumers + receipt.media.detainee.consumers : undefined;
      await this.audit.record({
        type: 'privacy_receipt',
        meetingId,
        policy: receipt.e2eePolicy,
        e2ee: receipt.endToEndEncrypted,
        codeConfirmed: receipt.codeConfirmed,
        endpoints: receipt.endpointsConnected,
        transports,
        consumers,
        reason: receipt.recorderPresent === 'none' ? 'no_recorder' : 'recorder_detected',
      });
      if (receipt.recorderPresent !== 'none') await this.alarm.raise('sfu_guard_violation', meetingId);
    } catch (error) {
      this.log.error({ err: error, meetingId }, 'privacy receipt not sealed');
    }
  }

  async receipt(meetingId: string): Promise<PrivacyReceipt | undefined> {
    const facts = await this.ledger.facts(meetingId);
    if (!facts) return undefined;
    if (facts.endedAt === undefined) {
      // Ended before the end was sealed here (another instance, a crash in between): take it from the meeting.
      const end = await this.meetings.endOf(meetingId);
      if (end) return composeReceipt(meetingId, { ...facts, endedAt: end.at, endReason: end.reason });
    }
    return composeReceipt(meetingId, facts);
  }
}
