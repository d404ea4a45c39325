import type { Redis } from 'ioredis';
import { z } from 'zod';
import { SignalingError } from '../SignalingError';
import { bookingKeys } from '../store/bookingKeys';
import type { Actor } from './Booking';
import { bookingAccess } from './BookingAccess';
import type { BookingContext } from './BookingContext';
import type { BookingDesk } from './BookingDesk';
import type { NoticeOutbox } from './notices/NoticeOutbox';

export const feedbackSchema = z.object({
  bookingId: z.string(),
  lawyerId: z.string(),
  stationId: z.string(),
  centerId: z.string(),
  /** 1 (poor) … 5 (excellent). */
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(1000).optional(),
  suggestion: z.string().max(1000).optional(),
  /** Left by the lawyer online, or recorded by staff during the follow-up call. */
  channel: z.enum(['online', 'phone']),
  recordedBy: z.string(),
  createdAt: z.number().int(),
  /** open: a suggestion waits for an answer; noted: nothing to answer; resolved: answered. */
  status: z.enum(['open', 'noted', 'resolved']),
  resolution: z
    .object({ actionTaken: z.string().max(1000), reply: z.string().max(1000), by: z.string(), byName: z.string(), at: z.number().int() })
    .optional(),
});

export type Feedback = z.infer<typeof feedbackSchema>;

export interface FeedbackInput {
  rating: number;
  comment?: string | undefined;
  suggestion?: string | undefined;
}

/**
 * Follow-up (回访): after a meeting the lawyer rates it and may suggest something; staff record
 * what was done and reply; the lawyer sees the reply (and gets it as a notice).
 */
export class FollowUps {
  constructor(
    private readonly ctx: BookingContext,
    private readonly redis: Redis,
    private readonly desk: BookingDesk,
    private readonly outbox: NoticeOutbox,
  ) {}

  async submit(actor: Actor, bookingId: string, input: FeedbackInput): Promise<Feedback> {
    const booking = await this.desk.get(actor, bookingId);
    if (booking.status !== 'completed') throw new SignalingError('BOOKING_STATE_CONFLICT', 'Feedback opens once the meeting has taken place.', { status: booking.status });
    const channel = actor.role === 'lawyer' ? 'online' : 'phone';
    if (channel === 'phone' && actor.role !== 'admin' && actor.role !== 'station_officer' && actor.role !== 'detention_officer') {
      throw new SignalingError('FORBIDDEN', 'your role may not record feedback');
    }
    const suggestion = input.suggestion?.trim() || undefined;
    const feedback: Feedback = {
      bookingId,
      lawyerId: booking.lawyerId,
      stationId: booking.stationId,
      centerId: booking.centerId,
      rating: input.rating,
      ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}),
      ...(suggestion ? { suggestion } : {}),
      channel,
      recordedBy: actor.username,
      createdAt: this.ctx.now(),
      status: suggestion ? 'open' : 'noted',
    };
    const written = await this.redis.set(bookingKeys.feedback(bookingId), JSON.stringify(feedback), 'NX');
    if (written !== 'OK') throw new SignalingError('CONFLICT', 'Feedback for this meeting has already been given.');
    const index = this.redis.multi().zadd(bookingKeys.feedbackAll, feedback.createdAt, bookingId);
    if (feedback.status === 'open') index.zadd(bookingKeys.feedbackOpen, feedback.createdAt, bookingId);
    await index.exec();
    return feedback;
  }

  async get(actor: Actor, bookingId: string): Promise<Feedback> {
    await this.desk.get(actor, bookingId);
    const feedback = await this.load(bookingId);
    if (!feedback) throw new SignalingError('NOT_FOUND', 'No feedback has been given for this meeting yet.');
    return feedback;
  }

  /** Feedback the actor may see, newest first; `open` lists suggestions still waiting for an answer. */
  async list(actor: Actor, status: 'open' | 'all', limit: number): Promise<Feedback[]> {
    const ids = await this.redis.zrevrange(status === 'open' ? bookingKeys.feedbackOpen : bookingKeys.feedbackAll, 0, 4999);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => bookingKeys.feedback(id)));
    return raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => feedbackSchema.parse(JSON.parse(raw)))
      .filter((f) => bookingAccess.canSee(actor, f))
      .slice(0, limit);
  }

  async resolve(actor: Actor, bookingId: string, input: { actionTaken: string; reply: string }): Promise<Feedback> {
    if (actor.role !== 'admin' && actor.role !== 'station_officer' && actor.role !== 'detention_officer') {
      throw new SignalingError('FORBIDDEN', 'Only staff answer feedback.');
    }
    const booking = await this.desk.get(actor, bookingId);
    const feedback = await this.load(bookingId);
    if (!feedback) throw new SignalingError('NOT_FOUND', 'No feedback has been given for this meeting yet.');
    const now = this.ctx.now();
    const resolved: Feedback = {
      ...feedback,
      status: 'resolved',
      resolution: { actionTaken: input.actionTaken.trim(), reply: input.reply.trim(), by: actor.username, byName: actor.name, at: now },
    };
    await this.redis.multi().set(bookingKeys.feedback(bookingId), JSON.stringify(resolved)).zrem(bookingKeys.feedbackOpen, bookingId).exec();
    await this.outbox.enqueue(bookingId, await this.ctx.notices.compose('feedback_reply', booking, now, resolved.resolution!.reply), now);
    return resolved;
  }

  /** Completed meetings without feedback yet: whom to phone back. */
  async awaiting(actor: Actor, from: number, to: number): Promise<{ bookingId: string; lawyerId: string; startsAt: number; stationId: string; centerId: string }[]> {
    const completed = await this.desk.list(actor, { from, to, status: 'completed' });
    if (completed.length === 0) return [];
    const given = await this.redis.mget(completed.map((b) => bookingKeys.feedback(b.id)));
    return completed
      .filter((_, i) => given[i] === null)
      .map((b) => ({ bookingId: b.id, lawyerId: b.lawyerId, startsAt: b.startsAt, stationId: b.stationId, centerId: b.centerId }));
  }

  private async load(bookingId: string): Promise<Feedback | undefined> {
    const raw = await this.redis.get(bookingKeys.feedback(bookingId));
    return raw ? feedbackSchema.parse(JSON.parse(raw)) : undefined;
  }
}
