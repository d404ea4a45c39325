import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Signaling's Prometheus metrics (`huijian_signaling_*`, next to the SFU's `huijian_sfu_*`).
 * Labels are bounded: outcome, refusal code, role, rule, severity, direction, state. Never a
 * meeting, device or person. Per-meeting detail is in the ops feed.
 */
export function createSignalingMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'huijian_signaling_process_' });
  return {
    registry,
    meetingsActive: new Gauge({
      name: 'huijian_signaling_meetings_active',
      help: 'Meetings on the SFU nodes with at least one seat connected (every instance sees all: aggregate with max)',
      registers: [registry],
    }),
    directions: new Gauge({
      name: 'huijian_signaling_meeting_directions',
      help: 'Meeting directions by derived health state (every instance sees all: aggregate with max)',
      labelNames: ['direction', 'state'],
      registers: [registry],
    }),
    joins: new Counter({
      name: 'huijian_signaling_joins_total',
      help: 'Meeting connections admitted or refused by this instance; reason is the refusal code (ok when admitted)',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    }),
    firstFrame: new Histogram({
      name: 'huijian_signaling_join_first_frame_seconds',
      help: "From a seat's join (or the peer camera's arrival, if later) to its first decoded frame, as the client reports it",
      labelNames: ['role'],
      buckets: [0.25, 0.5, 1, 1.5, 2, 3, 5, 8, 13, 20],
      registers: [registry],
    }),
    clientReports: new Counter({
      name: 'huijian_signaling_client_health_reports_total',
      help: 'Client health reports received by this instance, by outcome (accepted, refused)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    alertsActive: new Gauge({
      name: 'huijian_signaling_alerts_active',
      help: 'Alerts raised and not cleared, by rule and severity',
      labelNames: ['rule', 'severity'],
      registers: [registry],
    }),
    alertsRaised: new Counter({
      name: 'huijian_signaling_alerts_raised_total',
      help: 'Alerts this instance raised (one instance raises each), by rule and severity',
      labelNames: ['rule', 'severity'],
      registers: [registry],
    }),
    alertDeliveryFailures: new Counter({
      name: 'huijian_signaling_alert_delivery_failures_total',
      help: 'Alert raises or clears the sender could not deliver',
      labelNames: ['sender'],
      registers: [registry],
    }),
    opsConnections: new Gauge({ name: 'huijian_signaling_ops_connections', help: 'Ops dashboards connected to this instance', registers: [registry] }),
  };
}

export type SignalingMetrics = ReturnType<typeof createSignalingMetrics>;
