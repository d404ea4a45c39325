/** Redis names shared by the SFU nodes and their callers. */
const prefix = 'huijian:sfu';

export const controlChannels = {
  /** Pub/sub channel on which a node receives requests. */
  requests: (nodeId: string) => `${prefix}:rpc:${nodeId}`,
  /** Pub/sub channel on which a caller receives replies. */
  replies: (callerId: string) => `${prefix}:reply:${callerId}`,
  /** Pub/sub channel of node events (see events.ts): meeting re-created, guard violation, drain, ... */
  events: `${prefix}:events`,
  /** Pub/sub channel of health reports (see healthReport.ts): numbers only, for the ops feed. */
  health: `${prefix}:health`,
  /** The latest health report of one node, kept for late readers (PX a few intervals). */
  latestHealth: (nodeId: string) => `${prefix}:health:${nodeId}`,
  /** Set of node ids that have ever registered; stale members are pruned by readers. */
  nodes: `${prefix}:nodes`,
  /** Status of one node, kept alive by its heartbeat (PX). */
  nodeStatus: (nodeId: string) => `${prefix}:node:${nodeId}`,
} as const;
