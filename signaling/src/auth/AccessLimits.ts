import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { SignalingError } from '../SignalingError';
import { keys } from '../store/keys';

export interface AccessLimitsConfig {
  /** Failed authentications (bad credential, token or password) allowed per IP in the window… */
  failedAuthPerIp: number;
  failedAuthWindowSeconds: number;
  /** …after which the IP is refused for this long. */
  failedAuthBlockSeconds: number;
  /** Failed joins allowed per authenticated device in the same window (then blocked as above). */
  failedAuthPerDevice: number;
  /** Connection attempts per IP (all of a site's terminals may share one address). */
  attemptsPerIp: number;
  /** Join attempts (handshakes and `join` events) per device. */
  joinsPerDevice: number;
  /** Window of the two attempt rates. */
  attemptWindowSeconds: number;
}

/** A refusal for going over a limit; `crossed` marks the one attempt that went over (audit it once). */
export class RateLimitedError extends SignalingError {
  constructor(
    message: string,
    readonly crossed: boolean,
  ) {
    super('RATE_LIMITED', message);
  }
}

const tooMany = (res: RateLimiterRes, what: string, crossed: boolean) =>
  new RateLimitedError(`too many ${what}; try again in ${Math.max(1, Math.ceil(res.msBeforeNext / 1000))} s`, crossed);

/**
 * Abuse limits over Redis (rate-limiter-flexible), shared by every signaling instance: attempts
 * and failed authentications per IP, joins and failed joins per device. A device is only
 * charged for failures after it proved its credential, so nobody can lock a terminal out by
 * sending bad credentials in its name.
 */
export class AccessLimits {
  private readonly failedByIp: RateLimiterRedis;
  private readonly failedByDevice: RateLimiterRedis;
  private readonly attemptsByIp: RateLimiterRedis;
  private readonly joinsByDevice: RateLimiterRedis;

  constructor(redis: Redis, private readonly config: AccessLimitsConfig) {
    const limiter = (name: string, points: number, duration: number, blockDuration = 0) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${keys.rateLimit}:${name}`, points, duration, blockDuration });
    this.failedByIp = limiter('fail-ip', config.failedAuthPerIp, config.failedAuthWindowSeconds, config.failedAuthBlockSeconds);
    this.failedByDevice = limiter('fail-dev', config.failedAuthPerDevice, config.failedAuthWindowSeconds, config.failedAuthBlockSeconds);
    this.attemptsByIp = limiter('att-ip', config.attemptsPerIp, config.attemptWindowSeconds);
    this.joinsByDevice = limiter('join-dev', config.joinsPerDevice, config.attemptWindowSeconds);
  }

  /** Before anything else: the IP is not blocked for failures and is within its attempt rate. */
  async admitAttempt(ip: string): Promise<void> {
    await this.refuseIfBlocked(this.failedByIp, ip, this.config.failedAuthPerIp, 'failed sign-ins from this address');
    await consume(this.attemptsByIp, ip, 'connection attempts from this address', this.config.attemptsPerIp);
  }

  /** After the device proved who it is: not blocked for failures, within its join rate. */
  async admitDevice(deviceId: string): Promise<void> {
    await this.refuseIfBlocked(this.failedByDevice, deviceId, this.config.failedAuthPerDevice, 'failed joins from this device');
    await this.admitJoin(deviceId);
  }

  /** One more join by an admitted device (a `join` event). */
  async admitJoin(deviceId: string): Promise<void> {
    await consume(this.joinsByDevice, deviceId, 'joins from this device', this.config.joinsPerDevice);
  }

  /**
   * Count a failed authentication. Returns true when this failure is the one that crossed a
   * limit (so the caller can audit the block once, not every refused attempt after it).
   */
  async recordFailure(ip: string, deviceId?: string): Promise<boolean> {
    const crossed = await Promise.all([
      penalize(this.failedByIp, ip, this.config.failedAuthPerIp),
      deviceId ? penalize(this.failedByDevice, deviceId, this.config.failedAuthPerDevice) : false,
    ]);
    return crossed.some(Boolean);
  }

  private async refuseIfBlocked(limiter: RateLimiterRedis, key: string, points: number, what: string): Promise<void> {
    const state = await limiter.get(key);
    if (state && state.consumedPoints > points) throw tooMany(state, what, false);
  }
}

async function consume(limiter: RateLimiterRedis, key: string, what: string, points: number): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error, what, error.consumedPoints === points + 1);
    throw error;
  }
}

async function penalize(limiter: RateLimiterRedis, key: string, points: number): Promise<boolean> {
  try {
    await limiter.consume(key);
    return false;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error.consumedPoints === points + 1;
    throw error;
  }
}
