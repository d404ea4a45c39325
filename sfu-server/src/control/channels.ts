/** Redis names shared by the SFU nodes and their callers. */
const prefix = 'huijian:sfu';

export const controlChannels = {
  /** Pub/sub channel on which a node receives requests. */
  requests: (nodeId: string) => `${prefix}:rpc:${nodeId}`,
  /** Pub/sub channel on which a caller receives replies. */
  replies: (callerId: string) => `${prefix}:reply:${callerId}`,
  /** Pub/sub channel of node events (meeting reset, guard alarm, ...). */
  events: `${prefix}:events`,
  /** Set of node ids that have ever registered; stale members are pruned by readers. */
  nodes: `${prefix}:nodes`,
  /** Status of one node, kept alive by its heartbeat (PX). */
  nodeStatus: (nodeId: string) => `${prefix}:node:${nodeId}`,
} as const;
