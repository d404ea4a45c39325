import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { SeatBotOptions } from './SeatBot';
import type { BotReport, FleetReply, FleetRequest } from './botThread';

export type { BotReport } from './botThread';

/**
 * Seat bots spread over worker threads, so a load run can use every core the machine gives it.
 * Each bot joins through the real signaling like SeatBot does on its own; the fleet only places
 * bots on threads and gathers their snapshots.
 */
export class BotFleet {
  private readonly pending = new Map<string | number, (reply: FleetReply) => void>();
  private next = 0;
  private requestId = 0;

  private constructor(private readonly threads: Worker[]) {
    for (const thread of threads) {
      thread.on('message', (reply: FleetReply) => {
        const key = 'id' in reply ? reply.id : reply.requestId;
        const settle = this.pending.get(key);
        if (!settle) return;
        if (reply.type !== 'snapshot') this.pending.delete(key);
        settle(reply);
      });
    }
  }

  /** Start `threads` bot threads (each loads the clip once). */
  static start(threads: number): BotFleet {
    // A worker thread does not inherit tsx's loader: register it there before importing the TypeScript entry.
    const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./botThread.ts', import.meta.url).href)}); })`;
    return new BotFleet(Array.from({ length: threads }, () => new Worker(bootstrap, { eval: true })));
  }

  /** Start one bot on the next thread (round robin); resolves when it has joined. */
  async join(options: Omit<SeatBotOptions, 'clip'>): Promise<BotReport> {
    const id = randomUUID();
    const thread = this.threads[this.next++ % this.threads.length]!;
    const reply = await new Promise<FleetReply>((resolve) => {
      this.pending.set(id, resolve);
      thread.postMessage({ type: 'join', id, options } satisfies FleetRequest);
    });
    if (reply.type === 'failed') throw new Error(`bot failed to join: ${reply.error}`);
    if (reply.type !== 'joined') throw new Error(`unexpected reply ${reply.type}`);
    return reply.report;
  }

  /** Every bot's state and cumulative receive totals. */
  async snapshot(): Promise<BotReport[]> {
    const replies = await Promise.all(this.threads.map((thread) => this.ask(thread, 'snapshot')));
    return replies.flatMap((reply) => (reply.type === 'snapshot' ? reply.reports : []));
  }

  async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => this.ask(thread, 'stop')));
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  private ask(thread: Worker, type: 'snapshot' | 'stop'): Promise<FleetReply> {
    const requestId = ++this.requestId;
    return new Promise((resolve) => {
      this.pending.set(requestId, (reply) => {
        this.pending.delete(requestId);
        resolve(reply);
      });
      thread.postMessage({ type, requestId } satisfies FleetRequest);
    });
  }
}
