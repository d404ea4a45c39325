import type { Redis } from 'ioredis';
import { bookingKeys } from '../../store/bookingKeys';
import { noticeSchema, type Notice } from './Notice';

/** Consumer group of the outbox stream shared by every signaling instance. */
export const outboxGroup = 'senders';

/** The outbox: a Redis stream of notice ids, each notice a hash with its delivery state. */
export class NoticeOutbox {
  constructor(private readonly redis: Redis) {}

  async ensureGroup(): Promise<void> {
    try {
      // From the stream's start, so notices queued before the group existed are delivered too.
      await this.redis.xgroup('CREATE', bookingKeys.outbox, outboxGroup, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
    }
  }

  /** Queue a notice that belongs to no booking change (a reply to feedback). */
  async enqueue(bookingId: string, notice: { id: string; fields: string[] }, now: number): Promise<void> {
    await this.redis
      .multi()
      .hset(bookingKeys.notice(notice.id), ...notice.fields)
      .xadd(bookingKeys.outbox, '*', 'noticeId', notice.id)
      .rpush(bookingKeys.bookingNotices(bookingId), notice.id)
      .zadd(bookingKeys.noticesPending, String(now), notice.id)
      .exec();
  }

  async get(id: string): Promise<Notice | undefined> {
    const hash = await this.redis.hgetall(bookingKeys.notice(id));
    return hash.id ? noticeSchema.parse(hash) : undefined;
  }

  async getMany(ids: string[]): Promise<Notice[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(bookingKeys.notice(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, hash]) => hash as Record<string, string>).filter((hash) => hash.id).map((hash) => noticeSchema.parse(hash));
  }

  async delivered(id: string, at: number, attempts: number): Promise<void> {
    await this.redis
      .multi()
      .hset(bookingKeys.notice(id), 'status', 'delivered', 'deliveredAt', String(at), 'attempts', String(attempts))
      .hdel(bookingKeys.notice(id), 'nextAttemptAt')
      .zrem(bookingKeys.noticesPending, id)
      .exec();
  }

  async failed(id: string, attempts: number, error: string, nextAttemptAt: number): Promise<void> {
    await this.redis.hset(bookingKeys.notice(id), 'attempts', String(attempts), 'lastError', error.slice(0, 200), 'nextAttemptAt', String(nextAttemptAt));
  }

  /** Notices not yet delivered, oldest first (what ops need to see when the gateway is down). */
  async pending(limit: number): Promise<Notice[]> {
    return this.getMany(await this.redis.zrange(bookingKeys.noticesPending, '0', String(limit - 1)));
  }

  async pendingCount(): Promise<number> {
    return this.redis.zcard(bookingKeys.noticesPending);
  }
}
