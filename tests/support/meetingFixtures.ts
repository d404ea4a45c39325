import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { BookingTokens } from '../../signaling/src/auth/BookingTokens';
import { DeviceCredentials } from '../../signaling/src/auth/DeviceCredentials';
import { KeyRing } from '../../signaling/src/auth/KeyRing';
import { DeviceAssignments } from '../../signaling/src/meetings/DeviceAssignments';
import { MeetingStore, type MeetingRecord } from '../../signaling/src/store/MeetingStore';
import type { Platform } from '../../deploy/local/Platform';

export const issuer = 'huijian-signaling';
export const audience = 'huijian-meeting';

export type Role = 'lawyer' | 'detainee';

export interface TokenOverrides {
  notBefore?: number;
  expiresAt?: number;
  /** The device the token is bound to; by default the meeting's device for the role. */
  deviceId?: string;
}

/** A meeting made by `meetingNow`, with its two terminals' credentials. */
export type FixtureMeeting = MeetingRecord & { seatCredential: string; boothCredential: string; seatDeviceId: string; boothDeviceId: string };

/**
 * Direct access to the platform's Redis and signing keys, as an admin tool and the booking domain
 * would have: meetings, registered devices and their assignments, booking tokens.
 */
export class MeetingFixtures {
  readonly redis: Redis;
  readonly store: MeetingStore;
  readonly keys: KeyRing;
  readonly tokens: BookingTokens;
  readonly devices: DeviceCredentials;
  readonly assignments: DeviceAssignments;

  /** `redis`: reach the platform's Redis another way (e.g. through a Sentinel); closed by close() either way. */
  constructor(platform: Platform, redis?: Redis) {
    this.redis = redis ?? new Redis(platform.redisUrl);
    this.store = new MeetingStore(this.redis);
    this.keys = KeyRing.load(join(platform.options.varDir, 'keys'), { autogenerate: false });
    this.tokens = new BookingTokens(this.keys, issuer, audience);
    this.devices = new DeviceCredentials(this.redis);
    this.assignments = new DeviceAssignments(this.redis);
  }

  /** Register a device (an admin's provisioning), optionally at a site (station or center); returns its credential. */
  async provision(deviceId: string, kind: 'seat' | 'booth', siteId?: string): Promise<string> {
    return (await this.devices.provision({ deviceId, kind, siteId }, 'fixture')).credential;
  }

  /**
   * A meeting running now, checked in and seated, between a new seat device and a new booth
   * device (both provisioned here); `overrides` changes any field.
   */
  async meetingNow(
    meetingId = `m-${randomUUID().slice(0, 8)}`,
    overrides: Partial<MeetingRecord> = {},
    sites: { boothSiteId?: string } = {},
  ): Promise<FixtureMeeting> {
    const startsAt = Date.now() - 60_000;
    const seatDeviceId = overrides.seatDeviceId ?? `seat-${meetingId}`;
    const boothDeviceId = overrides.boothDeviceId ?? `booth-${meetingId}`;
    const seatCredential = await this.provision(seatDeviceId, 'seat');
    const boothCredential = await this.provision(boothDeviceId, 'booth', sites.boothSiteId);
    const meeting: MeetingRecord = {
      meetingId,
      bookingId: `b-${meetingId}`,
      startsAt,
      endsAt: startsAt + 3600_000,
      lawyerName: 'Lawyer Test',
      detaineeName: 'Detainee Test',
      stationName: 'Station Test',
      centerName: 'Center Test',
      status: 'scheduled',
      lawyerCheckedIn: true,
      detaineeSeated: true,
      ...overrides,
      seatDeviceId,
      boothDeviceId,
    };
    await this.store.put(meeting);
    return { ...meeting, seatDeviceId, boothDeviceId, seatCredential, boothCredential };
  }

  deviceOf(meeting: MeetingRecord, role: Role): string {
    const deviceId = role === 'lawyer' ? meeting.seatDeviceId : meeting.boothDeviceId;
    if (!deviceId) throw new Error(`meeting ${meeting.meetingId} has no ${role} device`);
    return deviceId;
  }

  token(meeting: MeetingRecord, role: Role, overrides: TokenOverrides = {}): string {
    return this.tokens.issue({
      bookingId: meeting.bookingId,
      meetingId: meeting.meetingId,
      role,
      deviceId: overrides.deviceId ?? this.deviceOf(meeting, role),
      notBefore: overrides.notBefore ?? meeting.startsAt - 600_000,
      expiresAt: overrides.expiresAt ?? meeting.endsAt,
    });
  }

  /** Give the device its assignment for the meeting, as the booking domain does at check-in and seating. */
  async assign(meeting: MeetingRecord, role: Role, token = this.token(meeting, role), deviceId = this.deviceOf(meeting, role)): Promise<string> {
    await this.assignments.assign({
      deviceId,
      meetingId: meeting.meetingId,
      bookingId: meeting.bookingId,
      role,
      token,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      lawyerName: meeting.lawyerName,
      detaineeName: meeting.detaineeName,
      stationName: meeting.stationName,
      centerName: meeting.centerName,
    });
    return token;
  }

  /** A token with the right claims and key id, signed by a key the platform never issued. */
  forgedToken(meeting: MeetingRecord, role: Role, deviceId = this.deviceOf(meeting, role)): string {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign(
      { sub: meeting.bookingId, mid: meeting.meetingId, role, dev: deviceId, nbf: now - 60, exp: now + 3600, iat: now },
      privateKey,
      { algorithm: 'ES256', keyid: this.keys.activeKid, issuer, audience, jwtid: randomUUID() },
    );
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
