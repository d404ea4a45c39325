import { controlChannels, parseNodeEvent, type NodeEvent } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/AuditLog';
import { keys } from '../store/keys';
import type { MeetingLifetime } from './MeetingLifetime';
import type { MeetingNamespaceServer } from './MeetingNamespace';
import { roomOf } from './rooms';

export interface SfuEventRelayDeps {
  /** A subscriber connection (shared with the control client's replies). */
  subscriber: Redis;
  /** For claiming an event once among all instances. */
  redis: Redis;
  nsp: MeetingNamespaceServer;
  audit: AuditLog;
  lifetime: MeetingLifetime;
  log: Logger;
}

/** How long an event's claim is kept: far longer than pub/sub delivery takes. */
const CLAIM_MS = 60_000;

/**
 * Relays the SFU nodes' events. Every signaling instance receives every event.
 * - meeting re-created (its worker died) or closed at a drain deadline: the seats `rejoin`; each
 *   instance tells only its own sockets (`local`), so nothing is sent twice through the adapter;
 * - guard violation (something the meeting did not create reached its router; the node has closed
 *   the meeting): one instance, the first to claim the event, writes the `guard_violation` audit
 *   entry (reason = the violation kind) and then ends the meeting (`guard_violation`, seen by the
 *   seats as `closed_by_server`), so the privacy receipt sealed at the end counts the violation.
 */
export class SfuEventRelay {
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== controlChannels.events) return;
    const event = parseNodeEvent(message);
    if (event) void this.relay(event).catch((error: unknown) => this.deps.log.error({ err: error, event: event.type }, 'relaying an SFU event failed'));
  };

  constructor(private readonly deps: SfuEventRelayDeps) {}

  async start(): Promise<void> {
    this.deps.subscriber.on('message', this.onMessage);
    await this.deps.subscriber.subscribe(controlChannels.events);
  }

  async stop(): Promise<void> {
    this.deps.subscriber.off('message', this.onMessage);
    await this.deps.subscriber.unsubscribe(controlChannels.events);
  }

  private async relay(event: NodeEvent): Promise<void> {
    if (event.type === 'meetingRecreated') {
      this.rejoin(event.meetingId, 'media_server_restarted', event);
    } else if (event.type === 'meetingClosed' && event.reason === 'drain_deadline') {
      this.rejoin(event.meetingId, 'media_server_moved', event);
    } else if (event.type === 'guardViolation') {
      const { audit, lifetime, log } = this.deps;
      const claim = `${event.nodeId}:${event.at}:${event.violation}:${event.meetingId ?? '-'}`;
      if ((await this.deps.redis.set(keys.sfuEventClaim(claim), '1', 'PX', CLAIM_MS, 'NX')) !== 'OK') return;
      log.error({ meetingId: event.meetingId, nodeId: event.nodeId, violation: event.violation }, 'SFU guard violation');
      await audit.record({ type: 'guard_violation', meetingId: event.meetingId, reason: event.violation });
      if (event.meetingId) await lifetime.end(event.meetingId, 'guard_violation');
    }
  }

  private rejoin(meetingId: string, reason: 'media_server_restarted' | 'media_server_moved', event: NodeEvent): void {
    this.deps.nsp.local.to(roomOf(meetingId)).emit('rejoin', { reason });
    this.deps.log.info({ meetingId, event: event.type, nodeId: event.nodeId, reason }, 'told the seats to rejoin');
  }
}
