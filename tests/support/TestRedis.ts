import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from '../../deploy/local/ManagedProcess';
import { freePort } from '../../deploy/local/Platform';

/** A private redis-server for one test file, in its own directory; optionally append-only. */
export class TestRedis {
  process!: ManagedProcess;
  url = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly appendOnly: boolean,
  ) {}

  static async start(options: { appendOnly?: boolean } = {}): Promise<TestRedis> {
    const redis = new TestRedis(mkdtempSync(join(tmpdir(), 'huijian-redis-')), await freePort(), options.appendOnly ?? false);
    await redis.launch();
    return redis;
  }

  /** Start (or restart) redis-server on the same port and directory. */
  async launch(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const persistence = this.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
    this.process = ManagedProcess.start('redis', 'redis-server', ['--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir, '--save', '', ...persistence]);
    await this.process.waitForLine((line) => line.includes('Ready to accept connections'), 10_000, 'Ready to accept connections');
    this.url = `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
