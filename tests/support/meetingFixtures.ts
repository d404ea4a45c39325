import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { pino } from 'pino';
import { BookingTokens } from '../../signaling/src/auth/BookingTokens';
import { DeviceCredentials } from '../../signaling/src/auth/DeviceCredentials';
import { KeyRing } from '../../signaling/src/auth/KeyRing';
import { PersonAccounts } from '../../signaling/src/auth/PersonAccounts';
import type { Actor, Booking } from '../../signaling/src/booking/Booking';
import { createBookingModule, type BookingModule } from '../../signaling/src/booking/BookingModule';
import { BookingPolicies, type PolicyConfig } from '../../signaling/src/booking/BookingPolicy';
import { bookMeetingNow } from '../../signaling/src/booking/MeetingNow';
import { LogNoticeSender } from '../../signaling/src/booking/notices/LogNoticeSender';
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

/** The people and places of one booking, made fresh so that no other booking holds them. */
export interface BookingParties {
  lawyerId: string;
  detaineeId: string;
  stationId: string;
  seatId: string;
  boothId: string;
}

/** A real booking happening now, its projected MeetingRecord, and the credentials of its two terminals. */
export type BookedMeeting = MeetingRecord & {
  booking: Booking;
  seatDeviceId: string;
  boothDeviceId: string;
  seatCredential: string;
  boothCredential: string;
};

/** An admin acting through the booking domain. */
export const fixtureAdmin: Actor = { username: 'admin.fixture', role: 'admin', name: 'fixture admin' };

const fixtureStation = 'st-fixture';
const fixtureCenter = 'dc-fixture';

/**
 * A policy (for `BOOKING_POLICIES`) whose hourly slots start five minutes before `now`, in a
 * fixed-offset zone where that is late morning, so the slot running now has two more after it on
 * the same local day whatever the hour; bookable today, every day of the week. `slot` is the
 * one running now.
 */
export function policyAroundNow(now = Date.now()): { policies: PolicyConfig; slot: { startsAt: number; endsAt: number } } {
  const startsAt = Math.floor((now - 5 * 60_000) / 60_000) * 60_000;
  const start = new Date(startsAt);
  const offsetHours = 11 - start.getUTCHours(); // -12 … +11: a zone Etc/GMT∓N exists for each
  const timeZone = offsetHours === 0 ? 'Etc/GMT' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;
  const slotTimes = [11, 12, 13].map((hour) => `${hour}:${String(start.getUTCMinutes()).padStart(2, '0')}`);
  return {
    policies: {
      default: { timeZone, slotTimes, slotMinutes: 60, minWorkingDaysAhead: 0, workingWeekdays: [1, 2, 3, 4, 5, 6, 7] },
      centers: {},
    },
    slot: { startsAt, endsAt: startsAt + 3_600_000 },
  };
}

/**
 * Direct access to the platform's Redis and signing keys, as an admin tool and the booking domain
 * would have: meetings, registered devices and their assignments, booking tokens; and the booking
 * domain itself, on the platform's policies, for real bookings.
 */
export class MeetingFixtures {
  readonly redis: Redis;
  readonly store: MeetingStore;
  readonly keys: KeyRing;
  readonly tokens: BookingTokens;
  readonly devices: DeviceCredentials;
  readonly assignments: DeviceAssignments;

  /** `redis`: reach the platform's Redis another way (e.g. through a Sentinel); closed by close() either way. */
  constructor(
    private readonly platform: Platform,
    redis?: Redis,
  ) {
    this.redis = redis ?? new Redis(platform.redisUrl);
    this.store = new MeetingStore(this.redis);
    this.keys = KeyRing.load(join(platform.options.varDir, 'keys'), { autogenerate: false });
    this.tokens = new BookingTokens(this.keys, issuer, audience);
    this.devices = new DeviceCredentials(this.redis);
    this.assignments = new DeviceAssignments(this.redis);
  }

  private bookingModule: BookingModule | undefined;

  /**
   * The booking domain in this process, on the platform's Redis, signing key and booking policies
   * (`BOOKING_POLICIES` of its environment). Its clock and notice outbox stay the platform's.
   */
  get booking(): BookingModule {
    const env = this.platform.options.env ?? {};
    const log = pino({ level: 'silent' });
    this.bookingModule ??= createBookingModule({
      redis: this.redis,
      meetings: this.store,
      devices: this.assignments,
      tokens: this.tokens,
      accounts: new PersonAccounts(this.redis),
      policies: BookingPolicies.fromConfig(env.BOOKING_POLICIES, undefined),
      joinLeadMs: Number(env.JOIN_LEAD_SECONDS ?? 600) * 1000,
      sender: new LogNoticeSender(log),
      dispatcher: { consumer: 'fixtures', retryBaseMs: 1000, retryMaxMs: 1000 },
      now: Date.now,
      log,
    });
    return this.bookingModule;
  }

  /** A fresh lawyer, detainee, seat and booth, at the fixtures' station and detention center. */
  async bookingParties(): Promise<BookingParties> {
    const { resources } = this.booking.ctx;
    const id = randomUUID().slice(0, 8);
    await resources.put('district', { id: 'fixture', name: 'Fixture District', active: true });
    await resources.put('station', { id: fixtureStation, name: 'Station Test', kind: 'police_station', districtId: 'fixture', address: '1 Test Road', active: true });
    await resources.put('center', { id: fixtureCenter, name: 'Center Test', kind: 'detention_center', districtId: 'fixture', address: '2 Test Road', active: true });
    const parties = { lawyerId: `law-${id}`, detaineeId: `det-${id}`, stationId: fixtureStation, seatId: `seat-${id}`, boothId: `booth-${id}` };
    await resources.put('seat', { id: parties.seatId, stationId: fixtureStation, label: `Seat ${id}`, active: true });
    await resources.put('booth', { id: parties.boothId, centerId: fixtureCenter, label: `Booth ${id}`, active: true });
    await resources.put('lawyer', { id: parties.lawyerId, name: `Lawyer ${id}`, firm: 'Test Firm', licenceNumber: `1110${id}`, phone: '13800000000', locale: 'en', active: true });
    await resources.put('detainee', { id: parties.detaineeId, centerId: fixtureCenter, name: `Detainee ${id}`, caseReference: `CASE-${id}`, procedureStage: 'investigation', active: true });
    return parties;
  }

  /**
   * A real booking happening now in `window` (by default the demo's: from five minutes ago, an
   * hour), checked in and seated through the booking domain (`bookMeetingNow`), between fresh
   * parties; the seat terminal and the booth kiosk are provisioned here and hold their
   * assignments (with booking tokens) from `MeetingProjection`.
   */
  async bookedMeetingNow(window: { startsAt?: number; endsAt?: number } = {}): Promise<BookedMeeting> {
    const booking = await bookMeetingNow(this.booking, {
      ...(await this.bookingParties()),
      ...window,
      checkedInBy: { username: 'officer.fixture', name: 'Station Officer Test' },
      seatedBy: { username: 'officer.fixture-center', name: 'Detention Officer Test' },
      note: 'fixture',
    });
    const meeting = await this.store.get(booking.meetingId);
    if (!meeting) throw new Error(`booking ${booking.id} was not projected`);
    return {
      ...meeting,
      booking,
      seatDeviceId: booking.seatId,
      boothDeviceId: booking.boothId,
      seatCredential: await this.provision(booking.seatId, 'seat'),
      boothCredential: await this.provision(booking.boothId, 'booth'),
    };
  }

  /** The booking token the device's current assignment carries. */
  async assignedToken(deviceId: string): Promise<string> {
    const assignment = await this.assignments.current(deviceId);
    if (!assignment) throw new Error(`device ${deviceId} has no assignment`);
    return assignment.token;
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
