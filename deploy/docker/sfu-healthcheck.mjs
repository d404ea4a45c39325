// Docker HEALTHCHECK of the sfu-server image: healthy while this node's heartbeat in Redis is
// fresh, i.e. signaling can place meetings on it. Plain JavaScript (no tsx): it runs every 30 s
// and must stay cheap. The key names and defaults mirror sfu-server/src/control/channels.ts and
// sfu-server/src/config.ts; tests/integration/deploy/healthchecks.test.ts runs it against a real
// sfu-server, so a drift fails there.
// The node is SFU_NODE_ID or, with the default id `sfu-<hostname>-<pid>`, any node of this container.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const heartbeatMs = Number(process.env.SFU_HEARTBEAT_MS || 2000);
const nodeKey = (id) => `huijian:sfu:node:${id}`;
// As sfu-server/src/control/redisConnection.ts: direct, or through Sentinel.
const sentinels = (process.env.REDIS_SENTINELS || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((s) => ({ host: s.slice(0, s.lastIndexOf(':')).replace(/^\[|\]$/g, ''), port: Number(s.slice(s.lastIndexOf(':') + 1)) }));
const options = { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true };
const url = new URL(redisUrl);
const redis =
  sentinels.length === 0
    ? new Redis(redisUrl, options)
    : new Redis({
        ...options,
        sentinels,
        name: process.env.REDIS_SENTINEL_MASTER || 'huijian',
        sentinelPassword: process.env.REDIS_SENTINEL_PASSWORD || undefined,
        username: decodeURIComponent(url.username) || undefined,
        password: decodeURIComponent(url.password) || undefined,
        db: Number(url.pathname.slice(1) || 0),
      });
let healthy = false;
try {
  await redis.connect();
  const ids = process.env.SFU_NODE_ID
    ? [process.env.SFU_NODE_ID]
    : (await redis.smembers('huijian:sfu:nodes')).filter((id) => id.startsWith(`sfu-${hostname()}-`));
  const statuses = ids.length > 0 ? await redis.mget(ids.map(nodeKey)) : [];
  const fresh = statuses
    .filter((raw) => raw !== null)
    .map((raw) => JSON.parse(raw))
    .filter((status) => Date.now() - status.heartbeatAt < 3 * heartbeatMs);
  healthy = fresh.length > 0;
  console.log(
    healthy
      ? `healthy: ${fresh.map((s) => `${s.nodeId} (${s.meetings} meetings${s.draining ? ', draining' : ''})`).join(', ')}`
      : `no fresh heartbeat for ${ids.join(', ') || `sfu-${hostname()}-*`}`,
  );
} catch (error) {
  console.log(`unhealthy: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  redis.disconnect();
}
process.exit(healthy ? 0 : 1);
