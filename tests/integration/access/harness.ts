import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { ControlClient } from '../../../sfu-server/src/control/ControlClient';
import { Redis } from 'ioredis';
import { Platform } from '../../../deploy/local/Platform';
import { PersonAccounts, type PersonRole } from '../../../signaling/src/auth/PersonAccounts';
import {
  DEVICE_NAMESPACE,
  MEETING_NAMESPACE,
  PROTOCOL_VERSION,
  type DeviceServerEvents,
  type ErrorBody,
  type MeetingClientEvents,
  type MeetingServerEvents,
} from '../../../signaling/src/protocol';
import { MeetingFixtures } from '../../support/meetingFixtures';

export type MeetingClient = Socket<MeetingServerEvents, MeetingClientEvents>;
export type DeviceClient = Socket<DeviceServerEvents, Record<string, never>>;

/** Limits high enough that a suite's many deliberate refusals from 127.0.0.1 never trip them. */
export const generousLimits = {
  RATE_FAILED_AUTH_PER_IP: '1000000',
  RATE_FAILED_AUTH_PER_DEVICE: '1000000',
  RATE_ATTEMPTS_PER_IP: '1000000',
  RATE_JOINS_PER_DEVICE: '1000000',
};

export interface AccessPlatformOptions {
  /** Start the sfu-server (needed as soon as a seat joins). */
  sfu?: boolean;
  signalingInstances?: number;
  env?: Record<string, string>;
  /** Runs before any process starts, with the platform's var directory (e.g. to place signing keys). */
  prepare?: (varDir: string) => void;
}

/** A platform (real redis-server, signaling, optionally sfu-server) and the tools to drive its door. */
export class AccessPlatform {
  private readonly clients: Socket[] = [];
  private control: ControlClient | undefined;

  private constructor(
    readonly platform: Platform,
    readonly fixtures: MeetingFixtures,
    private readonly work: string,
  ) {}

  static async start(options: AccessPlatformOptions = {}): Promise<AccessPlatform> {
    const work = mkdtempSync(join(tmpdir(), 'huijian-access-'));
    options.prepare?.(join(work, 'var'));
    const platform = await Platform.start({
      varDir: join(work, 'var'),
      sfu: options.sfu ?? false,
      signalingInstances: options.signalingInstances ?? 1,
      env: { ...generousLimits, ...options.env },
    });
    return new AccessPlatform(platform, new MeetingFixtures(platform), work);
  }

  get url(): string {
    return this.platform.signalingUrl;
  }

  /** Open a meeting connection (no automatic reconnection); resolves once connected or refused. */
  async meeting(auth: unknown, url = this.url): Promise<{ socket: MeetingClient; error?: undefined } | { socket?: undefined; error: ErrorBody }> {
    const socket: MeetingClient = io(`${url}${MEETING_NAMESPACE}`, { auth: auth as object, transports: ['websocket'], reconnection: false, forceNew: true });
    this.clients.push(socket);
    return settle(socket);
  }

  /** A meeting connection that must be admitted. */
  async admitted(auth: unknown, url = this.url): Promise<MeetingClient> {
    const result = await this.meeting(auth, url);
    if (result.error) throw new Error(`expected admission, got ${result.error.code}: ${result.error.message}`);
    return result.socket;
  }

  /** The code a meeting connection is refused with. */
  async refusal(auth: unknown, url = this.url): Promise<string> {
    const result = await this.meeting(auth, url);
    if (!result.error) throw new Error('expected a refusal, but the connection was admitted');
    return result.error.code;
  }

  /** The handshake of a device (a registered terminal) for one token. */
  auth(credential: string, token: string): { protocol: number; credential: string; token: string } {
    return { protocol: PROTOCOL_VERSION, credential, token };
  }

  /** Open a device-channel connection; resolves once connected or refused. */
  async device(auth: unknown, url = this.url): Promise<{ socket: DeviceClient; error?: undefined } | { socket?: undefined; error: ErrorBody }> {
    const socket: DeviceClient = io(`${url}${DEVICE_NAMESPACE}`, { auth: auth as object, transports: ['websocket'], reconnection: false, forceNew: true });
    this.clients.push(socket);
    return settle(socket);
  }

  /** A signed-in person of this role: their session token. */
  async personSession(role: PersonRole, username = `${role.replace('_', '.')}.test`): Promise<string> {
    const accounts = new PersonAccounts(this.fixtures.redis);
    const password = `pw-${username}-long-enough`;
    if (!(await accounts.get(username))) await accounts.create({ username, displayName: username, role, password });
    const response = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }

  /** Audit entries straight from the Redis stream, oldest first. */
  async auditEntries(filter: (entry: Record<string, string>) => boolean = () => true): Promise<Record<string, string>[]> {
    const raw = await this.fixtures.redis.xrange('huijian:audit', '-', '+');
    return raw.map(([id, flat]) => Object.fromEntries([['id', id], ...pairs(flat)])).filter(filter);
  }

  /** The SFU control contract, as a test would use it to look inside the media plane. */
  async sfuControl(): Promise<ControlClient> {
    if (!this.control) {
      this.control = new ControlClient(new Redis(this.platform.redisUrl), new Redis(this.platform.redisUrl));
      await this.control.start();
    }
    return this.control;
  }

  async close(): Promise<void> {
    for (const socket of this.clients) socket.disconnect();
    await this.control?.stop();
    await this.fixtures.close();
    await this.platform.stop();
    rmSync(this.work, { recursive: true, force: true });
  }
}

function pairs(flat: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) result.push([flat[i]!, flat[i + 1]!]);
  return result;
}

function settle<S extends Socket>(socket: S): Promise<{ socket: S; error?: undefined } | { socket?: undefined; error: ErrorBody }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('neither connected nor refused within 10 s')), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once('connect_error', (error: Error & { data?: ErrorBody }) => {
      clearTimeout(timer);
      socket.disconnect();
      resolve({ error: error.data ?? { code: 'INTERNAL', message: error.message } as ErrorBody });
    });
  });
}

/** Send a request and wait for its ack (10 s). */
export async function request<E extends keyof MeetingClientEvents>(socket: MeetingClient, event: E, payload: unknown): Promise<Record<string, unknown>> {
  const timed = socket.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Record<string, unknown>> };
  return timed.emitWithAck(event, payload);
}

/** The next occurrence of a server event on a socket. */
export function next<T = unknown>(socket: Socket, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Resolves with the disconnect reason. */
export function disconnected(socket: Socket, timeoutMs = 10_000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return next<string>(socket, 'disconnect', timeoutMs);
}
