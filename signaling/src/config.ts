import { resolve } from 'node:path';
import { z } from 'zod';

const repoRoot = resolve(import.meta.dirname, '../..');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every setting of a signaling process, read from the environment. */
export const signalingConfigSchema = z.object({
  SIGNALING_HOST: z.string().min(1).default('127.0.0.1'),
  SIGNALING_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Base URL users open; used in printed links. */
  PUBLIC_URL: z.url().optional(),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Directory of ES256 private keys (`<kid>.pem`) that sign booking tokens. */
  TOKEN_KEYS_DIR: z.string().min(1).default(resolve(repoRoot, 'var/keys')),
  /** Key id that signs new tokens; defaults to the newest key file. */
  TOKEN_ACTIVE_KID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  /** Create a first signing key when the key directory is empty (development and demo). */
  TOKEN_KEYS_AUTOGENERATE: flag.default(true),
  TOKEN_ISSUER: z.string().min(1).default('huijian-signaling'),
  TOKEN_AUDIENCE: z.string().min(1).default('huijian-meeting'),
  /** Audience of people's session tokens (portal and consoles); distinct from booking tokens'. */
  SESSION_AUDIENCE: z.string().min(1).default('huijian-staff'),
  SESSION_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(8 * 3600),
  /** Seconds a seat may join before its slot starts. */
  JOIN_LEAD_SECONDS: z.coerce.number().int().min(0).max(3600).default(600),
  CLIENTS_DIR: z.string().min(1).default(resolve(repoRoot, 'clients/dist')),
  /** Largest Socket.IO message accepted, bytes. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(64 * 1024),
  SFU_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** How often to check that the SFU nodes still listen (a killed node is noticed in two polls). */
  SFU_NODE_WATCH_MS: z.coerce.number().int().min(100).default(500),
  /** Seed a demo meeting happening now and expose its links at /api/demo/links. */
  DEMO_MODE: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type SignalingConfig = z.infer<typeof signalingConfigSchema>;

export function loadSignalingConfig(env: NodeJS.ProcessEnv = process.env): SignalingConfig {
  const parsed = signalingConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`signaling: invalid configuration\n${lines.join('\n')}`);
  }
  return parsed.data;
}
