import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlClient, NodeDirectory } from '@huijian/sfu-server/control';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { BookingTokens } from './auth/BookingTokens';
import { KeyRing } from './auth/KeyRing';
import { PersonAccounts } from './auth/PersonAccounts';
import { PersonSessions } from './auth/PersonSessions';
import { loadSignalingConfig } from './config';
import { demoRoutes, seedDemoMeeting } from './demo/DemoMeeting';
import { createHttpApp } from './http/app';
import { authRoutes } from './http/authRoutes';
import { createLogger } from './logger';
import { MeetingGate } from './meetings/MeetingGate';
import { mountMeetingNamespace } from './meetings/MeetingNamespace';
import { SfuEventRelay } from './meetings/SfuEventRelay';
import { SfuNodeWatch } from './meetings/SfuNodeWatch';
import { SfuPlacement } from './meetings/SfuPlacement';
import { MeetingStore } from './store/MeetingStore';

const config = loadSignalingConfig();
const log = createLogger(config.LOG_LEVEL);

const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const controlPublisher = redis;
const controlSubscriber = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const adapterClient = new Redis(config.REDIS_URL);

const keyRing = KeyRing.load(config.TOKEN_KEYS_DIR, { activeKid: config.TOKEN_ACTIVE_KID, autogenerate: config.TOKEN_KEYS_AUTOGENERATE });
const tokens = new BookingTokens(keyRing, config.TOKEN_ISSUER, config.TOKEN_AUDIENCE);
const meetings = new MeetingStore(redis);
const accounts = new PersonAccounts(redis);
const sessions = new PersonSessions(keyRing, config.TOKEN_ISSUER, config.SESSION_AUDIENCE, config.SESSION_LIFETIME_SECONDS);
const control = new ControlClient(controlPublisher, controlSubscriber, config.SFU_CALL_TIMEOUT_MS);
await control.start();
const nodeDirectory = new NodeDirectory(redis);
const placement = new SfuPlacement(nodeDirectory, control, meetings, log);
const gate = new MeetingGate(tokens, meetings, config.JOIN_LEAD_SECONDS * 1000);

let publicUrl = config.PUBLIC_URL ?? '';
const apiRoutes = [authRoutes(accounts, sessions)];
if (config.DEMO_MODE) {
  await seedDemoMeeting(meetings);
  apiRoutes.push(demoRoutes(meetings, tokens, () => publicUrl));
}
const app = createHttpApp({ clientsDir: config.CLIENTS_DIR, log, apiRoutes });
const httpServer = createServer(app);
const io = new Server(httpServer, {
  maxHttpBufferSize: config.MAX_MESSAGE_BYTES,
  serveClient: false,
  adapter: createAdapter(adapterClient),
});
const meetingNamespace = mountMeetingNamespace(io, { gate, placement, control, meetings, log });
const sfuEvents = new SfuEventRelay(controlSubscriber, meetingNamespace, log);
await sfuEvents.start();
const nodeWatch = new SfuNodeWatch(redis, nodeDirectory, meetings, meetingNamespace, log, { intervalMs: config.SFU_NODE_WATCH_MS, settleMs: 5000 });
nodeWatch.start();

await new Promise<void>((resolve) => httpServer.listen(config.SIGNALING_PORT, config.SIGNALING_HOST, resolve));
const { port } = httpServer.address() as AddressInfo;
publicUrl ||= `http://${config.SIGNALING_HOST}:${port}`;
log.info({ url: publicUrl, keyId: keyRing.activeKid, demo: config.DEMO_MODE }, 'signaling ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'signaling stopping');
  io.close();
  nodeWatch.stop();
  await sfuEvents.stop().catch(() => undefined);
  await control.stop().catch(() => undefined);
  redis.disconnect();
  controlSubscriber.disconnect();
  adapterClient.disconnect();
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
