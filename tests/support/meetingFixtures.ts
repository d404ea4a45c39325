import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { BookingTokens } from '../../signaling/src/auth/BookingTokens';
import { KeyRing } from '../../signaling/src/auth/KeyRing';
import { MeetingStore, type MeetingRecord } from '../../signaling/src/store/MeetingStore';
import type { Platform } from '../../deploy/local/Platform';

export const issuer = 'huijian-signaling';
export const audience = 'huijian-meeting';

/** Direct access to the platform's Redis and signing keys, as an admin tool would have. */
export class MeetingFixtures {
  readonly redis: Redis;
  readonly store: MeetingStore;
  readonly keys: KeyRing;
  readonly tokens: BookingTokens;

  constructor(platform: Platform) {
    this.redis = new Redis(platform.redisUrl);
    this.store = new MeetingStore(this.redis);
    this.keys = KeyRing.load(join(platform.options.varDir, 'keys'), { autogenerate: false });
    this.tokens = new BookingTokens(this.keys, issuer, audience);
  }

  async meetingNow(meetingId = `m-${randomUUID().slice(0, 8)}`): Promise<MeetingRecord> {
    const startsAt = Date.now() - 60_000;
    const meeting: MeetingRecord = {
      meetingId,
      bookingId: `b-${meetingId}`,
      startsAt,
      endsAt: startsAt + 3600_000,
      lawyerName: 'Lawyer Test',
      detaineeName: 'Detainee Test',
      stationName: 'Station Test',
      centerName: 'Center Test',
      status: 'scheduled',
      lawyerCheckedIn: true,
      detaineeSeated: true,
    };
    await this.store.put(meeting);
    return meeting;
  }

  token(meeting: MeetingRecord, role: 'lawyer' | 'detainee', overrides: { notBefore?: number; expiresAt?: number } = {}): string {
    return this.tokens.issue({
      bookingId: meeting.bookingId,
      meetingId: meeting.meetingId,
      role,
      notBefore: overrides.notBefore ?? meeting.startsAt - 600_000,
      expiresAt: overrides.expiresAt ?? meeting.endsAt,
    });
  }

  /** A token with the right claims and key id, signed by a key the platform never issued. */
  forgedToken(meeting: MeetingRecord, role: 'lawyer' | 'detainee'): string {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign(
      { sub: meeting.bookingId, mid: meeting.meetingId, role, nbf: now - 60, exp: now + 3600, iat: now },
      privateKey,
      { algorithm: 'ES256', keyid: this.keys.activeKid, issuer, audience, jwtid: randomUUID() },
    );
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
