import type { NodeDirectory } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MeetingStore } from '../store/MeetingStore';
import type { MeetingNamespaceServer } from './MeetingNamespace';
import { roomOf } from './rooms';

const meetingRoomPrefix = roomOf('');

/**
 * Notices an SFU node that died without a word (killed, host lost) and sends the seats of its
 * meetings to another node: each signaling instance tells its own sockets `rejoin`, and their
 * join places the meeting afresh (`SfuPlacement`).
 *
 * A node is lost when it stops listening on its request channel (Redis drops a dead process's
 * subscriptions as its connection closes) on two polls in a row. A node that leaves on purpose
 * (drain) removes itself from the registry first and is not counted. While this instance's own
 * Redis connection is down, and for `settleMs` after it returns, nothing is judged: after a
 * Redis restart the nodes need a moment to subscribe again.
 */
export class SfuNodeWatch {
  private timer: NodeJS.Timeout | undefined;
  private listening = new Set<string>();
  private silent = new Set<string>();
  private judgeAfter = 0;
  private polling = false;

  constructor(
    private readonly redis: Redis,
    private readonly nodes: NodeDirectory,
    private readonly meetings: MeetingStore,
    private readonly nsp: MeetingNamespaceServer,
    private readonly log: Logger,
    private readonly options: { intervalMs: number; settleMs: number },
  ) {}

  start(): void {
    this.redis.on('ready', this.onReconnect);
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.redis.off('ready', this.onReconnect);
  }

  private readonly onReconnect = () => {
    this.judgeAfter = Date.now() + this.options.settleMs;
    this.silent.clear();
  };

  private async poll(): Promise<void> {
    if (this.polling || this.redis.status !== 'ready') return;
    this.polling = true;
    try {
      const registered = await this.nodes.registeredNodes();
      const listening = await this.nodes.listening(registered);
      const judging = Date.now() >= this.judgeAfter;
      for (const nodeId of registered) {
        if (listening.has(nodeId)) {
          this.silent.delete(nodeId);
          this.listening.add(nodeId);
        } else if (judging && this.listening.has(nodeId)) {
          if (this.silent.has(nodeId)) await this.lost(nodeId);
          else this.silent.add(nodeId);
        }
      }
      for (const nodeId of this.listening) if (!registered.includes(nodeId)) this.listening.delete(nodeId);
    } catch (error) {
      this.log.debug({ err: error }, 'SFU node watch poll failed (Redis unavailable?)');
    } finally {
      this.polling = false;
    }
  }

  private async lost(nodeId: string): Promise<void> {
    this.listening.delete(nodeId);
    this.silent.delete(nodeId);
    const meetingIds = [...this.nsp.adapter.rooms.keys()].filter((room) => room.startsWith(meetingRoomPrefix)).map((room) => room.slice(meetingRoomPrefix.length));
    let moved = 0;
    for (const meetingId of meetingIds) {
      if ((await this.meetings.placement(meetingId)) !== nodeId) continue;
      this.nsp.local.to(roomOf(meetingId)).emit('rejoin', { reason: 'media_server_moved' });
      moved++;
    }
    this.log.warn({ nodeId, meetingsMoved: moved }, 'SFU node lost (no longer listening); its seats here rejoin elsewhere');
  }
}
