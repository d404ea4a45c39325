import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { bookingKeys } from '../../store/bookingKeys';
import { outboxGroup, type NoticeOutbox } from './NoticeOutbox';
import type { NoticeSender } from './NoticeSender';

export interface DispatcherOptions {
  /** This instance's name in the consumer group. */
  consumer: string;
  /** First retry after this long; doubles per failure up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a read blocks waiting for new notices. */
  blockMs?: number;
}

type StreamReply = [string, [string, string[]][]][] | null;

/**
 * Delivers the outbox: new notices at once, failed ones again with exponential backoff, and
 * notices another instance claimed but never confirmed (it died). A notice leaves the outbox
 * only when the sender confirmed it, so a sender that is down loses nothing.
 */
export class NoticeDispatcher {
  private connection: Redis | undefined;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly outbox: NoticeOutbox,
    private readonly sender: NoticeSender,
    private readonly options: DispatcherOptions,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.outbox.ensureGroup();
    // Blocking reads need a connection of their own.
    this.connection = this.redis.duplicate();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.connection?.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.retryDue();
        await this.readNew();
      } catch (error) {
        if (!this.running) break;
        this.log.warn({ err: error }, 'notice outbox unavailable; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async readNew(): Promise<void> {
    const reply = (await this.connection!.xreadgroup(
      'GROUP',
      outboxGroup,
      this.options.consumer,
      'COUNT',
      20,
      'BLOCK',
      this.options.blockMs ?? 1000,
      'STREAMS',
      bookingKeys.outbox,
      '>',
    )) as StreamReply;
    for (const [entryId, fields] of reply?.[0]?.[1] ?? []) await this.deliver(entryId, fields);
  }

  /** Claim entries idle for a retry period (failed here, or left by a dead instance) and retry those due. */
  private async retryDue(): Promise<void> {
    const [, entries] = (await this.connection!.xautoclaim(bookingKeys.outbox, outboxGroup, this.options.consumer, this.options.retryBaseMs, '0-0', 'COUNT', 50)) as [
      string,
      [string, string[]][],
    ];
    for (const [entryId, fields] of entries) await this.deliver(entryId, fields);
  }

  private async deliver(entryId: string, fields: string[] | null): Promise<void> {
    const noticeId = fields?.[fields.indexOf('noticeId') + 1];
    const notice = noticeId ? await this.outbox.get(noticeId) : undefined;
    if (!notice || notice.status === 'delivered') return this.done(entryId);
    if (notice.nextAttemptAt !== undefined && notice.nextAttemptAt > this.now()) return;
    const attempts = notice.attempts + 1;
    try {
      await this.sender.send(notice);
    } catch (error) {
      const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempts - 1));
      const message = error instanceof Error ? error.message : String(error);
      await this.outbox.failed(notice.id, attempts, message, this.now() + delay);
      this.log.warn({ noticeId: notice.id, bookingId: notice.bookingId, attempts, retryInMs: delay, sender: this.sender.name, error: message }, 'notice not delivered');
      return;
    }
    await this.outbox.delivered(notice.id, this.now(), attempts);
    await this.done(entryId);
  }

  private async done(entryId: string): Promise<void> {
    await this.redis.multi().xack(bookingKeys.outbox, outboxGroup, entryId).xdel(bookingKeys.outbox, entryId).exec();
  }
}
