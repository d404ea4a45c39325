import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { connectRedis, ControlClient, NodeDirectory, redactedConfig } from '@huijian/sfu-server/control';
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
import { createBookingModule } from './booking/BookingModule';
import { BookingPolicies } from './booking/BookingPolicy';
import { LogNoticeSender } from './booking/notices/LogNoticeSender';
import { WebhookNoticeSender } from './booking/notices/WebhookNoticeSender';
import { loadSignalingConfig, signalingConfigSchema } from './config';
import { seedDemoData } from './demo/DemoData';
import { provisionDemoTerminals } from './demo/DemoMeeting';
import { apiRoutes } from './http/apiRoutes';
import { createHttpApp } from './http/app';
import { originAllowed } from './http/originPolicy';
import { privacyRoutes } from './http/privacyRoutes';
import { createWebServer, tlsSettings } from './http/tlsServer';
import { createLogger } from './logger';
import { DeviceAssignments } from './meetings/DeviceAssignments';
import { ConfidentialityAlarm } from './meetings/ConfidentialityAlarm';
import { DeviceChannel } from './meetings/DeviceChannel';
import { EncryptionPolicies } from './meetings/EncryptionPolicies';
import { KeyRelay } from './meetings/KeyRelay';
import { MeetingGate } from './meetings/MeetingGate';
import { MeetingLifetime } from './meetings/MeetingLifetime';
import { mountMeetingNamespace } from './meetings/MeetingNamespace';
import { PrivacyReceipts } from './meetings/PrivacyReceipts';
import { SfuEventRelay } from './meetings/SfuEventRelay';
import { SfuNodeWatch } from './meetings/SfuNodeWatch';
import { SfuPlacement } from './meetings/SfuPlacement';
import { bookingPlaces } from './ops/bookingPlaces';
import { createOpsModule } from './ops/OpsModule';
import { TurnCredentials } from './meetings/TurnCredentials';
import { PendingWork } from './PendingWork';
import { stopGracefullyOnSignals } from './shutdown';
import { MeetingStore } from './store/MeetingStore';
import { PrivacyLedger } from './store/PrivacyLedger';

const config = loadSignalingConfig();
const log = createLogger(config.LOG_LEVEL).child({ instance: config.INSTANCE_ID });
log.info({ config: redactedConfig(signalingConfigSchema, config) }, 'signaling configuration');

const redis = connectRedis(config, { maxRetriesPerRequest: 3 });
const controlSubscriber = connectRedis(config, { maxRetriesPerRequest: 3 });
const deviceSubscriber = connectRedis(config, { maxRetriesPerRequest: 3 });
const adapterClient = connectRedis(config);
// The booking domain issues many small independent commands per request; auto-pipelining sends
// those of one tick in one write.
const bookingRedis = connectRedis(config, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
const opsSubscriber = connectRedis(config, { maxRetriesPerRequest: 3 });

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
const nodeDirectory = new NodeDirectory(redis);
const placement = new SfuPlacement(nodeDirectory, control, meetings, log);
const joinLeadMs = config.JOIN_LEAD_SECONDS * 1000;
const gate = new MeetingGate({ tokens, credentials, revocations, meetings, joinLeadMs });

const booking = createBookingModule({
  redis: bookingRedis,
  meetings,
  devices: assignments,
  tokens,
  accounts,
  policies: BookingPolicies.fromConfig(config.BOOKING_POLICIES, config.BOOKING_POLICIES_FILE),
  joinLeadMs,
  sender:
    config.NOTICE_SENDER === 'webhook'
      ? new WebhookNoticeSender({
          url: config.NOTICE_WEBHOOK_URL!,
          bearerToken: config.NOTICE_WEBHOOK_TOKEN,
          timeoutMs: config.NOTICE_WEBHOOK_TIMEOUT_MS,
          tries: config.NOTICE_WEBHOOK_TRIES,
          retryDelayMs: 200,
        })
      : new LogNoticeSender(log),
  dispatcher: { consumer: `${hostname()}-${process.pid}`, retryBaseMs: config.NOTICE_RETRY_BASE_MS, retryMaxMs: config.NOTICE_RETRY_MAX_MS },
  now: Date.now,
  log,
});

const ledger = new PrivacyLedger(redis, config.RECEIPT_RETENTION_DAYS * 86_400_000);
const policies = new EncryptionPolicies(redis, credentials, audit, config.E2EE_POLICY_DEFAULT);
const alarm = new ConfidentialityAlarm(redis, log);
const receipts = new PrivacyReceipts(ledger, meetings, audit, alarm, log);
// Live stream health for ops: the /ops feed, alerts, and /metrics (numbers only; no media route).
const ops = createOpsModule({ redis, subscriber: opsSubscriber, directory: nodeDirectory, meetings, sessions, places: bookingPlaces(booking.ctx), settings: config, log });

let publicUrl = config.PUBLIC_URL ?? '';
const ownOrigins = () => (publicUrl ? [new URL(publicUrl).origin] : []);
const demo = config.DEMO_MODE
  ? {
      terminals: await provisionDemoTerminals(
        meetings,
        credentials,
        await seedDemoData({ redis: bookingRedis, booking, accounts, password: config.DEMO_PASSWORD, log }),
      ),
      publicUrl: () => publicUrl,
    }
  : undefined;
const app = createHttpApp({
  clientsDir: config.CLIENTS_DIR,
  log,
  // `devices` is the device channel below; only read when a request comes in.
  apiRoutes: apiRoutes({
    accounts,
    sessions,
    limits,
    audit,
    credentials,
    onlineDeviceIds: () => devices.onlineDeviceIds(),
    assignments,
    meetings,
    booking,
    demo,
    confidentiality: privacyRoutes({ receipts, policies, meetings, credentials, sessions, limits }),
  }),
  corsOrigins: config.CORS_ORIGINS,
  ownOrigins,
});
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
  // The booking domain decides whether the next slot is free for the seat, the booth and both people.
  extension: booking.slotExtension,
  audit,
  redis,
  log,
  warningSeconds: config.SLOT_WARNING_SECONDS,
  recheckMs: config.MEETING_RECHECK_SECONDS * 1000,
  onEnded: (meetingId, end) => receipts.seal(meetingId, end),
});
const turn = config.TURN_URLS.length > 0
  ? {
      credentials: new TurnCredentials({ urls: config.TURN_URLS, secret: config.TURN_SECRET!, ttlSeconds: config.TURN_CREDENTIAL_TTL_SECONDS }),
      relayOnly: config.TURN_RELAY_ONLY,
    }
  : undefined;
const pending = new PendingWork();
const keyRelay = new KeyRelay({ ledger, policies, audit, alarm, control, endMeeting: (meetingId, reason) => lifetime.end(meetingId, reason), log });
const meetingNamespace = mountMeetingNamespace(io, { gate, placement, control, meetings, limits, audit, lifetime, keyRelay, maxEventBytes: config.MAX_EVENT_BYTES, log, turn, pending, ops: ops.meetingHooks });
ops.mount(io);
await ops.start();
// The SFU nodes' events (meeting re-created after a worker death, guard violation, drain deadline) reach the seats and the audit.
const sfuEvents = new SfuEventRelay({ subscriber: controlSubscriber, redis, nsp: meetingNamespace, audit, lifetime, log });
await sfuEvents.start();
// An SFU node killed without a word: its seats are told to rejoin, and land on a live node.
const nodeWatch = new SfuNodeWatch(redis, nodeDirectory, meetings, meetingNamespace, log, { intervalMs: config.SFU_NODE_WATCH_MS, settleMs: 5000 });
nodeWatch.start();
const devices = new DeviceChannel(io, {
  credentials,
  assignments,
  limits,
  audit,
  log,
  onDeviceChanged: (deviceId) => lifetime.recheckDevice(deviceId),
});
await devices.listen(deviceSubscriber);
await booking.start(config.BOOKING_CLOCK_INTERVAL_MS);

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
      { name: 'booking clock and outbox', close: () => booking.stop() },
      { name: 'SFU event relay', close: () => sfuEvents.stop() },
      { name: 'ops feed and metrics', close: () => ops.stop() },
      { name: 'SFU node watch', close: async () => nodeWatch.stop() },
      { name: 'control client', close: () => control.stop() },
      { name: 'redis', close: () => redis.quit() },
      { name: 'redis (booking)', close: () => bookingRedis.quit() },
      { name: 'redis (control replies)', close: () => controlSubscriber.quit() },
      { name: 'redis (device channel)', close: () => deviceSubscriber.quit() },
      { name: 'redis (socket.io adapter)', close: () => adapterClient.quit() },
      { name: 'redis (ops feed)', close: () => opsSubscriber.quit() },
    ],
  },
  { drainTimeoutMs: config.SIGNALING_DRAIN_TIMEOUT_MS },
);
