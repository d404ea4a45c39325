import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

const repoRoot = resolve(import.meta.dirname, '../..');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
/** A comma-separated list, blanks dropped. */
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const origin = z.url().refine((u) => new URL(u).origin === u, 'an origin is scheme://host[:port], without a path');

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
  /** Largest Socket.IO message the transport accepts, bytes; a larger one closes the connection. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(64 * 1024),
  /** Largest payload of one event, bytes; a larger one is answered PAYLOAD_TOO_LARGE and the connection stays. */
  MAX_EVENT_BYTES: z.coerce.number().int().min(512).max(10_000_000).default(32 * 1024),
  /** Origins (besides the service's own) whose pages may call the API and open sockets. */
  CORS_ORIGINS: list.pipe(z.array(origin)).default([]),
  /** Name of this instance in logs and the audit stream. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_:-]{1,64}$/)
    .default(`signaling-${hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32)}-${process.pid}`),
  // Abuse limits (per IP and per device, shared by all instances through Redis).
  RATE_FAILED_AUTH_PER_IP: count(1, 1_000_000, 30),
  RATE_FAILED_AUTH_PER_DEVICE: count(1, 1_000_000, 10),
  RATE_FAILED_AUTH_WINDOW_SECONDS: count(1, 86_400, 600),
  RATE_FAILED_AUTH_BLOCK_SECONDS: count(1, 86_400, 900),
  RATE_ATTEMPTS_PER_IP: count(1, 1_000_000, 600),
  RATE_JOINS_PER_DEVICE: count(1, 1_000_000, 30),
  RATE_ATTEMPT_WINDOW_SECONDS: count(1, 3600, 60),
  // The meeting's life in time.
  /** Seconds before the slot end at which both seats are warned. */
  SLOT_WARNING_SECONDS: list.transform((v) => v.map(Number)).pipe(z.array(z.number().int().min(1).max(3600))).default([300, 60]),
  /** How often each live meeting is re-checked against Redis (cancellation, revocation, reassignment). */
  MEETING_RECHECK_SECONDS: count(1, 3600, 15),
  /** How long a dropped connection may come back with its state (Socket.IO connection-state recovery; the gate runs again). */
  RECOVERY_WINDOW_SECONDS: count(1, 3600, 120),
  /** One extension adds this much (a slot). */
  EXTENSION_SECONDS: count(60, 86_400, 3600),
  /** Policy: the longest a meeting may run, extensions included (Beijing: 2 consecutive hours). */
  MAX_MEETING_SECONDS: count(60, 86_400, 7200),
  /** Approximate cap of the audit stream (oldest entries go first). */
  AUDIT_MAX_ENTRIES: count(1000, 100_000_000, 1_000_000),
  /** End-to-end encryption where no per-center policy says otherwise (`off` only for terminals without encoded transforms). */
  E2EE_POLICY_DEFAULT: z.enum(['required', 'off']).default('required'),
  /** How long privacy receipts (and the facts behind them) are kept after a meeting's last event. */
  RECEIPT_RETENTION_DAYS: count(1, 3650, 400),
  SFU_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Seed a demo meeting happening now and expose its links at /api/demo/links. */
  DEMO_MODE: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
}).refine((c) => c.MAX_EVENT_BYTES < c.MAX_MESSAGE_BYTES, { message: 'must be below MAX_MESSAGE_BYTES', path: ['MAX_EVENT_BYTES'] });

export type SignalingConfig = z.infer<typeof signalingConfigSchema>;

export function loadSignalingConfig(env: NodeJS.ProcessEnv = process.env): SignalingConfig {
  const parsed = signalingConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`signaling: invalid configuration\n${lines.join('\n')}`);
  }
  return parsed.data;
}
