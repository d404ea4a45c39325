import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port')
  .transform((value) => {
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(value.slice(at + 1)) };
  });

/**
 * How every process reaches the shared Redis: a URL, or Redis Sentinel in front of a master
 * (several hosts). Both processes' config schemas include these settings.
 */
export const redisSettings = {
  /** redis://[user:password@]host:port[/db]; behind Sentinel only its user, password and db count. */
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Sentinels as host:port, comma-separated. When set, the master is found (and followed on failover) through them. */
  REDIS_SENTINELS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(hostPort))
    .default([]),
  /** The master's name in the Sentinel configuration (`sentinel monitor <name> ...`). */
  REDIS_SENTINEL_MASTER: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default('huijian'),
  /** Password of the Sentinels themselves (`requirepass` in sentinel.conf), if any. */
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional().meta({ secret: true }),
};

export interface RedisSettings {
  REDIS_URL: string;
  REDIS_SENTINELS: { host: string; port: number }[];
  REDIS_SENTINEL_MASTER: string;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
}

/** A client of the shared Redis, direct or through Sentinel; `options` add to ioredis's. */
export function connectRedis(settings: RedisSettings, options: RedisOptions = {}): Redis {
  if (settings.REDIS_SENTINELS.length === 0) return new Redis(settings.REDIS_URL, options);
  const url = new URL(settings.REDIS_URL);
  return new Redis({
    ...options,
    sentinels: settings.REDIS_SENTINELS,
    name: settings.REDIS_SENTINEL_MASTER,
    sentinelPassword: settings.REDIS_SENTINEL_PASSWORD,
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    db: Number(url.pathname.slice(1) || 0),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    // Follow a failover as soon as the Sentinels announce it, not at the next broken connection.
    failoverDetector: true,
  });
}
