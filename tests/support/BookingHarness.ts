import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { BookingTokens } from '../../signaling/src/auth/BookingTokens';
import { KeyRing } from '../../signaling/src/auth/KeyRing';
import { PersonAccounts, type PersonRole } from '../../signaling/src/auth/PersonAccounts';
import { PersonSessions } from '../../signaling/src/auth/PersonSessions';
import { createBookingModule, type BookingModule } from '../../signaling/src/booking/BookingModule';
import { BookingPolicies, type PolicyConfig } from '../../signaling/src/booking/BookingPolicy';
import type { NoticeSender } from '../../signaling/src/booking/notices/NoticeSender';
import type { Notice } from '../../signaling/src/booking/notices/Notice';
import { epochOf } from '../../signaling/src/booking/ZonedCalendar';
import { AuditLog } from '../../signaling/src/audit/AuditLog';
import { AccessLimits } from '../../signaling/src/auth/AccessLimits';
import { DeviceCredentials } from '../../signaling/src/auth/DeviceCredentials';
import { apiRoutes } from '../../signaling/src/http/apiRoutes';
import { privacyRoutes } from '../../signaling/src/http/privacyRoutes';
import { createHttpApp } from '../../signaling/src/http/app';
import { ConfidentialityAlarm } from '../../signaling/src/meetings/ConfidentialityAlarm';
import { DeviceAssignments } from '../../signaling/src/meetings/DeviceAssignments';
import { EncryptionPolicies } from '../../signaling/src/meetings/EncryptionPolicies';
import { PrivacyReceipts } from '../../signaling/src/meetings/PrivacyReceipts';
import { MeetingStore } from '../../signaling/src/store/MeetingStore';
import { PrivacyLedger } from '../../signaling/src/store/PrivacyLedger';
import { TestRedis } from './TestRedis';

/** The server clock, under the test's control. */
export class TestClock {
  constructor(public time: number) {}
  now = (): number => this.time;
  set(time: number): void {
    this.time = time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Remembers what it was asked to send; can be told to fail. */
export class RecordingSender implements NoticeSender {
  readonly name = 'recording';
  sent: Notice[] = [];
  failing = false;
  async send(notice: Notice): Promise<void> {
    if (this.failing) throw new Error('gateway down');
    this.sent.push(notice);
  }
}

export const beijing = (date: string, time: string) => epochOf(date, time, 'Asia/Shanghai');
export const hour = 3_600_000;
export const minute = 60_000;

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  text: string;
}

/**
 * The booking module in this process against a real redis-server, served over real HTTP by the
 * same Express app the signaling process uses; the clock is the test's.
 */
export class BookingHarness {
  readonly redis: Redis;
  readonly booking: BookingModule;
  readonly meetings: MeetingStore;
  readonly devices: DeviceAssignments;
  readonly tokens: BookingTokens;
  readonly sessions: PersonSessions;
  baseUrl = '';
  /** The Express app (to inspect its routes). */
  express!: Express;
  private server!: Server;

  private constructor(
    readonly redisServer: TestRedis,
    readonly clock: TestClock,
    private readonly keysDir: string,
    policies: BookingPolicies,
    sender: NoticeSender,
  ) {
    this.redis = new Redis(redisServer.url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
    const keys = KeyRing.load(keysDir, { autogenerate: true });
    this.tokens = new BookingTokens(keys, 'huijian-signaling', 'huijian-meeting', clock.now);
    this.sessions = new PersonSessions(keys, 'huijian-signaling', 'huijian-staff', 8 * 3600, () => Date.now());
    this.meetings = new MeetingStore(this.redis);
    this.devices = new DeviceAssignments(this.redis);
    this.booking = createBookingModule({
      redis: this.redis,
      meetings: this.meetings,
      devices: this.devices,
      tokens: this.tokens,
      accounts: new PersonAccounts(this.redis),
      policies,
      joinLeadMs: 600_000,
      sender,
      dispatcher: { consumer: 'test', retryBaseMs: 200, retryMaxMs: 1000, blockMs: 100 },
      now: clock.now,
      log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    });
  }

  static async start(options: { now: number; policies?: PolicyConfig; sender?: NoticeSender; redis?: TestRedis } = { now: Date.now() }): Promise<BookingHarness> {
    const redis = options.redis ?? (await TestRedis.start());
    const harness = new BookingHarness(
      redis,
      new TestClock(options.now),
      mkdtempSync(join(tmpdir(), 'huijian-keys-')),
      new BookingPolicies(options.policies),
      options.sender ?? new RecordingSender(),
    );
    await harness.listen();
    return harness;
  }

  private async listen(): Promise<void> {
    const log = pino({ level: 'silent' });
    const generous = { failedAuthPerIp: 1e6, failedAuthPerDevice: 1e6, failedAuthWindowSeconds: 60, failedAuthBlockSeconds: 1, attemptsPerIp: 1e6, joinsPerDevice: 1e6, attemptWindowSeconds: 60 };
    const audit = new AuditLog(this.redis, log, 'harness', 10_000);
    const credentials = new DeviceCredentials(this.redis);
    const limits = new AccessLimits(this.redis, generous);
    const receipts = new PrivacyReceipts(new PrivacyLedger(this.redis, 86_400_000), this.meetings, audit, new ConfidentialityAlarm(this.redis, log), log);
    const app = createHttpApp({
      clientsDir: '/nonexistent',
      log,
      // The same API the signaling process serves (devices, audit and privacy included), so the OpenAPI check sees every route.
      apiRoutes: apiRoutes({
        accounts: new PersonAccounts(this.redis),
        sessions: this.sessions,
        limits,
        audit,
        credentials,
        onlineDeviceIds: async () => new Set(),
        booking: this.booking,
        confidentiality: privacyRoutes({
          receipts,
          policies: new EncryptionPolicies(this.redis, credentials, audit, 'required'),
          meetings: this.meetings,
          credentials,
          sessions: this.sessions,
          limits,
        }),
      }),
      corsOrigins: [],
      ownOrigins: () => [],
    });
    this.express = app;
    this.server = createServer(app);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A session token for a person (as POST /api/auth/login would give). */
  session(role: PersonRole, siteId?: string, username = `${role}.${siteId ?? 'x'}`): string {
    return this.sessions.issue({ username, displayName: username, role, ...(siteId ? { siteId } : {}), disabled: false }).token;
  }

  async api<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed as T, text };
  }

  async stop(options: { keepRedis?: boolean } = {}): Promise<void> {
    await this.booking.stop();
    await new Promise((resolve) => this.server?.close(resolve));
    this.redis.disconnect();
    rmSync(this.keysDir, { recursive: true, force: true });
    if (!options.keepRedis) await this.redisServer.stop();
  }
}

/** A small world: 2 districts, 3 stations, 2 centers, seats, booths, lawyers, detainees. */
export async function seedWorld(h: BookingHarness, shape: { seatsPerStation?: number; boothsPerCenter?: number; lawyers?: number; detainees?: number } = {}): Promise<void> {
  const admin = h.session('admin');
  const must = async (path: string, body: unknown) => {
    const answer = await h.api('POST', path, admin, body);
    if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${answer.text}`);
  };
  await must('/districts', { id: 'north', name: '北区' });
  await must('/districts', { id: 'south', name: '南区' });
  await must('/stations', { id: 'st-a', name: 'Station A', districtId: 'north', address: '1 North Road', location: { lat: 39.98, lng: 116.31 } });
  await must('/stations', { id: 'st-b', name: 'Station B', districtId: 'north', address: '2 North Road', location: { lat: 40.05, lng: 116.27 } });
  await must('/stations', { id: 'st-c', name: 'Station C', districtId: 'south', address: '3 South Road' });
  await must('/centers', { id: 'dc-1', name: 'Center One', districtId: 'north', address: '10 Gate Road' });
  await must('/centers', { id: 'dc-2', name: 'Center Two', districtId: 'south', address: '20 Gate Road' });
  for (const station of ['st-a', 'st-b', 'st-c']) {
    for (let i = 1; i <= (shape.seatsPerStation ?? 2); i += 1) await must(`/stations/${station}/seats`, { id: `${station}-s${i}`, label: `Seat ${i}` });
  }
  for (const center of ['dc-1', 'dc-2']) {
    for (let i = 1; i <= (shape.boothsPerCenter ?? 2); i += 1) await must(`/centers/${center}/booths`, { id: `${center}-b${i}`, label: `Booth ${i}` });
  }
  for (let i = 1; i <= (shape.lawyers ?? 3); i += 1) {
    await must('/lawyers', { id: `law-${i}`, name: `Lawyer ${i}`, firm: 'Firm', licenceNumber: `1110120${String(i).padStart(10, '0')}`, phone: `1380000${String(i).padStart(4, '0')}`, locale: 'en' });
  }
  for (let i = 1; i <= (shape.detainees ?? 4); i += 1) {
    await must('/detainees', { id: `det-${i}`, centerId: i % 2 === 1 ? 'dc-1' : 'dc-2', name: `Detainee ${i}`, caseReference: `CASE-${i}`, procedureStage: 'investigation' });
  }
}
