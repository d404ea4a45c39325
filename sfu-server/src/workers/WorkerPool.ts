import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker, type types as ms } from 'mediasoup';
import type { Logger } from 'pino';

export interface WorkerPoolSettings {
  workerBin: string;
  workers: number;
  listenIp: string;
  announcedAddress?: string | undefined;
  portBase: number;
  /** Socket send/receive buffer in bytes; 0 keeps the OS default. */
  socketBufferBytes?: number;
}

/** One mediasoup worker with its single-port WebRtcServer. */
export interface PooledWorker {
  readonly index: number;
  readonly worker: ms.Worker;
  readonly webRtcServer: ms.WebRtcServer;
  /** Meetings currently placed on this worker. */
  meetings: number;
}

export interface WorkerPoolEvents {
  /** A worker process died; its routers are gone. Its slot is empty until `workerReplaced`. */
  workerDied: [dead: PooledWorker];
  /** A new worker took the dead one's slot (same index, same port). */
  workerReplaced: [replacement: PooledWorker];
}

/** Back-off between attempts to replace a dead worker. */
const respawnDelaysMs = [0, 250, 1000, 5000];

/**
 * One mediasoup worker per core, each with one WebRtcServer (one UDP + one TCP port). A worker
 * that dies is replaced in its slot; `workerDied` lets the meetings it hosted move elsewhere.
 */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly slots: (PooledWorker | undefined)[] = [];
  private closed = false;

  private constructor(
    private readonly settings: WorkerPoolSettings,
    private readonly log: Logger,
  ) {
    super();
  }

  static async start(settings: WorkerPoolSettings, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(settings, log);
    for (let index = 0; index < settings.workers; index++) pool.slots.push(await pool.spawn(index));
    return pool;
  }

  /** The live workers (a dead one's slot is skipped until it is replaced). */
  get workers(): PooledWorker[] {
    return this.slots.filter((slot): slot is PooledWorker => slot !== undefined);
  }

  /** The live worker with the fewest meetings, waiting for a replacement when none is live. */
  async leastLoaded(timeoutMs = 10_000): Promise<PooledWorker> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [best] = this.workers.sort((a, b) => a.meetings - b.meetings || a.index - b.index);
      if (best) return best;
      if (this.closed || Date.now() > deadline) throw new Error('no live mediasoup worker');
      await sleep(50);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.workers) slot.worker.close();
  }

  private async spawn(index: number): Promise<PooledWorker> {
    const { workerBin, listenIp, announcedAddress, portBase, socketBufferBytes } = this.settings;
    const buffers = socketBufferBytes ? { sendBufferSize: socketBufferBytes, recvBufferSize: socketBufferBytes } : {};
    const worker = await withoutSignalListeners(() => createWorker({ workerBin, logLevel: 'warn', appData: { index } }));
    const port = portBase + index;
    try {
      const webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ip: listenIp, announcedAddress, port, ...buffers },
          { protocol: 'tcp', ip: listenIp, announcedAddress, port, ...buffers },
        ],
      });
      const slot: PooledWorker = { index, worker, webRtcServer, meetings: 0 };
      worker.on('died', (error) => void this.onDied(slot, error));
      this.log.info({ worker: index, pid: worker.pid, port }, 'mediasoup worker ready');
      return slot;
    } catch (error) {
      worker.close();
      throw error;
    }
  }

  private async onDied(dead: PooledWorker, error: Error): Promise<void> {
    if (this.closed || this.slots[dead.index] !== dead) return;
    this.slots[dead.index] = undefined;
    this.log.error({ worker: dead.index, pid: dead.worker.pid, err: error.message }, 'mediasoup worker died; replacing it');
    this.emit('workerDied', dead);
    for (const delay of respawnDelaysMs) {
      await sleep(delay);
      if (this.closed) return;
      try {
        const replacement = await this.spawn(dead.index);
        this.slots[dead.index] = replacement;
        this.emit('workerReplaced', replacement);
        return;
      } catch (spawnError) {
        this.log.error({ worker: dead.index, err: (spawnError as Error).message }, 'replacing the mediasoup worker failed');
      }
    }
    this.log.fatal({ worker: dead.index }, 'the mediasoup worker could not be replaced; the node runs with fewer workers');
  }
}

const shutdownSignals = ['SIGINT', 'SIGTERM'] as const;

/**
 * mediasoup (3.27) closes every worker as soon as the process gets SIGINT or SIGTERM, which would
 * cut every meeting before a drain could begin. The node decides when its workers close (see
 * main.ts), so the listeners createWorker adds are removed again.
 */
async function withoutSignalListeners<T>(create: () => Promise<T>): Promise<T> {
  const before = new Map(shutdownSignals.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return await create();
  } finally {
    for (const signal of shutdownSignals) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
}
