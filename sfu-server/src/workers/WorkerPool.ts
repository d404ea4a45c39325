import { EventEmitter } from 'node:events';
import { createWorker, type types as ms } from 'mediasoup';
import type { Logger } from 'pino';

export interface WorkerPoolSettings {
  workerBin: string;
  workers: number;
  listenIp: string;
  announcedAddress?: string | undefined;
  portBase: number;
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
  /** A worker died and has been replaced by `replacement` at the same index. */
  workerReplaced: [index: number, replacement: PooledWorker];
}

/** One mediasoup worker per core, each with one WebRtcServer (one UDP + one TCP port). */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly slots: PooledWorker[] = [];
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

  get workers(): readonly PooledWorker[] {
    return this.slots;
  }

  /** The worker with the fewest meetings. */
  leastLoaded(): PooledWorker {
    const [best] = [...this.slots].sort((a, b) => a.meetings - b.meetings || a.index - b.index);
    if (!best) throw new Error('worker pool is empty');
    return best;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) slot.worker.close();
  }

  private async spawn(index: number): Promise<PooledWorker> {
    const { workerBin, listenIp, announcedAddress, portBase } = this.settings;
    const worker = await createWorker({ workerBin, logLevel: 'warn', appData: { index } });
    const port = portBase + index;
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: [
        { protocol: 'udp', ip: listenIp, announcedAddress, port },
        { protocol: 'tcp', ip: listenIp, announcedAddress, port },
      ],
    });
    const slot: PooledWorker = { index, worker, webRtcServer, meetings: 0 };
    worker.on('died', (error) => void this.replace(slot, error));
    this.log.info({ worker: index, pid: worker.pid, port }, 'mediasoup worker ready');
    return slot;
  }

  private async replace(dead: PooledWorker, error: Error): Promise<void> {
    if (this.closed) return;
    this.log.error({ worker: dead.index, pid: dead.worker.pid, err: error.message }, 'mediasoup worker died; replacing it');
    const replacement = await this.spawn(dead.index);
    this.slots[dead.index] = replacement;
    this.emit('workerReplaced', dead.index, replacement);
  }
}
