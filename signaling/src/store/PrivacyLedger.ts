import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { E2eePolicy, Role } from '../protocol';
import { keys } from './keys';

/** What the SFU holds for one seat. */
export const seatCensusSchema = z.object({ transports: z.number().int(), producers: z.number().int(), consumers: z.number().int() });
export type SeatCensus = z.infer<typeof seatCensusSchema>;
export const meetingCensusSchema = z.object({ lawyer: seatCensusSchema, detainee: seatCensusSchema });
export type MeetingCensus = z.infer<typeof meetingCensusSchema>;

/** The facts of one meeting's confidentiality, as recorded while it ran. */
export interface PrivacyFacts {
  policy: E2eePolicy | undefined;
  firstJoinAt: number | undefined;
  /** The key exchange in force (the last offer relayed) and how many ran. */
  exchangeId: string | undefined;
  exchanges: number;
  /** The exchange each seat last reported encrypting with. */
  active: Record<Role, string | undefined>;
  /** The exchange whose code the lawyer confirmed, or declared a mismatch. */
  confirmed: string | undefined;
  mismatch: string | undefined;
  /** A page reported a failed exchange. */
  failed: string | undefined;
  census: MeetingCensus | undefined;
  /** Largest count ever seen for any seat (a seat never has more than 2 transports). */
  peakTransportsPerSeat: number;
  endedAt: number | undefined;
  endReason: string | undefined;
  guardViolations: number;
  endpoints: string[];
}

/**
 * Per meeting, in Redis: the facts the privacy receipt is made of. Public keys of the exchange
 * in force are kept (the server stores and forwards public keys, nothing else of the exchange);
 * no private key or media key ever reaches the server. Kept for `retentionMs` after the last write.
 */
export class PrivacyLedger {
  constructor(
    private readonly redis: Redis,
    private readonly retentionMs: number,
  ) {}

  private async write(meetingId: string, fields: Record<string, string | number>): Promise<void> {
    const key = keys.meetingPrivacy(meetingId);
    await this.redis.multi().hset(key, fields).pexpire(key, this.retentionMs).exec();
  }

  async joined(meetingId: string, role: Role, deviceId: string, policy: E2eePolicy, at: number): Promise<void> {
    const key = keys.meetingPrivacy(meetingId);
    const endpoints = keys.meetingEndpoints(meetingId);
    await this.redis
      .multi()
      .hsetnx(key, 'firstJoinAt', String(at))
      .hset(key, 'policy', policy)
      .sadd(endpoints, `${role}:${deviceId}`)
      .pexpire(key, this.retentionMs)
      .pexpire(endpoints, this.retentionMs)
      .exec();
  }

  /** A new exchange began (the lawyer's offer): it replaces the one in force. */
  async exchangeOffered(meetingId: string, exchangeId: string): Promise<void> {
    const key = keys.meetingPrivacy(meetingId);
    await this.redis
      .multi()
      .hset(key, 'exchangeId', exchangeId)
      .hdel(key, 'lawyerKey', 'detaineeKey')
      .hincrby(key, 'exchanges', 1)
      .pexpire(key, this.retentionMs)
      .exec();
  }

  /** A seat's public key for the exchange in force (ignored for any other exchange). */
  async publicKey(meetingId: string, exchangeId: string, role: Role, publicKey: string): Promise<void> {
    if ((await this.redis.hget(keys.meetingPrivacy(meetingId), 'exchangeId')) !== exchangeId) return;
    await this.write(meetingId, { [`${role}Key`]: publicKey });
  }

  async active(meetingId: string, role: Role, exchangeId: string): Promise<void> {
    await this.write(meetingId, { [`active:${role}`]: exchangeId });
  }

  async failed(meetingId: string, exchangeId: string): Promise<void> {
    await this.write(meetingId, { failed: exchangeId });
  }

  async verdict(meetingId: string, exchangeId: string, match: boolean): Promise<void> {
    await this.write(meetingId, { [match ? 'confirmed' : 'mismatch']: exchangeId });
  }

  async census(meetingId: string, census: MeetingCensus): Promise<void> {
    const peak = Math.max(census.lawyer.transports, census.detainee.transports);
    const key = keys.meetingPrivacy(meetingId);
    const previous = Number((await this.redis.hget(key, 'peakTransportsPerSeat')) ?? 0);
    await this.write(meetingId, { census: JSON.stringify(census), peakTransportsPerSeat: Math.max(previous, peak) });
  }

  async ended(meetingId: string, at: number, reason: string, guardViolations: number): Promise<void> {
    await this.write(meetingId, { endedAt: at, endReason: reason, guardViolations });
  }

  async currentExchange(meetingId: string): Promise<string | undefined> {
    return (await this.redis.hget(keys.meetingPrivacy(meetingId), 'exchangeId')) ?? undefined;
  }

  async facts(meetingId: string): Promise<PrivacyFacts | undefined> {
    const [raw, endpoints] = await Promise.all([
      this.redis.hgetall(keys.meetingPrivacy(meetingId)),
      this.redis.smembers(keys.meetingEndpoints(meetingId)),
    ]);
    if (Object.keys(raw).length === 0) return undefined;
    const number = (name: string) => (raw[name] === undefined ? undefined : Number(raw[name]));
    const census = raw.census ? meetingCensusSchema.safeParse(JSON.parse(raw.census)) : undefined;
    return {
      policy: raw.policy === 'required' || raw.policy === 'off' ? raw.policy : undefined,
      firstJoinAt: number('firstJoinAt'),
      exchangeId: raw.exchangeId,
      exchanges: number('exchanges') ?? 0,
      active: { lawyer: raw['active:lawyer'], detainee: raw['active:detainee'] },
      confirmed: raw.confirmed,
      mismatch: raw.mismatch,
      failed: raw.failed,
      census: census?.success ? census.data : undefined,
      peakTransportsPerSeat: number('peakTransportsPerSeat') ?? 0,
      endedAt: number('endedAt'),
      endReason: raw.endReason,
      guardViolations: number('guardViolations') ?? 0,
      endpoints: endpoints.sort(),
    };
  }
}
