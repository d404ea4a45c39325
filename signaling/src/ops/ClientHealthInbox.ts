import type { Seat } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import { clientHealthSchema } from '../protocol/clientHealth';
import { opsKeys } from './opsKeys';
import type { RelayedClientHealth } from './OpsFeed';
import type { SignalingMetrics } from './signalingMetrics';

/** Shortest gap between two accepted reports of one seat: a client cannot flood the feed. */
const minGapMs = 1000;

/**
 * Takes a seat's `healthReport` on the instance that holds the seat: validates it (numbers only,
 * strict), observes the first-frame time once, and relays it to every instance's ops feed.
 */
export class ClientHealthInbox {
  private readonly lastAccepted = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly metrics: SignalingMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  /** False when the report was refused (malformed or too soon). */
  async accept(meetingId: string, role: Seat, payload: unknown): Promise<boolean> {
    const parsed = clientHealthSchema.safeParse(payload);
    const key = `${meetingId}:${role}`;
    const now = this.now();
    const last = this.lastAccepted.get(key);
    if (!parsed.success || (last !== undefined && now - last < minGapMs)) {
      this.metrics.clientReports.inc({ outcome: 'refused' });
      return false;
    }
    this.lastAccepted.set(key, now);
    if (this.lastAccepted.size > 10_000) this.lastAccepted.delete(this.lastAccepted.keys().next().value!);
    this.metrics.clientReports.inc({ outcome: 'accepted' });
    if (parsed.data.firstFrameMs !== undefined) this.metrics.firstFrame.observe({ role }, parsed.data.firstFrameMs / 1000);
    const relayed: RelayedClientHealth = { meetingId, role, at: now, report: parsed.data };
    await this.redis.publish(opsKeys.clientHealth, JSON.stringify(relayed));
    return true;
  }

  /** The seat left: its next report is accepted at once. */
  forget(meetingId: string, role: Seat): void {
    this.lastAccepted.delete(`${meetingId}:${role}`);
  }
}
