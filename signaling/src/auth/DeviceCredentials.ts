import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { DeviceKind, Role } from '../protocol';
import { SignalingError } from '../SignalingError';
import { deviceCredentialChannel, keys } from '../store/keys';

/** Device ids are the booking domain's seat and booth ids. */
export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'device ids are 1-64 letters, digits, _ or -');
export const deviceKindSchema = z.enum(['seat', 'booth']) satisfies z.ZodType<DeviceKind>;

const deviceRecordSchema = z.object({
  deviceId: deviceIdSchema,
  kind: deviceKindSchema,
  label: z.string().max(100),
  /** The station or detention center the device stands in. */
  siteId: z.string().max(64).optional(),
  credentialId: z.string(),
  /** SHA-256 of the credential's secret; the secret itself is never stored. */
  secretHash: z.string(),
  /** Credential ids this device used before (rotated), so presenting one says "revoked", not "invalid". */
  retiredCredentialIds: z.array(z.string()).default([]),
  provisionedAt: z.number().int(),
  provisionedBy: z.string(),
  revokedAt: z.number().int().optional(),
  revokedBy: z.string().optional(),
});

type DeviceRecord = z.infer<typeof deviceRecordSchema>;
export type RegisteredDevice = Omit<DeviceRecord, 'secretHash' | 'retiredCredentialIds'>;

/** A device that proved who it is. */
export interface VerifiedDevice {
  deviceId: string;
  kind: DeviceKind;
  credentialId: string;
  siteId: string | undefined;
}

export interface DeviceRegistration {
  deviceId: string;
  kind: DeviceKind;
  label?: string | undefined;
  siteId?: string | undefined;
}

/** The role a device of this kind joins meetings as. */
export function roleOfDeviceKind(kind: DeviceKind): Role {
  return kind === 'seat' ? 'lawyer' : 'detainee';
}

export function credentialMissing(): SignalingError {
  return new SignalingError('DEVICE_CREDENTIAL_MISSING', 'this terminal has no device credential; ask an administrator to provision it');
}

const VERSION = 'hjd1';
const RETIRED_KEPT = 5;

/** `hjd1.<deviceId>.<credentialId>.<secret>`: names the device; the secret is 256 random bits. */
export function formatCredential(deviceId: string, credentialId: string, secret: string): string {
  return [VERSION, deviceId, credentialId, secret].join('.');
}

export function parseCredential(credential: string): { deviceId: string; credentialId: string; secret: string } | undefined {
  const parts = credential.split('.');
  if (parts.length !== 4) return undefined;
  const [version, deviceId, credentialId, secret] = parts as [string, string, string, string];
  if (version !== VERSION || !deviceIdSchema.safeParse(deviceId).success) return undefined;
  if (!/^[A-Za-z0-9_-]{11}$/.test(credentialId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { deviceId, credentialId, secret };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function publicView({ secretHash: _hash, retiredCredentialIds: _retired, ...device }: DeviceRecord): RegisteredDevice {
  return device;
}

/**
 * Registered station seat terminals and booth kiosks, each with one long-lived, revocable
 * credential provisioned by an admin. Only a hash of the credential's secret is stored; every
 * connection checks it against Redis, so a revocation takes effect on the next check, and the
 * revoking instance tells every instance to drop the device's live connections.
 */
export class DeviceCredentials {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  /** Register a new device; returns its credential, shown this once. */
  async provision(registration: DeviceRegistration, by: string): Promise<{ device: RegisteredDevice; credential: string }> {
    return this.writeCredential({ ...registration, label: registration.label ?? registration.deviceId }, by, []);
  }

  /** Give the device a new credential (also re-enables a revoked device); the old one stops working at once. */
  async rotate(deviceId: string, by: string): Promise<{ device: RegisteredDevice; credential: string }> {
    const existing = await this.load(deviceId);
    if (!existing) throw new SignalingError('NOT_FOUND', `no device ${deviceId}`);
    const retired = [existing.credentialId, ...existing.retiredCredentialIds].slice(0, RETIRED_KEPT);
    const result = await this.writeCredential(existing, by, retired, existing);
    await this.redis.publish(deviceCredentialChannel, deviceId);
    return result;
  }

  async revoke(deviceId: string, by: string): Promise<RegisteredDevice> {
    const existing = await this.load(deviceId);
    if (!existing) throw new SignalingError('NOT_FOUND', `no device ${deviceId}`);
    const revoked: DeviceRecord = { ...existing, revokedAt: existing.revokedAt ?? this.now(), revokedBy: existing.revokedBy ?? by };
    await this.redis.multi().set(keys.device(deviceId), JSON.stringify(revoked)).publish(deviceCredentialChannel, deviceId).exec();
    return publicView(revoked);
  }

  async get(deviceId: string): Promise<RegisteredDevice | undefined> {
    const record = await this.load(deviceId);
    return record && publicView(record);
  }

  async list(): Promise<RegisteredDevice[]> {
    const ids = (await this.redis.smembers(keys.devices)).sort();
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => keys.device(id)));
    return raws.flatMap((raw) => (raw ? [publicView(deviceRecordSchema.parse(JSON.parse(raw)))] : []));
  }

  /** Check a presented credential; throws DEVICE_* codes. */
  async verify(credential: unknown): Promise<VerifiedDevice> {
    if (typeof credential !== 'string' || credential.length === 0) throw credentialMissing();
    const invalid = new SignalingError('DEVICE_CREDENTIAL_INVALID', 'the device credential is not valid');
    const parsed = parseCredential(credential);
    if (!parsed) throw invalid;
    const record = await this.load(parsed.deviceId);
    if (!record) throw invalid;
    const revoked = new SignalingError('DEVICE_REVOKED', 'this device credential was revoked; ask an administrator for a new one');
    if (parsed.credentialId !== record.credentialId) throw record.retiredCredentialIds.includes(parsed.credentialId) ? revoked : invalid;
    const expected = Buffer.from(record.secretHash, 'base64url');
    const actual = Buffer.from(hashSecret(parsed.secret), 'base64url');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw invalid;
    if (record.revokedAt !== undefined) throw revoked;
    return { deviceId: record.deviceId, kind: record.kind, credentialId: record.credentialId, siteId: record.siteId };
  }

  /** For a live connection: the credential it proved is still the device's current one and not revoked. */
  async stillValid(deviceId: string, credentialId: string): Promise<void> {
    const record = await this.load(deviceId);
    if (!record || record.credentialId !== credentialId || record.revokedAt !== undefined) {
      throw new SignalingError('DEVICE_REVOKED', 'this device credential was revoked; ask an administrator for a new one');
    }
  }

  private async writeCredential(
    device: Pick<DeviceRecord, 'deviceId' | 'kind' | 'label' | 'siteId'>,
    by: string,
    retiredCredentialIds: string[],
    replacing?: DeviceRecord,
  ): Promise<{ device: RegisteredDevice; credential: string }> {
    const credentialId = randomBytes(8).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const record = deviceRecordSchema.parse({
      deviceId: device.deviceId,
      kind: device.kind,
      label: device.label,
      ...(device.siteId ? { siteId: device.siteId } : {}),
      credentialId,
      secretHash: hashSecret(secret),
      retiredCredentialIds,
      provisionedAt: this.now(),
      provisionedBy: by,
    });
    const written = replacing
      ? await this.redis.set(keys.device(record.deviceId), JSON.stringify(record))
      : await this.redis.set(keys.device(record.deviceId), JSON.stringify(record), 'NX');
    if (written !== 'OK') throw new SignalingError('CONFLICT', `device ${record.deviceId} is already registered; rotate its credential instead`);
    await this.redis.sadd(keys.devices, record.deviceId);
    return { device: publicView(record), credential: formatCredential(record.deviceId, credentialId, secret) };
  }

  private async load(deviceId: string): Promise<DeviceRecord | undefined> {
    if (!deviceIdSchema.safeParse(deviceId).success) return undefined;
    const raw = await this.redis.get(keys.device(deviceId));
    return raw ? deviceRecordSchema.parse(JSON.parse(raw)) : undefined;
  }
}
