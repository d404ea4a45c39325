import type { AddressInfo } from 'node:net';
import { connectRedis, ControlClient, NodeDirectory } from '@huijian/sfu-server/control';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server } from 'socket.io';
import { BookingTokens } from './auth/BookingTokens';
import { KeyRing } from './auth/KeyRing';
import { PersonAccounts } from './auth/PersonAccounts';
import { PersonSessions } from './auth/PersonSessions';
import { loadSignalingConfig, signalingConfigSchema } from './config';
import { demoRoutes, seedDemoMeeting } from './demo/DemoMeeting';
import { createHttpApp } from './http/app';
import { authRoutes } from './http/authRoutes';
import { createWebServer, tlsSettings } from './http/tlsServer';
import { createLogger } from './logger';
import { MeetingGate } from './meetings/MeetingGate';
import { mountMeetingNamespace } from './meetings/MeetingNamespace';
import { SfuPlacement } from './meetings/SfuPlacement';
import { TurnCredentials } from './meetings/TurnCredentials';
import { PendingWork } from './PendingWork';
import { redactedConfig } from './redactedConfig';
import { stopGracefullyOnSignals } from './shutdown';
import { MeetingStore } from './store/MeetingStore';

const config = loadSignalingConfig();
const log = createLogger(config.LOG_LEVEL);
log.info({ config: redactedConfig(signalingConfigSchema, config) }, 'signaling configuration');

const redis = connectRedis(config, { maxRetriesPerRequest: 3 });
const controlPublisher = redis;
const controlSubscriber = connectRedis(config, { maxRetriesPerRequest: 3 });
const adapterClient = connectRedis(config);

const keyRing = KeyRing.load(config.TOKEN_KEYS_DIR, { activeKid: config.TOKEN_ACTIVE_KID, autogenerate: config.TOKEN_KEYS_AUTOGENERATE });
const tokens = new BookingTokens(keyRing, config.TOKEN_ISSUER, config.TOKEN_AUDIENCE);
const meetings = new MeetingStore(redis);
const accounts = new PersonAccounts(redis);
const sessions = new PersonSessions(keyRing, config.TOKEN_ISSUER, config.SESSION_AUDIENCE, config.SESSION_LIFETIME_SECONDS);
const control = new ControlClient(controlPublisher, controlSubscriber, config.SFU_CALL_TIMEOUT_MS);
await control.start();
const placement = new SfuPlacement(new NodeDirectory(redis), control, meetings, log);
const gate = new MeetingGate(tokens, meetings, config.JOIN_LEAD_SECONDS * 1000);

let publicUrl = config.PUBLIC_URL ?? '';
const apiRoutes = [authRoutes(accounts, sessions)];
if (config.DEMO_MODE) {
  await seedDemoMeeting(meetings);
  apiRoutes.push(demoRoutes(meetings, tokens, () => publicUrl));
}
const app = createHttpApp({ clientsDir: config.CLIENTS_DIR, log, apiRoutes });
const { server: httpServer, scheme, reload: reloadTls } = createWebServer(app, tlsSettings(config), log);
process.on('SIGHUP', reloadTls);
const io = new Server(httpServer, {
  maxHttpBufferSize: config.MAX_MESSAGE_BYTES,
  serveClient: false,
  adapter: createAdapter(adapterClient),
});
const turn = config.TURN_URLS.length > 0
  ? {
      credentials: new TurnCredentials({ urls: config.TURN_URLS, secret: config.TURN_SECRET!, ttlSeconds: config.TURN_CREDENTIAL_TTL_SECONDS }),
      relayOnly: config.TURN_RELAY_ONLY,
    }
  : undefined;
const pending = new PendingWork();
mountMeetingNamespace(io, { gate, placement, control, meetings, log, turn, pending });

await new Promise<void>((resolve) => httpServer.listen(config.SIGNALING_PORT, config.SIGNALING_HOST, resolve));
const { port } = httpServer.address() as AddressInfo;
const listening = `${scheme}://${config.SIGNALING_HOST}:${port}`;
publicUrl ||= listening;
log.info({ url: publicUrl, listening, keyId: keyRing.activeKid, demo: config.DEMO_MODE }, 'signaling ready');

stopGracefullyOnSignals(
  {
    httpServer,
    io,
    pending,
    log,
    closers: [
      { name: 'control client', close: () => control.stop() },
      { name: 'redis', close: () => redis.quit() },
      { name: 'redis (control replies)', close: () => controlSubscriber.quit() },
      { name: 'redis (socket.io adapter)', close: () => adapterClient.quit() },
    ],
  },
  { drainTimeoutMs: config.SIGNALING_DRAIN_TIMEOUT_MS },
);
