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
  signalingPort?: number;
  sfuPortBase?: number;
  sfuWorkers?: number;
  demo?: boolean;
  /** Extra environment for the sfu-server and signaling processes. */
  env?: Record<string, string>;
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

/**
 * The whole platform on this machine: a private redis-server (unless REDIS_URL is given), one
 * sfu-server and one signaling, each its own process. Used by `npm start` and by the tests.
 */
export class Platform {
  redis: ManagedProcess | undefined;
  sfu: ManagedProcess | undefined;
  signaling: ManagedProcess | undefined;
  signalingUrl = '';
  redisUrl = '';
  sfuNodeId = '';

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
    await this.startSfu();
    await this.startSignaling();
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

  async startSfu(): Promise<void> {
    this.sfuNodeId = `sfu-${process.pid}-${Date.now().toString(36)}`;
    this.sfu = ManagedProcess.start('sfu-server', process.execPath, [...tsx, join(repoRoot, 'sfu-server/src/main.ts')], {
      env: {
        ...process.env,
        ...this.options.env,
        REDIS_URL: this.redisUrl,
        SFU_NODE_ID: this.sfuNodeId,
        SFU_WORKERS: String(this.options.sfuWorkers ?? 1),
        SFU_PORT_BASE: String(this.options.sfuPortBase ?? (await freePort())),
      },
      logFile: join(this.logDir, 'sfu-server.log'),
      echo: this.options.echo,
    });
    await this.sfu.waitForLine(isLogMessage('sfu-server ready'), 30_000, 'sfu-server ready');
  }

  async startSignaling(): Promise<void> {
    this.signaling = ManagedProcess.start('signaling', process.execPath, [...tsx, join(repoRoot, 'signaling/src/main.ts')], {
      env: {
        ...process.env,
        TOKEN_KEYS_DIR: join(this.options.varDir, 'keys'),
        ...this.options.env,
        REDIS_URL: this.redisUrl,
        SIGNALING_PORT: String(this.options.signalingPort ?? 0),
        DEMO_MODE: String(this.options.demo ?? false),
      },
      logFile: join(this.logDir, 'signaling.log'),
      echo: this.options.echo,
    });
    const ready = await this.signaling.waitForLine(isLogMessage('signaling ready'), 30_000, 'signaling ready');
    this.signalingUrl = (JSON.parse(ready) as { url: string }).url;
  }

  /** Stop every process this platform started, newest first. */
  async stop(): Promise<void> {
    for (const process of [this.signaling, this.sfu, this.redis]) await process?.stop();
  }
}
