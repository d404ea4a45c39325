import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { redisSettings } from '@huijian/sfu-server/control';
import { z } from 'zod';
import { opsConfigShape } from './ops/opsConfig';

const repoRoot = resolve(import.meta.dirname, '../..');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
/** A comma-separated list, blanks dropped. */
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const origin = z.url().refine((u) => new URL(u).origin === u, 'an origin is scheme://host[:port], without a path');
/** A setting printed as `[redacted]` at start-up (see redactedConfig). */
const secret = <T extends z.ZodType>(schema: T) => schema.meta({ secret: true });
const turnUrl = z.string().regex(/^turns?:[A-Za-z0-9.:[\]-]+(\?transport=(udp|tcp))?$/, 'expected turn:HOST[:PORT][?transport=udp|tcp] or turns:...');

/** Every setting of a signaling process, read from the environment. */
export const signalingConfigSchema = z.object({
  SIGNALING_HOST: z.string().min(1).default('127.0.0.1'),
  SIGNALING_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Base URL users open; used in printed links. */
  PUBLIC_URL: z.url().optional(),
  ...redisSettings,
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
  /** Approximate cap of the audit stream (oldest entries go first). */
  AUDIT_MAX_ENTRIES: count(1000, 100_000_000, 1_000_000),
  /** End-to-end encryption where no per-center policy says otherwise (`off` only for terminals without encoded transforms). */
  E2EE_POLICY_DEFAULT: z.enum(['required', 'off']).default('required'),
  /** How long privacy receipts (and the facts behind them) are kept after a meeting's last event. */
  RECEIPT_RETENTION_DAYS: count(1, 3650, 400),
  SFU_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** How often to check that the SFU nodes still listen (a killed node is noticed in two polls). */
  SFU_NODE_WATCH_MS: z.coerce.number().int().min(100).default(500),
  /** Seed a demo meeting happening now and expose its links at /api/demo/links. */
  DEMO_MODE: flag.default(false),
  /** Password of the seeded demo accounts (demo mode); without it no demo accounts are made. */
  DEMO_PASSWORD: secret(z.string().min(8).max(256).optional()),
  /** Booking rules per detention center, JSON (see docs/booking.md); or a file holding that JSON. */
  BOOKING_POLICIES: z.string().optional(),
  BOOKING_POLICIES_FILE: z.string().optional(),
  /** How often the booking clock looks for no-shows, slot ends and reminders. */
  BOOKING_CLOCK_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Where notices (SMS texts) go: the log, or an SMS gateway's webhook. */
  NOTICE_SENDER: z.enum(['log', 'webhook']).default('log'),
  NOTICE_WEBHOOK_URL: z.url().optional(),
  /** Bearer token for the webhook, if the gateway wants one. */
  NOTICE_WEBHOOK_TOKEN: secret(z.string().min(1).optional()),
  NOTICE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  NOTICE_WEBHOOK_TRIES: z.coerce.number().int().min(1).max(10).default(3),
  /** First redelivery of a failed notice after this long, doubling up to the maximum. */
  NOTICE_RETRY_BASE_MS: z.coerce.number().int().min(100).default(5000),
  NOTICE_RETRY_MAX_MS: z.coerce.number().int().min(1000).default(300_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** HTTPS certificate chain and private key (PEM files). Neither: plain HTTP (development, or TLS ended in front). */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** Where those two files do not exist, create a self-signed pair there (a first try: browsers will warn). */
  TLS_SELF_SIGNED: flag.default(false),
  /** TURN servers handed to seats in the join result, comma-separated; empty: no TURN. */
  TURN_URLS: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(turnUrl))
    .default([]),
  /** Secret shared with the TURN server (coturn `static-auth-secret`), for its REST API credentials. */
  TURN_SECRET: secret(z.string().min(16, 'use at least 16 characters (e.g. openssl rand -hex 32)').optional()),
  /** Send all media through TURN (troubleshooting a site, or where direct paths to the SFU are unwanted). */
  TURN_RELAY_ONLY: flag.default(false),
  /** A TURN credential stays valid this long after its meeting's slot ends. */
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
  /** On SIGTERM: how long to wait for the seats of disconnected clients to be released before exiting anyway. */
  SIGNALING_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  ...opsConfigShape,
}).superRefine((config, ctx) => {
  if (config.MAX_EVENT_BYTES >= config.MAX_MESSAGE_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['MAX_EVENT_BYTES'], message: 'must be below MAX_MESSAGE_BYTES' });
  }
  if (Boolean(config.TLS_CERT_FILE) !== Boolean(config.TLS_KEY_FILE)) {
    ctx.addIssue({ code: 'custom', path: [config.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'], message: 'set TLS_CERT_FILE and TLS_KEY_FILE together' });
  }
  if (config.TLS_SELF_SIGNED && !config.TLS_CERT_FILE) {
    ctx.addIssue({ code: 'custom', path: ['TLS_SELF_SIGNED'], message: 'needs TLS_CERT_FILE and TLS_KEY_FILE: where to write the generated pair' });
  }
  if (config.NOTICE_SENDER === 'webhook' && !config.NOTICE_WEBHOOK_URL) {
    ctx.addIssue({ code: 'custom', path: ['NOTICE_WEBHOOK_URL'], message: 'required when NOTICE_SENDER=webhook' });
  }
  if (config.TURN_URLS.length > 0 && !config.TURN_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['TURN_SECRET'], message: 'required when TURN_URLS is set' });
  }
  if (config.ALERT_SENDER === 'webhook' && !config.ALERT_WEBHOOK_URL) {
    ctx.addIssue({ code: 'custom', path: ['ALERT_WEBHOOK_URL'], message: 'required when ALERT_SENDER=webhook' });
  }
  if (config.TURN_RELAY_ONLY && config.TURN_URLS.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['TURN_RELAY_ONLY'], message: 'needs TURN_URLS: with no TURN server no media could flow' });
  }
});

export type SignalingConfig = z.infer<typeof signalingConfigSchema>;

export function loadSignalingConfig(env: NodeJS.ProcessEnv = process.env): SignalingConfig {
  const parsed = signalingConfigSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`signaling: invalid configuration\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** An empty variable (`KEY=` in an env file, `${KEY:-}` in compose) means "not set". */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}
