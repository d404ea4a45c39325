import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlClient, NodeDirectory } from '@huijian/sfu-server/control';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { AuditLog } from './audit/AuditLog';
import { AccessLimits } from './auth/AccessLimits';
import { BookingTokens } from './auth/BookingTokens';
import { DeviceCredentials } from './auth/DeviceCredentials';
import { KeyRing } from './auth/KeyRing';
import { PersonAccounts } from './auth/PersonAccounts';
import { PersonSessions } from './auth/PersonSessions';
import { TokenRevocations } from './auth/TokenRevocations';
import { loadSignalingConfig } from './config';
import { demoRoutes, seedDemoMeeting } from './demo/DemoMeeting';
import { createHttpApp } from './http/app';
import { auditRoutes } from './http/auditRoutes';
import { authRoutes } from './http/authRoutes';
import { deviceRoutes } from './http/deviceRoutes';
import { privacyRoutes } from './http/privacyRoutes';
import { originAllowed } from './http/originPolicy';
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
import { SfuPlacement } from './meetings/SfuPlacement';
import { RedisSlotExtension } from './meetings/SlotExtension';
import { MeetingStore } from './store/MeetingStore';
import { PrivacyLedger } from './store/PrivacyLedger';

const config = loadSignalingConfig();
const log = createLogger(config.LOG_LEVEL).child({ instance: config.INSTANCE_ID });

const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const controlSubscriber = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const deviceSubscriber = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const adapterClient = new Redis(config.REDIS_URL);

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

const ledger = new PrivacyLedger(redis, config.RECEIPT_RETENTION_DAYS * 86_400_000);
const policies = new EncryptionPolicies(redis, credentials, audit, config.E2EE_POLICY_DEFAULT);
const alarm = new ConfidentialityAlarm(redis, log);
const receipts = new PrivacyReceipts(ledger, meetings, audit, alarm, log);

let publicUrl = config.PUBLIC_URL ?? '';
const ownOrigins = () => (publicUrl ? [new URL(publicUrl).origin] : []);

const apiRoutes = [
  authRoutes(accounts, sessions, limits, audit),
  // `devices` is the device channel below; only read when a request comes in.
  deviceRoutes({ credentials, sessions, audit, onlineDeviceIds: () => devices.onlineDeviceIds() }),
  auditRoutes(audit, sessions),
  privacyRoutes({ receipts, policies, meetings, credentials, sessions, limits }),
];
if (config.DEMO_MODE) {
  const terminals = await seedDemoMeeting({ meetings, credentials, assignments, tokens, joinLeadMs });
  apiRoutes.push(demoRoutes(terminals, () => publicUrl));
}
const app = createHttpApp({ clientsDir: config.CLIENTS_DIR, log, apiRoutes, corsOrigins: config.CORS_ORIGINS, ownOrigins });
const httpServer = createServer(app);
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
  onEnded: (meetingId, end) => receipts.seal(meetingId, end),
});
const keyRelay = new KeyRelay({ ledger, policies, audit, alarm, control, endMeeting: (meetingId, reason) => lifetime.end(meetingId, reason), log });
mountMeetingNamespace(io, { gate, placement, control, meetings, limits, audit, lifetime, keyRelay, maxEventBytes: config.MAX_EVENT_BYTES, log });
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
publicUrl ||= `http://${config.SIGNALING_HOST}:${port}`;
log.info({ url: publicUrl, keyId: keyRing.activeKid, demo: config.DEMO_MODE }, 'signaling ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'signaling stopping');
  lifetime.stop();
  io.close();
  await control.stop().catch(() => undefined);
  for (const client of [redis, controlSubscriber, deviceSubscriber, adapterClient]) client.disconnect();
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
