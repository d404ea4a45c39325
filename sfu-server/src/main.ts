import { loadSfuConfig, sfuConfigSchema } from './config';
import { ControlServer } from './control/ControlServer';
import { connectRedis } from './control/redisConnection';
import { NodeHeartbeat } from './control/NodeRegistry';
import { createLogger } from './logger';
import { MeetingService } from './meetings/MeetingService';
import { redactedConfig } from './redactedConfig';
import { WorkerPool } from './workers/WorkerPool';

const config = loadSfuConfig();
const log = createLogger(config.LOG_LEVEL).child({ node: config.SFU_NODE_ID });
log.info({ config: redactedConfig(sfuConfigSchema, config) }, 'sfu-server configuration');

const pool = await WorkerPool.start(
  {
    workerBin: config.MEDIASOUP_WORKER_BIN,
    workers: config.SFU_WORKERS,
    listenIp: config.SFU_LISTEN_IP,
    announcedAddress: config.SFU_ANNOUNCED_ADDRESS,
    portBase: config.SFU_PORT_BASE,
  },
  log,
);
const meetings = new MeetingService(
  pool,
  { maxIncomingBitrate: config.SFU_MAX_INCOMING_BITRATE, initialAvailableOutgoingBitrate: config.SFU_INITIAL_OUTGOING_BITRATE },
  log,
);

const redisOptions = { maxRetriesPerRequest: 3, lazyConnect: false };
const publisher = connectRedis(config, redisOptions);
const subscriber = connectRedis(config, redisOptions);
const control = new ControlServer(config.SFU_NODE_ID, subscriber, publisher, meetings.handlers, log);
const startedAt = Date.now();
const heartbeat = new NodeHeartbeat(publisher, config.SFU_HEARTBEAT_MS, () => ({
  nodeId: config.SFU_NODE_ID,
  startedAt,
  draining: meetings.draining,
  workers: pool.workers.length,
  meetings: meetings.meetingCount,
  mediaObjects: meetings.mediaObjectCount,
}));

await control.start();
await heartbeat.start();
log.info({ workers: pool.workers.length, portBase: config.SFU_PORT_BASE }, 'sfu-server ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'sfu-server stopping');
  await heartbeat.stop(config.SFU_NODE_ID).catch(() => undefined);
  await control.stop().catch(() => undefined);
  meetings.closeAll();
  await pool.close();
  publisher.disconnect();
  subscriber.disconnect();
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
