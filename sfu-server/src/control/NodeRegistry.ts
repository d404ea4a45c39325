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

/**
 * Caller side: the live SFU nodes and a placement choice.
 *
 * A node is live while its heartbeat key exists **and** it is subscribed to its request channel.
 * The second test sees a killed node at once: Redis drops a dead process's subscriptions when its
 * connection closes, while the heartbeat key outlives it by up to three heartbeats.
 */
export class NodeDirectory {
  constructor(private readonly redis: Redis) {}

  async liveNodes(): Promise<SfuNodeStatus[]> {
    const ids = await this.redis.smembers(controlChannels.nodes);
    if (ids.length === 0) return [];
    const [raw, listening] = await Promise.all([this.redis.mget(ids.map((id) => controlChannels.nodeStatus(id))), this.listening(ids)]);
    const live: SfuNodeStatus[] = [];
    const stale: string[] = [];
    raw.forEach((value, i) => {
      if (!value) stale.push(ids[i]!);
      else if (listening.has(ids[i]!)) live.push(JSON.parse(value) as SfuNodeStatus);
    });
    if (stale.length > 0) await this.redis.srem(controlChannels.nodes, ...stale);
    return live;
  }

  async isLive(nodeId: string): Promise<boolean> {
    const [exists, listening] = await Promise.all([this.redis.exists(controlChannels.nodeStatus(nodeId)), this.listening([nodeId])]);
    return exists === 1 && listening.has(nodeId);
  }

  /** The registered node ids (heartbeat present or not yet pruned). */
  async registeredNodes(): Promise<string[]> {
    return this.redis.smembers(controlChannels.nodes);
  }

  /** Of `nodeIds`, those with a subscriber on their request channel (`PUBSUB NUMSUB`). */
  async listening(nodeIds: string[]): Promise<Set<string>> {
    if (nodeIds.length === 0) return new Set();
    const reply = (await this.redis.pubsub('NUMSUB', ...nodeIds.map((id) => controlChannels.requests(id)))) as (string | number)[];
    const listening = new Set<string>();
    nodeIds.forEach((id, i) => {
      if (Number(reply[2 * i + 1]) > 0) listening.add(id);
    });
    return listening;
  }

  /** The non-draining node with the lowest load, or undefined when none is live. */
  async leastLoaded(): Promise<SfuNodeStatus | undefined> {
    const candidates = (await this.liveNodes()).filter((n) => !n.draining);
    candidates.sort((a, b) => a.meetings / a.workers - b.meetings / b.workers || a.mediaObjects - b.mediaObjects);
    return candidates[0];
  }
}
