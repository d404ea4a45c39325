import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ManagedProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** File that receives the process's stdout and stderr. */
  logFile?: string;
  /** Also copy the output to this process's stderr, prefixed with the name. */
  echo?: boolean;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A child process of the platform: started, watched line by line, and always stopped. */
export class ManagedProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly recent: string[] = [];
  private readonly lineWaiters = new Set<(line: string) => void>();
  private log: WriteStream | undefined;
  private running = true;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    options: ManagedProcessOptions,
  ) {
    live.add(child);
    if (options.logFile) this.log = createWriteStream(options.logFile, { flags: 'a' });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.log?.write(`${line}\n`);
        if (options.echo) process.stderr.write(`[${name}] ${line}\n`);
        this.recent.push(line);
        if (this.recent.length > 40) this.recent.shift();
        for (const waiter of this.lineWaiters) waiter(line);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.running = false;
        live.delete(child);
        this.log?.end();
        resolve({ code, signal });
      });
    });
  }

  static start(name: string, command: string, args: string[], options: ManagedProcessOptions = {}): ManagedProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ManagedProcess(name, child, options);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The last lines the process printed, for error messages. */
  tail(): string {
    return this.recent.join('\n');
  }

  /** Resolve with the first output line that satisfies `match`; reject if the process exits first or time runs out. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (outcome: () => void) => {
        clearTimeout(timer);
        this.lineWaiters.delete(onLine);
        outcome();
      };
      const onLine = (line: string) => {
        if (match(line)) done(() => resolve(line));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`${this.name}: no "${what}" within ${timeoutMs} ms\n${this.tail()}`))),
        timeoutMs,
      );
      this.lineWaiters.add(onLine);
      void this.exited.then(({ code, signal }) =>
        done(() => reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before "${what}"\n${this.tail()}`))),
      );
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kill at once with `signal` (fault tests). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }
}
