import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { controlChannels } from './channels';
import type { NodeEvent } from './events';

type Unstamped<E> = E extends NodeEvent ? Omit<E, 'nodeId' | 'at'> : never;

/** SFU side: publishes this node's events (stamped with node id and time) on the events channel. */
export class EventPublisher {
  constructor(
    private readonly nodeId: string,
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  publish(event: Unstamped<NodeEvent>): void {
    const stamped = { ...event, nodeId: this.nodeId, at: Date.now() } as NodeEvent;
    this.log.info({ event: stamped }, `node event ${stamped.type}`);
    this.redis.publish(controlChannels.events, JSON.stringify(stamped)).catch((error: unknown) => {
      this.log.error({ err: error, type: stamped.type }, 'publishing a node event failed');
    });
  }
}
