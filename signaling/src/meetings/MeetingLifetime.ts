import type { ControlClient } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/AuditLog';
import type { ErrorCode, MeetingEndReason } from '../protocol';
import { SignalingError } from '../SignalingError';
import { keys } from '../store/keys';
import type { MeetingEnd, MeetingStore } from '../store/MeetingStore';
import type { Admission, MeetingGate } from './MeetingGate';
import type { MeetingNamespaceServer } from './MeetingNamespace';
import { deviceRoomOf, roomOf } from './rooms';
import { slotStep } from './slotSchedule';
import type { SlotExtension } from './SlotExtension';

export interface MeetingLifetimeDeps {
  meetings: MeetingStore;
  gate: MeetingGate;
  control: ControlClient;
  extension: SlotExtension;
  audit: AuditLog;
  redis: Redis;
  log: Logger;
  /** Seconds before the slot end at which seats are warned (default 300 and 60). */
  warningSeconds: readonly number[];
  /** How often a live meeting is re-checked against Redis (cancellation, revocation, reassignment). */
  recheckMs: number;
  /** Told once per meeting, by the instance that recorded its end (the privacy receipt is sealed there). */
  onEnded?: (meetingId: string, end: MeetingEnd) => Promise<void>;
}

interface Watch {
  timer: NodeJS.Timeout | undefined;
  /** Warnings sent, per slot end (an extension moves the end and re-arms them). */
  sent: Map<number, Set<number>>;
}

/** What a client is told when its connection is closed because a re-check failed. */
function endReasonOf(code: ErrorCode): MeetingEndReason {
  if (code === 'MEETING_ENDED') return 'slot_ended';
  if (code === 'MEETING_CANCELLED' || code === 'TOKEN_REVOKED' || code === 'DEVICE_NOT_ASSIGNED') return 'cancelled';
  return 'closed_by_server';
}

function clientReasonOf(end: MeetingEnd): MeetingEndReason {
  if (end.reason === 'slot_ended' || end.reason === 'cancelled' || end.reason === 'code_mismatch' || end.reason === 'key_exchange_failed') return end.reason;
  // The SFU's guard closed the meeting (something it did not create reached the router).
  if (end.reason === 'guard_violation') return 'closed_by_server';
  return 'ended_by_peer';
}

/**
 * A meeting's life in time, enforced by the server whatever the clients do. Every instance that
 * serves a seat of a meeting watches it: it warns its own sockets before the slot ends, ends the
 * meeting at the slot end (the first instance to record the end closes the SFU meeting and audits
 * it; every instance closes its own sockets), re-checks its live sockets against Redis
 * periodically and when a device's assignment or credential changes, and carries out early ends
 * and extensions.
 */
export class MeetingLifetime {
  private readonly watches = new Map<string, Watch>();
  private nsp: MeetingNamespaceServer | undefined;
  private stopped = false;

  constructor(private readonly deps: MeetingLifetimeDeps) {}

  attach(nsp: MeetingNamespaceServer): void {
    this.nsp = nsp;
  }

  /** Start watching a meeting this instance serves (idempotent); looks at it at once. */
  watch(meetingId: string): void {
    if (this.stopped || this.watches.has(meetingId)) return;
    this.watches.set(meetingId, { timer: undefined, sent: new Map() });
    this.schedule(meetingId, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const watch of this.watches.values()) clearTimeout(watch.timer);
    this.watches.clear();
  }

  /**
   * End the meeting for both seats. The first caller (on any instance) records the end, closes
   * the SFU meeting, audits and tells every seat in the room; later callers only close their own
   * sockets.
   */
  async end(meetingId: string, reason: MeetingEnd['reason']): Promise<void> {
    const { meetings, control, audit, log } = this.deps;
    const end: MeetingEnd = { reason, at: Date.now() };
    const won = await meetings.markEnded(meetingId, end);
    this.unwatch(meetingId);
    const nsp = this.namespace();
    if (!won) {
      const recorded = (await meetings.endOf(meetingId)) ?? end;
      this.closeLocal(meetingId, clientReasonOf(recorded));
      return;
    }
    const nodeId = await meetings.placement(meetingId);
    if (nodeId) {
      await control.call(nodeId, 'closeMeeting', { meetingId, reason }).catch((error: unknown) => {
        log.warn({ err: error, meetingId, nodeId }, 'closing the SFU meeting failed');
      });
    }
    await audit.record({ type: 'ended', meetingId, reason });
    await this.deps.onEnded?.(meetingId, end);
    log.info({ meetingId, reason }, 'meeting ended');
    nsp.to(roomOf(meetingId)).emit('meetingEnded', { reason: clientReasonOf(end) });
    nsp.in(roomOf(meetingId)).disconnectSockets(true);
  }

  /** The lawyer's extend: one at a time per meeting, decided by the SlotExtension. */
  async extend(meetingId: string): Promise<{ endsAt: number }> {
    const { redis, extension, audit } = this.deps;
    const lock = await redis.set(keys.meetingExtending(meetingId), '1', 'PX', 10_000, 'NX');
    if (lock !== 'OK') throw new SignalingError('CONFLICT', 'an extension of this meeting is already being decided');
    try {
      const decision = await extension.extend(meetingId);
      if (!decision.allowed) {
        await audit.record({ type: 'extension_refused', meetingId, reason: decision.reason });
        throw new SignalingError('EXTENSION_REFUSED', decision.message, { reason: decision.reason });
      }
      await audit.record({ type: 'extended', meetingId, endsAt: decision.endsAt });
      this.namespace().to(roomOf(meetingId)).emit('slotExtended', { endsAt: decision.endsAt });
      if (this.watches.has(meetingId)) this.schedule(meetingId, 0);
      return { endsAt: decision.endsAt };
    } finally {
      await redis.del(keys.meetingExtending(meetingId));
    }
  }

  /** A device's assignment or credential changed: re-check this instance's sockets of that device now. */
  async recheckDevice(deviceId: string): Promise<void> {
    const sockets = await this.namespace().local.in(deviceRoomOf(deviceId)).fetchSockets();
    await Promise.all(sockets.map((socket) => this.recheckSocket(socket.id, socket.data.admission)));
  }

  private async recheckSocket(socketId: string, admission: Admission | undefined): Promise<void> {
    if (!admission) return;
    try {
      await this.deps.gate.recheck(admission);
    } catch (error) {
      if (!(error instanceof SignalingError)) {
        this.deps.log.warn({ err: error, meetingId: admission.meetingId }, 're-checking a live seat failed');
        return;
      }
      if (error.code === 'MEETING_CANCELLED') return this.end(admission.meetingId, 'cancelled');
      if (error.code === 'MEETING_ENDED') return this.end(admission.meetingId, 'slot_ended');
      const { meetingId, role, deviceId, tokenId } = admission;
      await this.deps.audit.record({ type: 'revoked_live', code: error.code, meetingId, role, deviceId, tokenId });
      this.deps.log.info({ meetingId, role, code: error.code }, 'live seat no longer admissible; closing it');
      const target = this.namespace().local.to(socketId);
      target.emit('meetingEnded', { reason: endReasonOf(error.code) });
      this.namespace().local.in(socketId).disconnectSockets(true);
    }
  }

  private schedule(meetingId: string, delayMs: number): void {
    const watch = this.watches.get(meetingId);
    if (!watch) return;
    clearTimeout(watch.timer);
    watch.timer = setTimeout(() => {
      this.tick(meetingId).catch((error: unknown) => {
        this.deps.log.error({ err: error, meetingId }, 'meeting clock failed; retrying');
        this.schedule(meetingId, Math.min(this.deps.recheckMs, 5000));
      });
    }, Math.max(0, delayMs));
  }

  private async tick(meetingId: string): Promise<void> {
    const watch = this.watches.get(meetingId);
    if (!watch) return;
    const { meetings } = this.deps;
    const [meeting, ended] = await Promise.all([meetings.get(meetingId), meetings.endOf(meetingId)]);
    if (ended) {
      this.unwatch(meetingId);
      this.closeLocal(meetingId, clientReasonOf(ended));
      return;
    }
    if (!meeting) {
      this.unwatch(meetingId);
      this.closeLocal(meetingId, 'closed_by_server');
      return;
    }
    if (meeting.status === 'cancelled') return this.end(meetingId, 'cancelled');
    if (meeting.status === 'ended') return this.end(meetingId, 'slot_ended');
    const now = Date.now();
    let sent = watch.sent.get(meeting.endsAt);
    if (!sent) watch.sent.set(meeting.endsAt, (sent = new Set()));
    const step = slotStep(now, meeting.endsAt, this.deps.warningSeconds, sent, this.deps.recheckMs);
    if (step.ended) return this.end(meetingId, 'slot_ended');
    if (step.dueWarnings.length > 0) {
      for (const warning of step.dueWarnings) sent.add(warning);
      await this.warn(meetingId, meeting.endsAt, Math.round((meeting.endsAt - now) / 1000));
    }
    const sockets = await this.namespace().local.in(roomOf(meetingId)).fetchSockets();
    await Promise.all(sockets.map((socket) => this.recheckSocket(socket.id, socket.data.admission)));
    if (this.watches.has(meetingId)) this.schedule(meetingId, step.nextAt - Date.now());
  }

  private async warn(meetingId: string, endsAt: number, secondsLeft: number): Promise<void> {
    const sockets = await this.namespace().local.in(roomOf(meetingId)).fetchSockets();
    if (sockets.length === 0) return;
    this.namespace().local.to(roomOf(meetingId)).emit('slotWarning', { endsAt, secondsLeft });
    for (const socket of sockets) {
      const admission = socket.data.admission;
      await this.deps.audit.record({ type: 'slot_warning', meetingId, role: admission?.role, deviceId: admission?.deviceId, secondsLeft, endsAt });
    }
  }

  private closeLocal(meetingId: string, reason: MeetingEndReason): void {
    const local = this.namespace().local;
    local.to(roomOf(meetingId)).emit('meetingEnded', { reason });
    local.in(roomOf(meetingId)).disconnectSockets(true);
  }

  private unwatch(meetingId: string): void {
    clearTimeout(this.watches.get(meetingId)?.timer);
    this.watches.delete(meetingId);
  }

  private namespace(): MeetingNamespaceServer {
    if (!this.nsp) throw new Error('MeetingLifetime used before its namespace was attached');
    return this.nsp;
  }
}
