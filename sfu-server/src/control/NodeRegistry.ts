import type { Redis } from 'ioredis';
import { controlChannels } from './channels';

/** One worker's load, as the heartbeat reports it. */
export interface SfuWorkerLoad {
  index: number;
  pid: number;
  meetings: number;
  /** Share of one core used over the last health interval (0 until the first sample). */
  cpuRatio: number;
}

/** What an SFU node says about itself on every heartbeat. Numbers only. */
export interface SfuNodeStatus {
  nodeId: string;
  startedAt: number;
  heartbeatAt: number;
  draining: boolean;
  /** Where clients reach the node's WebRtcServers: worker i listens on portBase + i (UDP and TCP). */
  address: { announced: string; portBase: number };
  /** Where the node's Prometheus metrics are served (127.0.0.1 only), when enabled. */
  metricsPort?: number;
  workers: number;
  workerLoad: SfuWorkerLoad[];
  meetings: number;
  consumers: number;
  /** Transports + producers + consumers across all meetings: a finer load figure than meetings. */
  mediaObjects: number;
}

/** SFU side: keep this node's status alive in Redis. */
export class NodeHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly intervalMs: number,
    private readonly readStatus: () => Omit<SfuNodeStatus, 'heartbeatAt'>,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  async beat(): Promise<void> {
    const status: SfuNodeStatus = { ...this.readStatus(), heartbeatAt: Date.now() };
    await this.redis
      .multi()
      .sadd(controlChannels.nodes, status.nodeId)
      .set(controlChannels.nodeStatus(status.nodeId), JSON.stringify(status), 'PX', this.intervalMs * 3)
      .exec();
  }

  async stop(nodeId: string): Promise<void> {
    clearInterval(this.timer);
    await this.redis.multi().srem(controlChannels.nodes, nodeId).del(controlChannels.nodeStatus(nodeId)).exec();
  }
}

/** Caller side: the live SFU nodes and a placement choice. */
export class NodeDirectory {
  constructor(private readonly redis: Redis) {}

  async liveNodes(): Promise<SfuNodeStatus[]> {
    const ids = await this.redis.smembers(controlChannels.nodes);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(ids.map((id) => controlChannels.nodeStatus(id)));
    const live: SfuNodeStatus[] = [];
    const stale: string[] = [];
    raw.forEach((value, i) => {
      if (value) live.push(JSON.parse(value) as SfuNodeStatus);
      else stale.push(ids[i]!);
    });
    if (stale.length > 0) await this.redis.srem(controlChannels.nodes, ...stale);
    return live;
  }

  async isLive(nodeId: string): Promise<boolean> {
    return (await this.redis.exists(controlChannels.nodeStatus(nodeId))) === 1;
  }

  /** The non-draining node with the lowest load, or undefined when none is live. */
  async leastLoaded(): Promise<SfuNodeStatus | undefined> {
    const candidates = (await this.liveNodes()).filter((n) => !n.draining);
    candidates.sort((a, b) => a.meetings / a.workers - b.meetings / b.workers || a.mediaObjects - b.mediaObjects);
    return candidates[0];
  }
}
