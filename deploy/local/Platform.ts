import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ManagedProcess } from './ManagedProcess';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface PlatformOptions {
  /** Directory for Redis data, keys and logs. */
  varDir: string;
  /** Use this Redis instead of starting a private one. */
  redisUrl?: string | undefined;
  redisPort?: number;
  /** Keep an append-only file so data survive a Redis restart. */
  redisAppendOnly?: boolean;
  /** Port of the first signaling instance (others take free ports). */
  signalingPort?: number;
  /** How many signaling instances to start against the same Redis (default 1). */
  signalingInstances?: number;
  /** Start sfu-servers (default true; tests of the door alone may skip it). */
  sfu?: boolean;
  /** How many sfu-server nodes to start against the same Redis (default 1). */
  sfuNodes?: number;
  /** Node i's workers listen on sfuPortBase + i × SFU_NODE_PORT_STRIDE + worker (default: free ports). */
  sfuPortBase?: number;
  sfuWorkers?: number;
  /** Seed the demo meeting (on the first signaling instance only). */
  demo?: boolean;
  /** Extra environment for the sfu-server and signaling processes. */
  env?: Record<string, string>;
  /** Modules loaded (`node --import`) before the sfu-server's or signaling's main: test harnesses only. */
  preload?: { sfu?: string[]; signaling?: string[] };
  /** Copy every process's output to stderr. */
  echo?: boolean;
}

/** A free TCP port on 127.0.0.1 (bound once, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A pino JSON line whose `msg` is `message`. */
function isLogMessage(message: string) {
  return (line: string) => {
    try {
      return (JSON.parse(line) as { msg?: unknown }).msg === message;
    } catch {
      return false;
    }
  };
}

const tsx = ['--import', 'tsx'];

/** Ports between two SFU nodes' port bases when one base is given: room for 100 workers per node. */
export const SFU_NODE_PORT_STRIDE = 100;

/**
 * The whole platform on this machine: a private redis-server (unless REDIS_URL is given), one or
 * more sfu-server nodes and one or more signaling instances, each its own process, all on one
 * Redis: the same shape as several hosts (docs/scaling.md). Used by `npm start` and by the tests.
 */
export class Platform {
  redis: ManagedProcess | undefined;
  /** SFU nodes, in start order; `sfuNodeIds[i]` is the id of `sfus[i]`. */
  readonly sfus: ManagedProcess[] = [];
  readonly sfuNodeIds: string[] = [];
  /** Signaling instances, in start order; any of them serves any device. */
  readonly signalings: ManagedProcess[] = [];
  readonly signalingUrls: string[] = [];
  redisUrl = '';

  /** The first SFU node. */
  get sfu(): ManagedProcess | undefined {
    return this.sfus[0];
  }

  get sfuNodeId(): string {
    return this.sfuNodeIds[0] ?? '';
  }

  /** The first signaling instance. */
  get signaling(): ManagedProcess | undefined {
    return this.signalings[0];
  }

  get signalingUrl(): string {
    return this.signalingUrls[0] ?? '';
  }

  private constructor(readonly options: PlatformOptions) {}

  static async start(options: PlatformOptions): Promise<Platform> {
    const platform = new Platform(options);
    try {
      await platform.startAll();
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  private get logDir(): string {
    return join(this.options.varDir, 'log');
  }

  private async startAll(): Promise<void> {
    mkdirSync(this.logDir, { recursive: true });
    this.redisUrl = this.options.redisUrl ?? (await this.startRedis());
    if (this.options.sfu ?? true) {
      const nodes = this.options.sfuNodes ?? 1;
      await Promise.all(Array.from({ length: nodes }, () => this.startSfu()));
    }
    const instances = this.options.signalingInstances ?? 1;
    // The first instance creates the signing key if there is none; the others then load it.
    await this.startSignaling();
    await Promise.all(Array.from({ length: instances - 1 }, () => this.startSignaling()));
  }

  async startRedis(port?: number): Promise<string> {
    const redisPort = port ?? this.options.redisPort ?? (await freePort());
    const dataDir = join(this.options.varDir, 'redis');
    mkdirSync(dataDir, { recursive: true });
    const persistence = this.options.redisAppendOnly
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no'];
    this.redis = ManagedProcess.start(
      'redis',
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(redisPort), '--dir', dataDir, '--save', '', ...persistence, '--protected-mode', 'yes'],
      { logFile: join(this.logDir, 'redis.log'), echo: this.options.echo },
    );
    await this.redis.waitForLine((line) => line.includes('Ready to accept connections'), 10_000, 'Ready to accept connections');
    return `redis://127.0.0.1:${redisPort}`;
  }

  /** Start one more SFU node (its own id, port range and log); returns its node id. */
  async startSfu(env: Record<string, string> = {}): Promise<string> {
    // Claim the index before any await: nodes may be started concurrently.
    const index = this.sfuNodeIds.length;
    const name = index === 0 ? 'sfu-server' : `sfu-server-${index + 1}`;
    const nodeId = `sfu-${index + 1}-${process.pid}-${Date.now().toString(36)}`;
    this.sfuNodeIds.push(nodeId);
    const portBase = this.options.sfuPortBase === undefined ? await freePort() : this.options.sfuPortBase + index * SFU_NODE_PORT_STRIDE;
    const preload = (this.options.preload?.sfu ?? []).flatMap((file) => ['--import', file]);
    const sfu = ManagedProcess.start(name, process.execPath, [...tsx, ...preload, join(repoRoot, 'sfu-server/src/main.ts')], {
      env: {
        ...process.env,
        ...this.options.env,
        ...env,
        REDIS_URL: this.redisUrl,
        SFU_NODE_ID: nodeId,
        SFU_WORKERS: String(this.options.sfuWorkers ?? 1),
        SFU_PORT_BASE: String(portBase),
      },
      logFile: join(this.logDir, `${name}.log`),
      echo: this.options.echo,
    });
    this.sfus[index] = sfu;
    await sfu.waitForLine(isLogMessage('sfu-server ready'), 30_000, `${name} ready`);
    return nodeId;
  }

  /** Start one more signaling instance; returns its URL. */
  async startSignaling(env: Record<string, string> = {}): Promise<string> {
    const index = this.signalings.length;
    const name = index === 0 ? 'signaling' : `signaling-${index + 1}`;
    const preload = (this.options.preload?.signaling ?? []).flatMap((file) => ['--import', file]);
    const signaling = ManagedProcess.start(name, process.execPath, [...tsx, ...preload, join(repoRoot, 'signaling/src/main.ts')], {
      env: {
        ...process.env,
        TOKEN_KEYS_DIR: join(this.options.varDir, 'keys'),
        INSTANCE_ID: name,
        ...this.options.env,
        ...env,
        REDIS_URL: this.redisUrl,
        SIGNALING_PORT: String(index === 0 ? (this.options.signalingPort ?? 0) : 0),
        DEMO_MODE: String(index === 0 && (this.options.demo ?? false)),
      },
      logFile: join(this.logDir, `${name}.log`),
      echo: this.options.echo,
    });
    this.signalings.push(signaling);
    const ready = await signaling.waitForLine(isLogMessage('signaling ready'), 30_000, 'signaling ready');
    const url = (JSON.parse(ready) as { url: string }).url;
    this.signalingUrls[index] = url;
    return url;
  }

  /** Stop every process this platform started, newest first. */
  async stop(): Promise<void> {
    await Promise.all(this.signalings.map((signaling) => signaling.stop()));
    await Promise.all(this.sfus.map((sfu) => sfu.stop()));
    await this.redis?.stop();
  }
}
