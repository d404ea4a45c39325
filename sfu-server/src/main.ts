import { loadSfuConfig, sfuConfigSchema } from './config';
import { ControlServer } from './control/ControlServer';
import { EventPublisher } from './control/EventPublisher';
import { connectRedis } from './control/redisConnection';
import { NodeHeartbeat } from './control/NodeRegistry';
import { HealthSampler } from './health/HealthSampler';
import { createSfuMetrics } from './health/metrics';
import { MetricsServer } from './health/MetricsServer';
import { createLogger } from './logger';
import { MeetingService } from './meetings/MeetingService';
import { redactedConfig } from './control/redactedConfig';
import { WorkerPool } from './workers/WorkerPool';

const config = loadSfuConfig();
const log = createLogger(config.LOG_LEVEL).child({ node: config.SFU_NODE_ID });
const nodeId = config.SFU_NODE_ID;
log.info({ config: redactedConfig(sfuConfigSchema, config) }, 'sfu-server configuration');

const pool = await WorkerPool.start(
  {
    workerBin: config.MEDIASOUP_WORKER_BIN,
    workers: config.SFU_WORKERS,
    listenIp: config.SFU_LISTEN_IP,
    announcedAddress: config.SFU_ANNOUNCED_ADDRESS,
    portBase: config.SFU_PORT_BASE,
    socketBufferBytes: config.SFU_SOCKET_BUFFER_BYTES,
  },
  log,
);

const redisOptions = { maxRetriesPerRequest: 3, lazyConnect: false };
const publisher = connectRedis(config, redisOptions);
const subscriber = connectRedis(config, redisOptions);
const metrics = createSfuMetrics();
const meetings = new MeetingService(
  pool,
  {
    maxIncomingBitrate: config.SFU_MAX_INCOMING_BITRATE,
    initialAvailableOutgoingBitrate: config.SFU_INITIAL_OUTGOING_BITRATE,
    idleMeetingMs: config.SFU_IDLE_MEETING_MS,
  },
  new EventPublisher(nodeId, publisher, log),
  metrics,
  log,
);
meetings.start();
const control = new ControlServer(nodeId, subscriber, publisher, meetings.handlers, log, (op, outcome, ms) => {
  metrics.controlRequests.inc({ op, outcome });
  if (outcome === 'ok') metrics.controlSeconds.observe({ op }, ms / 1000);
});
const health = new HealthSampler(nodeId, pool, meetings, publisher, metrics, config.SFU_HEALTH_INTERVAL_MS, log);
const metricsServer = await MetricsServer.start(metrics.registry, config.SFU_METRICS_PORT);
const startedAt = Date.now();
const heartbeat = new NodeHeartbeat(publisher, config.SFU_HEARTBEAT_MS, () => ({
  nodeId,
  startedAt,
  draining: meetings.draining,
  address: { announced: config.SFU_ANNOUNCED_ADDRESS ?? config.SFU_LISTEN_IP, portBase: config.SFU_PORT_BASE },
  metricsPort: metricsServer.port,
  workers: pool.workers.length,
  workerLoad: pool.workers.map(({ index, worker, meetings: count }) => ({
    index,
    pid: worker.pid,
    meetings: count,
    cpuRatio: health.workers.find((w) => w.index === index && w.pid === worker.pid)?.cpuRatio ?? 0,
  })),
  meetings: meetings.meetingCount,
  consumers: meetings.consumerCount,
  mediaObjects: meetings.mediaObjectCount,
}));

await control.start();
await heartbeat.start();
health.start();
log.info({ workers: pool.workers.length, portBase: config.SFU_PORT_BASE, metricsPort: metricsServer.port }, 'sfu-server ready');

let stopping = false;
/**
 * SIGTERM drains: the heartbeat says `draining` at once (signaling places no new meeting here),
 * meetings with a seat connected run on until their seats leave or SFU_DRAIN_DEADLINE_MS, then the
 * node leaves the registry, closes what is left (seats are told to rejoin elsewhere) and exits 0.
 * SIGINT (or a second signal) does the same without waiting.
 */
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    meetings.hurryDrain();
    return;
  }
  stopping = true;
  const deadline = signal === 'SIGTERM' ? Date.now() + config.SFU_DRAIN_DEADLINE_MS : Date.now();
  log.info({ signal, occupied: meetings.occupiedCount, deadline: new Date(deadline).toISOString() }, 'sfu-server draining');
  const drained = meetings.drain(deadline);
  await heartbeat.beat().catch(() => undefined);
  const remaining = await drained;
  await heartbeat.stop(nodeId).catch(() => undefined);
  meetings.closeAll(remaining > 0 ? 'drain_deadline' : undefined);
  health.stop();
  await control.stop().catch(() => undefined);
  await metricsServer.close().catch(() => undefined);
  await pool.close();
  await new Promise((r) => setTimeout(r, 100)); // let the last events reach Redis
  publisher.disconnect();
  subscriber.disconnect();
  log.info({ remaining }, 'sfu-server stopped');
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
