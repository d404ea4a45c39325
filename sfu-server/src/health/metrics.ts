import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The node's Prometheus metrics. Labels are bounded: worker index, seat, kind, direction,
 * operation and error code; never a meeting id.
 */
export function createSfuMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'huijian_sfu_process_' });
  const metrics = {
    registry,
    meetings: new Gauge({ name: 'huijian_sfu_meetings', help: 'Meetings hosted, by worker', labelNames: ['worker'], registers: [registry] }),
    seatsPresent: new Gauge({ name: 'huijian_sfu_seats_present', help: 'Seats with at least one transport', registers: [registry] }),
    consumers: new Gauge({ name: 'huijian_sfu_consumers', help: 'Consumers, by kind', labelNames: ['kind'], registers: [registry] }),
    draining: new Gauge({ name: 'huijian_sfu_draining', help: '1 while the node drains', registers: [registry] }),
    workerCpu: new Gauge({ name: 'huijian_sfu_worker_cpu_ratio', help: 'Share of one core used by the worker over the last interval', labelNames: ['worker'], registers: [registry] }),
    workerRss: new Gauge({ name: 'huijian_sfu_worker_rss_bytes', help: 'Resident memory of the worker process', labelNames: ['worker'], registers: [registry] }),
    workerDeaths: new Counter({ name: 'huijian_sfu_worker_deaths_total', help: 'Worker processes that died', registers: [registry] }),
    meetingsRecreated: new Counter({ name: 'huijian_sfu_meetings_recreated_total', help: 'Meetings re-created after their worker died', registers: [registry] }),
    meetingsClosed: new Counter({ name: 'huijian_sfu_meetings_closed_total', help: 'Meetings closed, by reason', labelNames: ['reason'], registers: [registry] }),
    guardViolations: new Counter({
      name: 'huijian_sfu_guard_violations_total',
      help: 'ALARM: objects on a meeting router that the meeting did not create (the meeting was closed)',
      labelNames: ['violation'],
      registers: [registry],
    }),
    controlRequests: new Counter({ name: 'huijian_sfu_control_requests_total', help: 'Control requests answered, by operation and outcome', labelNames: ['op', 'outcome'], registers: [registry] }),
    controlSeconds: new Histogram({
      name: 'huijian_sfu_control_duration_seconds',
      help: 'Time to answer a control request',
      labelNames: ['op'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    forwardedPackets: new Counter({ name: 'huijian_sfu_forwarded_packets_total', help: 'RTP packets forwarded to seats, by kind', labelNames: ['kind'], registers: [registry] }),
    forwardedBytes: new Counter({ name: 'huijian_sfu_forwarded_bytes_total', help: 'RTP bytes forwarded to seats, by kind', labelNames: ['kind'], registers: [registry] }),
    streamBitrate: new Gauge({ name: 'huijian_sfu_bitrate_bps', help: 'Sum of stream bitrates, by direction (in = from seats, out = to seats) and kind', labelNames: ['direction', 'kind'], registers: [registry] }),
    streamFractionLost: new Histogram({
      name: 'huijian_sfu_stream_fraction_lost',
      help: 'Per-stream fraction lost, one observation per stream per health sample',
      labelNames: ['direction', 'kind'],
      buckets: [0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
      registers: [registry],
    }),
    streamRtt: new Histogram({
      name: 'huijian_sfu_stream_rtt_seconds',
      help: 'Per-stream round-trip time toward the receiving seat, one observation per stream per health sample',
      labelNames: ['kind'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6],
      registers: [registry],
    }),
    streamJitter: new Histogram({
      name: 'huijian_sfu_stream_jitter_seconds',
      help: 'Per-stream jitter, one observation per stream per health sample',
      labelNames: ['direction', 'kind'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2],
      registers: [registry],
    }),
    streamScore: new Histogram({
      name: 'huijian_sfu_stream_score',
      help: 'mediasoup stream score (0..10), one observation per stream per health sample',
      labelNames: ['direction', 'kind'],
      buckets: [0, 2, 4, 6, 8, 9, 10],
      registers: [registry],
    }),
  };
  return metrics;
}

export type SfuMetrics = ReturnType<typeof createSfuMetrics>;
