import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errorCodes } from '../protocol/errors';
import { keys } from '../store/keys';

/** What happened. Gate decisions first, then the meeting's life, then administration. */
export const auditEventTypes = [
  'admitted',
  'refused',
  'rate_limited',
  'replaced',
  'revoked_live',
  'slot_warning',
  'extended',
  'extension_refused',
  'ended',
  // confidentiality (docs/confidentiality.md)
  'joined',
  'e2ee_active',
  'e2ee_unavailable',
  'e2ee_failed',
  'code_confirmed',
  'code_mismatch',
  'media_census',
  'guard_violation',
  'privacy_receipt',
  'e2ee_policy_changed',
  'device_provisioned',
  'device_rotated',
  'device_revoked',
  'login_failed',
] as const;

const id = z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/);

/**
 * One audit entry: metadata only. Every field has a narrow shape (ids, codes, numbers), so a
 * token, credential, password or document number cannot be written even by mistake: a value
 * that does not fit is dropped, not stored.
 */
export const auditEntrySchema = z.object({
  type: z.enum(auditEventTypes),
  /** Where the decision was made. */
  channel: z.enum(['meeting', 'device', 'http']).optional(),
  code: z.enum(errorCodes).optional(),
  /** A short machine word: an end reason, a warning, a refusal's detail. */
  reason: z.string().regex(/^[a-z_]{1,40}$/).optional(),
  meetingId: id.optional(),
  bookingId: id.optional(),
  role: z.enum(['lawyer', 'detainee']).optional(),
  deviceId: id.optional(),
  /** The booking token's id (`jti`), never the token. */
  tokenId: id.optional(),
  /** A person's username (admin actions). */
  by: z.string().regex(/^[a-z0-9._-]{3,64}$/).optional(),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  secondsLeft: z.number().int().min(0).optional(),
  endsAt: z.number().int().optional(),
  /** A key exchange's id (random, public); never a key. */
  exchangeId: id.optional(),
  /** The meeting's end-to-end encryption policy, and whether encryption was on. */
  policy: z.enum(['required', 'off']).optional(),
  e2ee: z.boolean().optional(),
  codeConfirmed: z.boolean().optional(),
  /** A detention center's id (policy changes). */
  centerId: id.optional(),
  /** Counts on the meeting's router (what the SFU holds for the seats). */
  endpoints: z.number().int().min(0).max(1000).optional(),
  transports: z.number().int().min(0).max(1000).optional(),
  producers: z.number().int().min(0).max(1000).optional(),
  consumers: z.number().int().min(0).max(1000).optional(),
  instance: id.optional(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type StoredAuditEntry = AuditEntry & { id: string; at: number };

/** Keep only the fields that fit their shape; report the names of those dropped. */
export function sanitizeAuditEntry(entry: Record<string, unknown>): { entry: AuditEntry; dropped: string[] } {
  const shape = auditEntrySchema.shape;
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [name, raw] of Object.entries(entry)) {
    if (raw === undefined) continue;
    // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d.
    const value = name === 'ip' && typeof raw === 'string' && raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice(7) : raw;
    const field = (shape as Record<string, z.ZodType>)[name];
    if (field?.safeParse(value).success) kept[name] = value;
    else dropped.push(name);
  }
  const parsed = auditEntrySchema.safeParse(kept);
  if (!parsed.success) throw new Error(`audit entry without a valid type (dropped: ${dropped.join(', ')})`);
  return { entry: parsed.data, dropped };
}

const numericFields = new Set(['secondsLeft', 'endsAt', 'endpoints', 'transports', 'producers', 'consumers']);
const booleanFields = new Set(['e2ee', 'codeConfirmed']);

/**
 * The append-only audit stream in Redis (`huijian:audit`): every gate decision (admitted,
 * refused and why, replaced), every end, slot warnings, extensions and device administration.
 * Nothing in the code deletes or edits entries; the stream is capped (approximately) at
 * `maxEntries`, oldest first. Admins read it through GET /api/audit.
 */
export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly instance: string,
    private readonly maxEntries: number,
  ) {}

  /** Append an entry. Failures are logged, never thrown: auditing must not take a meeting down. */
  async record(entry: AuditEntry): Promise<void> {
    try {
      const { entry: clean, dropped } = sanitizeAuditEntry({ instance: this.instance, ...entry });
      if (dropped.length > 0) this.log.warn({ dropped, type: entry.type }, 'audit fields dropped: not metadata-shaped');
      const fields = Object.entries(clean).flatMap(([name, value]) => [name, String(value)]);
      await this.redis.xadd(keys.audit, 'MAXLEN', '~', String(this.maxEntries), '*', ...fields);
    } catch (error) {
      this.log.error({ err: error, type: entry.type }, 'audit entry not written');
    }
  }

  /** Newest first; `before` is an entry id to page back from. */
  async read(options: { count: number; before?: string | undefined; meetingId?: string | undefined; deviceId?: string | undefined }): Promise<StoredAuditEntry[]> {
    const end = options.before ? `(${options.before}` : '+';
    const filtered = options.meetingId !== undefined || options.deviceId !== undefined;
    const batch = filtered ? Math.max(options.count * 10, 500) : options.count;
    const result: StoredAuditEntry[] = [];
    let cursor = end;
    // A filter may need several pages; stop after a bounded scan.
    for (let page = 0; page < 20 && result.length < options.count; page++) {
      const raw = await this.redis.xrevrange(keys.audit, cursor, '-', 'COUNT', batch);
      for (const [streamId, flat] of raw) {
        const entry = parseEntry(streamId, flat);
        if (options.meetingId !== undefined && entry.meetingId !== options.meetingId) continue;
        if (options.deviceId !== undefined && entry.deviceId !== options.deviceId) continue;
        result.push(entry);
        if (result.length === options.count) break;
      }
      if (raw.length < batch || !filtered) break;
      cursor = `(${raw.at(-1)![0]}`;
    }
    return result;
  }
}

function parseEntry(streamId: string, flat: string[]): StoredAuditEntry {
  const entry: Record<string, unknown> = { id: streamId, at: Number(streamId.split('-')[0]) };
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i]!;
    const raw = flat[i + 1];
    entry[name] = numericFields.has(name) ? Number(raw) : booleanFields.has(name) ? raw === 'true' : raw;
  }
  return entry as StoredAuditEntry;
}
