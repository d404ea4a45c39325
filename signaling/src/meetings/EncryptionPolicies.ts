import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/AuditLog';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { E2eePolicy } from '../protocol';
import type { MeetingRecord } from '../store/MeetingStore';
import { keys } from '../store/keys';

/**
 * End-to-end encryption policy per detention center. `required` (the default) everywhere unless an
 * admin turns it off for one center, e.g. while its kiosks run a browser without encoded transforms;
 * then both screens of that center's meetings show a standing warning and the receipt says "no".
 * A meeting's center is its booth kiosk's site.
 */
export class EncryptionPolicies {
  constructor(
    private readonly redis: Redis,
    private readonly credentials: DeviceCredentials,
    private readonly audit: AuditLog,
    private readonly fallback: E2eePolicy,
  ) {}

  get defaultPolicy(): E2eePolicy {
    return this.fallback;
  }

  async policyOfCenter(centerId: string | undefined): Promise<E2eePolicy> {
    if (!centerId) return this.fallback;
    const stored = await this.redis.hget(keys.e2eePolicies, centerId);
    return stored === 'required' || stored === 'off' ? stored : this.fallback;
  }

  async policyFor(meeting: MeetingRecord): Promise<E2eePolicy> {
    const booth = meeting.boothDeviceId ? await this.credentials.get(meeting.boothDeviceId) : undefined;
    return this.policyOfCenter(booth?.siteId);
  }

  /** Centers whose policy differs from the default. */
  async overrides(): Promise<Record<string, E2eePolicy>> {
    return (await this.redis.hgetall(keys.e2eePolicies)) as Record<string, E2eePolicy>;
  }

  async set(centerId: string, policy: E2eePolicy, by: string): Promise<void> {
    if (policy === this.fallback) await this.redis.hdel(keys.e2eePolicies, centerId);
    else await this.redis.hset(keys.e2eePolicies, centerId, policy);
    await this.audit.record({ type: 'e2ee_policy_changed', centerId, policy, by });
  }
}
