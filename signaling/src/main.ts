import type { AddressInfo } from 'node:net';
import { connectRedis, ControlClient, NodeDirectory } from '@huijian/sfu-server/control';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server } from 'socket.io';
import { AuditLog } from './audit/AuditLog';
import { AccessLimits } from './auth/AccessLimits';
import { BookingTokens } from './auth/BookingTokens';
import { DeviceCredentials } from './auth/DeviceCredentials';
import { KeyRing } from './auth/KeyRing';
import { PersonAccounts } from './auth/PersonAccounts';
import { PersonSessions } from './auth/PersonSessions';
import { TokenRevocations } from './auth/TokenRevocations';
import { loadSignalingConfig, signalingConfigSchema } from './config';
import { demoRoutes, seedDemoMeeting } from './demo/DemoMeeting';
import { createHttpApp } from './http/app';
import { auditRoutes } from './http/auditRoutes';
import { authRoutes } from './http/authRoutes';
import { deviceRoutes } from './http/deviceRoutes';
import { originAllowed } from './http/originPolicy';
import { createWebServer, tlsSettings } from './http/tlsServer';
import { createLogger } from './logger';
import { DeviceAssignments } from './meetings/DeviceAssignments';
import { DeviceChannel } from './meetings/DeviceChannel';
import { MeetingGate } from './meetings/MeetingGate';
import { MeetingLifetime } from './meetings/MeetingLifetime';
import { mountMeetingNamespace } from './meetings/MeetingNamespace';
import { SfuPlacement } from './meetings/SfuPlacement';
import { RedisSlotExtension } from './meetings/SlotExtension';
import { TurnCredentials } from './meetings/TurnCredentials';
import { PendingWork } from './PendingWork';
import { redactedConfig } from './redactedConfig';
import { stopGracefullyOnSignals } from './shutdown';
import { MeetingStore } from './store/MeetingStore';

const config = loadSignalingConfig();
const log = createLogger(config.LOG_LEVEL).child({ instance: config.INSTANCE_ID });
log.info({ config: redactedConfig(signalingConfigSchema, config) }, 'signaling configuration');

const redis = connectRedis(config, { maxRetriesPerRequest: 3 });
const controlSubscriber = connectRedis(config, { maxRetriesPerRequest: 3 });
const deviceSubscriber = connectRedis(config, { maxRetriesPerRequest: 3 });
const adapterClient = connectRedis(config);

const keyRing = KeyRing.load(config.TOKEN_KEYS_DIR, { activeKid: config.TOKEN_ACTIVE_KID, autogenerate: config.TOKEN_KEYS_AUTOGENERATE });
const tokens = new BookingTokens(keyRing, config.TOKEN_ISSUER, config.TOKEN_AUDIENCE);
const meetings = new MeetingStore(redis);
const accounts = new PersonAccounts(redis);
const sessions = new PersonSessions(keyRing, config.TOKEN_ISSUER, config.SESSION_AUDIENCE, config.SESSION_LIFETIME_SECONDS);
const credentials = new DeviceCredentials(redis);
const revocations = new TokenRevocations(redis);
const assignments = new DeviceAssignments(redis);
const audit = new AuditLog(redis, log, config.INSTANCE_ID, config.AUDIT_MAX_ENTRIES);
const limits = new AccessLimits(redis, {
  failedAuthPerIp: config.RATE_FAILED_AUTH_PER_IP,
  failedAuthPerDevice: config.RATE_FAILED_AUTH_PER_DEVICE,
  failedAuthWindowSeconds: config.RATE_FAILED_AUTH_WINDOW_SECONDS,
  failedAuthBlockSeconds: config.RATE_FAILED_AUTH_BLOCK_SECONDS,
  attemptsPerIp: config.RATE_ATTEMPTS_PER_IP,
  joinsPerDevice: config.RATE_JOINS_PER_DEVICE,
  attemptWindowSeconds: config.RATE_ATTEMPT_WINDOW_SECONDS,
});
const control = new ControlClient(redis, controlSubscriber, config.SFU_CALL_TIMEOUT_MS);
await control.start();
const placement = new SfuPlacement(new NodeDirectory(redis), control, meetings, log);
const joinLeadMs = config.JOIN_LEAD_SECONDS * 1000;
const gate = new MeetingGate({ tokens, credentials, revocations, meetings, joinLeadMs });
const extension = new RedisSlotExtension({
  meetings,
  assignments,
  tokens,
  joinLeadMs,
  stepMs: config.EXTENSION_SECONDS * 1000,
  maxMeetingMs: config.MAX_MEETING_SECONDS * 1000,
});

let publicUrl = config.PUBLIC_URL ?? '';
const ownOrigins = () => (publicUrl ? [new URL(publicUrl).origin] : []);

const apiRoutes = [
  authRoutes(accounts, sessions, limits, audit),
  // `devices` is the device channel below; only read when a request comes in.
  deviceRoutes({ credentials, sessions, audit, onlineDeviceIds: () => devices.onlineDeviceIds() }),
  auditRoutes(audit, sessions),
];
if (config.DEMO_MODE) {
  const terminals = await seedDemoMeeting({ meetings, credentials, assignments, tokens, joinLeadMs });
  apiRoutes.push(demoRoutes(terminals, () => publicUrl));
}
const app = createHttpApp({ clientsDir: config.CLIENTS_DIR, log, apiRoutes, corsOrigins: config.CORS_ORIGINS, ownOrigins });
const { server: httpServer, scheme, reload: reloadTls } = createWebServer(app, tlsSettings(config), log);
process.on('SIGHUP', reloadTls);
const io = new Server(httpServer, {
  maxHttpBufferSize: config.MAX_MESSAGE_BYTES,
  serveClient: false,
  adapter: createAdapter(adapterClient),
  // A dropped connection may come back with its rooms and missed events, but never past the gate.
  connectionStateRecovery: { maxDisconnectionDuration: config.RECOVERY_WINDOW_SECONDS * 1000, skipMiddlewares: false },
  cors: { origin: config.CORS_ORIGINS.length > 0 ? [...config.CORS_ORIGINS] : false },
  allowRequest: (req, callback) => callback(null, originAllowed(req.headers, ownOrigins(), config.CORS_ORIGINS)),
});
const lifetime = new MeetingLifetime({
  meetings,
  gate,
  control,
  extension,
  audit,
  redis,
  log,
  warningSeconds: config.SLOT_WARNING_SECONDS,
  recheckMs: config.MEETING_RECHECK_SECONDS * 1000,
});
const turn = config.TURN_URLS.length > 0
  ? {
      credentials: new TurnCredentials({ urls: config.TURN_URLS, secret: config.TURN_SECRET!, ttlSeconds: config.TURN_CREDENTIAL_TTL_SECONDS }),
      relayOnly: config.TURN_RELAY_ONLY,
    }
  : undefined;
const pending = new PendingWork();
mountMeetingNamespace(io, { gate, placement, control, meetings, limits, audit, lifetime, maxEventBytes: config.MAX_EVENT_BYTES, log, turn, pending });
const devices = new DeviceChannel(io, {
  credentials,
  assignments,
  limits,
  audit,
  log,
  onDeviceChanged: (deviceId) => lifetime.recheckDevice(deviceId),
});
await devices.listen(deviceSubscriber);

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
      { name: 'meeting lifetimes', close: async () => lifetime.stop() },
      { name: 'control client', close: () => control.stop() },
      { name: 'redis', close: () => redis.quit() },
      { name: 'redis (control replies)', close: () => controlSubscriber.quit() },
      { name: 'redis (device channel)', close: () => deviceSubscriber.quit() },
      { name: 'redis (socket.io adapter)', close: () => adapterClient.quit() },
    ],
  },
  { drainTimeoutMs: config.SIGNALING_DRAIN_TIMEOUT_MS },
);
