/** Redis names of the ops feed (signaling owns them). */
const prefix = 'huijian:ops';

export const opsKeys = {
  /** Pub/sub: clients' health reports, relayed by the instance that holds the seat to every instance. */
  clientHealth: `${prefix}:client-health`,
  /** Pub/sub: alerts raised and cleared, so every instance's ops sockets hear them. */
  alerts: `${prefix}:alerts`,
  /** Hash alert key → alert JSON: the alerts raised now (one raise across instances). */
  activeAlerts: `${prefix}:alerts:active`,
  /** List of raised and cleared alerts, newest first, capped. */
  alertHistory: `${prefix}:alerts:history`,
} as const;
