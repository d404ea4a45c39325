import type { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { keys } from '../store/keys';

/**
 * Booking tokens withdrawn before they expire (booking cancelled, seat reassigned), by `jti`.
 * An entry lives exactly as long as the token would have, so the list never grows stale.
 */
export class TokenRevocations {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async revoke(tokenId: string, expiresAt: number): Promise<void> {
    if (expiresAt <= this.now()) return;
    await this.redis.set(keys.revokedToken(tokenId), '1', 'PXAT', expiresAt);
  }

  /** Revoke a token this service issued, read without verifying (we only need its id and expiry). */
  async revokeToken(token: string): Promise<void> {
    const payload = jwt.decode(token, { json: true });
    if (typeof payload?.jti === 'string' && typeof payload.exp === 'number') await this.revoke(payload.jti, payload.exp * 1000);
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    return (await this.redis.exists(keys.revokedToken(tokenId))) === 1;
  }
}
