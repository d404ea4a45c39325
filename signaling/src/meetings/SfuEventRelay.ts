import { controlChannels, parseNodeEvent, type NodeEvent } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MeetingNamespaceServer } from './MeetingNamespace';
import { roomOf } from './rooms';

/**
 * Relays the SFU nodes' events to the seats they concern. Every signaling instance receives every
 * event and tells only its own sockets (`local`), so nothing is sent twice through the adapter.
 * - meeting re-created (its worker died) or closed at a drain deadline: the seats `rejoin`;
 * - meeting closed by the guard: the meeting ends for both seats (`closed_by_server`).
 */
export class SfuEventRelay {
  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== controlChannels.events) return;
    const event = parseNodeEvent(message);
    if (event) this.relay(event);
  };

  constructor(
    private readonly subscriber: Redis,
    private readonly nsp: MeetingNamespaceServer,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(controlChannels.events);
  }

  async stop(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    await this.subscriber.unsubscribe(controlChannels.events);
  }

  private relay(event: NodeEvent): void {
    if (event.type === 'meetingRecreated') {
      this.tell(event.meetingId, 'rejoin', 'media_server_restarted', event);
    } else if (event.type === 'meetingClosed' && event.reason === 'drain_deadline') {
      this.tell(event.meetingId, 'rejoin', 'media_server_moved', event);
    } else if (event.type === 'meetingClosed' && event.reason === 'guard_violation') {
      this.tell(event.meetingId, 'meetingEnded', 'closed_by_server', event);
    }
  }

  private tell(meetingId: string, what: 'rejoin' | 'meetingEnded', reason: string, event: NodeEvent): void {
    const room = this.nsp.local.to(roomOf(meetingId));
    if (what === 'rejoin') room.emit('rejoin', { reason: reason as 'media_server_restarted' | 'media_server_moved' });
    else room.emit('meetingEnded', { reason: 'closed_by_server' });
    this.log.info({ meetingId, event: event.type, nodeId: event.nodeId, told: what, reason }, 'relayed an SFU event to the seats');
  }
}
