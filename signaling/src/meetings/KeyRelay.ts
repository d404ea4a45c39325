import type { ControlClient } from '@huijian/sfu-server/control';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { AuditLog } from '../audit/AuditLog';
import type { E2eeMessage, E2eePolicy, E2eeStatus, MeetingClientEvents, MeetingServerEvents, Role } from '../protocol';
import { SignalingError } from '../SignalingError';
import type { MeetingEnd } from '../store/MeetingStore';
import type { PrivacyLedger } from '../store/PrivacyLedger';
import type { ConfidentialityAlarm } from './ConfidentialityAlarm';
import type { EncryptionPolicies } from './EncryptionPolicies';
import type { Admission } from './MeetingGate';
import { roomOf } from './rooms';

export interface KeyRelayDeps {
  ledger: PrivacyLedger;
  policies: EncryptionPolicies;
  audit: AuditLog;
  alarm: ConfidentialityAlarm;
  control: ControlClient;
  /** Ends the meeting for both seats (MeetingLifetime.end). */
  endMeeting: (meetingId: string, reason: MeetingEnd['reason']) => Promise<void>;
  log: Logger;
}

/** What the relay needs of one admitted seat connection. */
export interface RelaySeat {
  socket: Socket<MeetingClientEvents, MeetingServerEvents>;
  admission: Admission;
  joined(): boolean;
  /** The SFU node of the meeting, once joined. */
  nodeId(): string | undefined;
}

/** Which seat sends which key-exchange message: the lawyer's page initiates and reveals. */
const senderOf: Record<E2eeMessage['type'], Role> = { offer: 'lawyer', answer: 'detainee', reveal: 'lawyer' };

/**
 * The public-key relay and the confidentiality facts of a meeting. Signaling passes the key
 * exchange between the two seats unchanged (it sees public keys, commitments and exchange ids;
 * it could not derive a media key from them), records what the privacy receipt needs, takes the
 * lawyer's verdict on the spoken code, and ends the meeting with an alarm when a check fails.
 */
export class KeyRelay {
  constructor(private readonly deps: KeyRelayDeps) {}

  /** A seat took its seat: remember the terminal, audit who joined from which device, and say the policy. */
  async seatJoined(admission: Admission): Promise<E2eePolicy> {
    const { meetingId, role, deviceId } = admission;
    const policy = await this.deps.policies.policyFor(admission.meeting);
    await this.deps.ledger.joined(meetingId, role, deviceId, policy, Date.now());
    await this.deps.audit.record({ type: 'joined', meetingId, role, deviceId, tokenId: admission.tokenId, policy });
    return policy;
  }

  /** The handlers of one seat's confidentiality events. */
  forSeat(seat: RelaySeat) {
    return {
      message: (message: E2eeMessage) => this.relay(seat, message),
      status: (status: E2eeStatus) => this.status(seat, status),
      confirmCode: (verdict: { exchangeId: string; match: boolean }) => this.confirmCode(seat, verdict),
    };
  }

  /**
   * Pass one key-exchange message to the other seat of the meeting, unchanged. (The end-to-end
   * tests replace exactly this step, in a test-only preload, to play a signaling server that
   * swaps the keys.)
   */
  protected deliver(seat: RelaySeat, message: E2eeMessage): void {
    seat.socket.to(roomOf(seat.admission.meetingId)).emit('e2eeMessage', message);
  }

  private async relay(seat: RelaySeat, message: E2eeMessage): Promise<{ relayed: true }> {
    const { meetingId, role } = this.joinedSeat(seat);
    if (senderOf[message.type] !== role) throw new SignalingError('FORBIDDEN', `the ${role} seat does not send ${message.type} messages`);
    const { ledger } = this.deps;
    if (message.type === 'offer') await ledger.exchangeOffered(meetingId, message.exchangeId);
    else await ledger.publicKey(meetingId, message.exchangeId, role, message.publicKey);
    this.deliver(seat, message);
    return { relayed: true };
  }

  private async status(seat: RelaySeat, status: E2eeStatus): Promise<{ recorded: true }> {
    const { meetingId, role, deviceId } = this.joinedSeat(seat);
    const { ledger, audit, alarm, log } = this.deps;
    if (status.state === 'active') {
      await ledger.active(meetingId, role, status.exchangeId);
      await audit.record({ type: 'e2ee_active', meetingId, role, deviceId, exchangeId: status.exchangeId, e2ee: true });
      await this.takeCensus(seat);
    } else if (status.state === 'unavailable') {
      await audit.record({ type: 'e2ee_unavailable', meetingId, role, deviceId, e2ee: false });
      log.warn({ meetingId, role, deviceId }, 'a terminal cannot encrypt end to end; it starts no media');
    } else {
      await ledger.failed(meetingId, status.exchangeId);
      await audit.record({ type: 'e2ee_failed', meetingId, role, deviceId, exchangeId: status.exchangeId, reason: status.reason });
      await alarm.raise('e2ee_key_exchange_failed', meetingId);
      this.endAfterReply(meetingId, 'key_exchange_failed');
    }
    return { recorded: true };
  }

  private async confirmCode(seat: RelaySeat, verdict: { exchangeId: string; match: boolean }): Promise<{ confirmed: boolean }> {
    const { meetingId, role, deviceId } = this.joinedSeat(seat);
    if (role !== 'lawyer') throw new SignalingError('FORBIDDEN', 'only the lawyer confirms the short code');
    const { ledger, audit, alarm } = this.deps;
    const current = await ledger.currentExchange(meetingId);
    if (verdict.exchangeId !== current) {
      throw new SignalingError('CONFLICT', 'this code belongs to an earlier key exchange; compare the code now on the screen');
    }
    await ledger.verdict(meetingId, verdict.exchangeId, verdict.match);
    if (!verdict.match) {
      await audit.record({ type: 'code_mismatch', meetingId, role, deviceId, exchangeId: verdict.exchangeId, codeConfirmed: false });
      await alarm.raise('e2ee_code_mismatch', meetingId);
      this.endAfterReply(meetingId, 'code_mismatch');
      return { confirmed: false };
    }
    await audit.record({ type: 'code_confirmed', meetingId, role, deviceId, exchangeId: verdict.exchangeId, codeConfirmed: true });
    seat.socket.to(roomOf(meetingId)).emit('codeConfirmed', { exchangeId: verdict.exchangeId });
    await this.takeCensus(seat);
    return { confirmed: true };
  }

  /** Count what the SFU holds for each seat: metadata for the audit and the receipt. */
  private async takeCensus(seat: RelaySeat): Promise<void> {
    const nodeId = seat.nodeId();
    const { meetingId } = seat.admission;
    if (!nodeId) return;
    try {
      const census = await this.deps.control.call(nodeId, 'census', { meetingId });
      await this.deps.ledger.census(meetingId, census);
      for (const role of ['lawyer', 'detainee'] as const) {
        await this.deps.audit.record({ type: 'media_census', meetingId, role, ...census[role] });
      }
    } catch (error) {
      this.deps.log.warn({ err: error, meetingId }, 'media census failed');
    }
  }

  /** End the meeting once the current reply is on its way (the end closes this connection too). */
  private endAfterReply(meetingId: string, reason: MeetingEnd['reason']): void {
    setImmediate(() => {
      this.deps.endMeeting(meetingId, reason).catch((error: unknown) => this.deps.log.error({ err: error, meetingId, reason }, 'ending the meeting failed'));
    });
  }

  private joinedSeat(seat: RelaySeat): Admission {
    if (!seat.joined()) throw new SignalingError('NOT_JOINED', 'join the meeting first');
    return seat.admission;
  }
}
