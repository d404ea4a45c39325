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
  SFU_MAX_INCOMING_BITRATE: z.coerce.number().int().min(100_000).default(5_000_000),
  SFU_INITIAL_OUTGOING_BITRATE: z.coerce.number().int().min(100_000).default(1_500_000),
  SFU_HEARTBEAT_MS: z.coerce.number().int().min(200).default(2000),
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
