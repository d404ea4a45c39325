import { cpus, hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { redisSettings } from './control/redisConnection';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Every setting of an sfu-server process, read from the environment. */
export const sfuConfigSchema = z.object({
  SFU_NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default(`sfu-${hostname()}-${process.pid}`),
  ...redisSettings,
  MEDIASOUP_WORKER_BIN: z.string().min(1).default(resolve(repoRoot, 'var/bin/mediasoup-worker')),
  SFU_WORKERS: z.coerce.number().int().min(1).max(64).default(cpus().length),
  /** Address the WebRtcServers bind to. */
  SFU_LISTEN_IP: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
  /** Address given to clients in ICE candidates (public IP or DNS name); defaults to the listen IP. */
  SFU_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
  /** Worker i listens on SFU_PORT_BASE + i, UDP and TCP. */
  SFU_PORT_BASE: z.coerce.number().int().min(1024).max(65000).default(40000),
  /**
   * Send and receive buffer of each worker's UDP/TCP socket. One WebRtcServer socket carries every
   * meeting of its worker, so it must absorb their bursts (key frames) while the worker waits for
   * the CPU; the OS default (~208 KiB) drops packets at a handful of meetings on a busy host.
   * The kernel caps it at net.core.rmem_max / wmem_max. 0 keeps the OS default.
   */
  SFU_SOCKET_BUFFER_BYTES: z.coerce.number().int().min(0).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
  SFU_MAX_INCOMING_BITRATE: z.coerce.number().int().min(100_000).default(5_000_000),
  SFU_INITIAL_OUTGOING_BITRATE: z.coerce.number().int().min(100_000).default(1_500_000),
  SFU_HEARTBEAT_MS: z.coerce.number().int().min(200).default(2000),
  /** On SIGTERM the node drains: no new meetings; it exits when no seat is connected or after this long. */
  SFU_DRAIN_DEADLINE_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** Health sampling period (stream stats, worker CPU and memory). */
  SFU_HEALTH_INTERVAL_MS: z.coerce.number().int().min(500).default(5000),
  /** Port of the Prometheus endpoint on 127.0.0.1 (`/metrics`); 0 picks a free one (see the heartbeat). */
  SFU_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** A meeting with no seat connected for this long is closed; the next join re-creates it. */
  SFU_IDLE_MEETING_MS: z.coerce.number().int().min(1000).default(600_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type SfuConfig = z.infer<typeof sfuConfigSchema>;

export function loadSfuConfig(env: NodeJS.ProcessEnv = process.env): SfuConfig {
  // An empty variable (`KEY=` in an env file, `${KEY:-}` in compose) means "not set".
  const parsed = sfuConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`sfu-server: invalid configuration\n${lines.join('\n')}`);
  }
  return parsed.data;
}
