import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Namespace, Server } from 'socket.io';
import type { AuditLog } from '../audit/AuditLog';
import { RateLimitedError, type AccessLimits } from '../auth/AccessLimits';
import { credentialMissing, deviceIdSchema, type DeviceCredentials, type VerifiedDevice } from '../auth/DeviceCredentials';
import { DEVICE_NAMESPACE, type DeviceClientEvents, type DeviceServerEvents } from '../protocol';
import { deviceHandshakeSchema } from '../protocol/schemas';
import { SignalingError } from '../SignalingError';
import { deviceCredentialChannel } from '../store/keys';
import { deviceAssignmentChannel, type DeviceAssignments } from './DeviceAssignments';
import { checkProtocolVersion, isAuthenticationFailure } from './MeetingGate';
import { errorBody } from './MeetingNamespace';
import { deviceRoomOf } from './rooms';

interface DeviceSocketData {
  device: VerifiedDevice;
}

export type DeviceNamespaceServer = Namespace<DeviceClientEvents, DeviceServerEvents, Record<string, never>, DeviceSocketData>;

export interface DeviceChannelDeps {
  credentials: DeviceCredentials;
  assignments: DeviceAssignments;
  limits: AccessLimits;
  audit: AuditLog;
  log: Logger;
  /** Called on this instance whenever a device's assignment or credential changed anywhere. */
  onDeviceChanged: (deviceId: string) => Promise<void>;
}

/**
 * The device channel: a station seat terminal or booth kiosk connects with its credential and
 * hears its current assignment at once and every change live. Changes come from any process
 * through Redis pub/sub (the booking domain writes assignments; an admin rotates or revokes
 * credentials); each instance pushes them to its own connected devices.
 */
export class DeviceChannel {
  readonly nsp: DeviceNamespaceServer;

  constructor(
    io: Server,
    private readonly deps: DeviceChannelDeps,
  ) {
    this.nsp = io.of(DEVICE_NAMESPACE) as unknown as DeviceNamespaceServer;
    this.nsp.use((socket, next) => {
      const ip = socket.handshake.address;
      this.authenticate(socket.handshake.auth, ip).then(
        async (device) => {
          socket.data.device = device;
          await deps.audit.record({ type: 'admitted', channel: 'device', deviceId: device.deviceId, ip });
          next();
        },
        async (error: unknown) => {
          const body = errorBody(error, deps.log);
          if (!(error instanceof RateLimitedError) || error.crossed) {
            await deps.audit.record({ type: error instanceof RateLimitedError ? 'rate_limited' : 'refused', channel: 'device', code: body.code, ip });
          }
          deps.log.info({ code: body.code, ip }, 'device connection refused');
          next(Object.assign(new Error(body.message), { data: body }));
        },
      );
    });
    this.nsp.on('connection', (socket) => {
      const { deviceId } = socket.data.device;
      void socket.join(deviceRoomOf(deviceId));
      void this.pushAssignment(deviceId, socket.id);
    });
  }

  /** Listen for assignment and credential changes on a dedicated subscriber connection. */
  async listen(subscriber: Redis): Promise<void> {
    subscriber.on('message', (channel: string, deviceId: string) => {
      if (!deviceIdSchema.safeParse(deviceId).success) return;
      const work = channel === deviceCredentialChannel ? this.onCredentialChanged(deviceId) : this.pushAssignment(deviceId);
      void work
        .then(() => this.deps.onDeviceChanged(deviceId))
        .catch((error: unknown) => this.deps.log.error({ err: error, deviceId, channel }, 'handling a device change failed'));
    });
    await subscriber.subscribe(deviceAssignmentChannel, deviceCredentialChannel);
  }

  /** Ids of devices connected to the channel on any instance. */
  async onlineDeviceIds(): Promise<Set<string>> {
    const sockets = await this.nsp.fetchSockets();
    return new Set(sockets.map((socket) => socket.data.device.deviceId));
  }

  private async authenticate(auth: unknown, ip: string): Promise<VerifiedDevice> {
    const { limits, credentials, audit } = this.deps;
    await limits.admitAttempt(ip);
    try {
      checkProtocolVersion(auth);
      const credential = (auth as { credential?: unknown }).credential;
      if (credential === undefined || credential === '') throw credentialMissing();
      const parsed = deviceHandshakeSchema.safeParse(auth);
      if (!parsed.success) throw new SignalingError('BAD_REQUEST', 'the handshake must carry { protocol, credential } as bounded strings');
      return await credentials.verify(parsed.data.credential);
    } catch (error) {
      if (error instanceof SignalingError && isAuthenticationFailure(error.code) && (await limits.recordFailure(ip))) {
        await audit.record({ type: 'rate_limited', channel: 'device', ip });
      }
      throw error;
    }
  }

  /** Send the device's current assignment to its sockets on this instance (or to one socket). */
  private async pushAssignment(deviceId: string, socketId?: string): Promise<void> {
    const assignment = (await this.deps.assignments.current(deviceId)) ?? null;
    const sockets = await this.nsp.local.in(socketId ?? deviceRoomOf(deviceId)).fetchSockets();
    for (const socket of sockets) {
      socket.emit('assignment', { deviceId, kind: socket.data.device.kind, assignment, serverTime: Date.now() });
    }
  }

  /** The credential was rotated or revoked: drop this instance's connections that used the old one. */
  private async onCredentialChanged(deviceId: string): Promise<void> {
    const sockets = await this.nsp.local.in(deviceRoomOf(deviceId)).fetchSockets();
    for (const socket of sockets) {
      const stillValid = await this.deps.credentials.stillValid(deviceId, socket.data.device.credentialId).then(
        () => true,
        () => false,
      );
      if (!stillValid) socket.disconnect(true);
    }
  }
}
