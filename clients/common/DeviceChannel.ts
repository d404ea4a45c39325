import { io, type Socket } from 'socket.io-client';
import {
  DEVICE_NAMESPACE,
  PROTOCOL_VERSION,
  finalRefusalCodes,
  type DeviceAssignment,
  type DeviceClientEvents,
  type DeviceKind,
  type DeviceServerEvents,
  type ErrorBody,
} from '@huijian/signaling/protocol';
import { Emitter } from './Emitter';

export type DeviceChannelEvents = {
  /** The device's current assignment (null: none), with the server's clock offset (server − local, ms). */
  assignment: [assignment: DeviceAssignment | null, info: { kind: DeviceKind; clockSkewMs: number }];
  /** The credential was refused for good (revoked, invalid, outdated page). */
  refused: [error: ErrorBody];
  connected: [connected: boolean];
};

/**
 * The terminal's line to the device channel: it presents the device credential and hears the
 * device's assignment at once and whenever it changes. Reconnects by itself; no UI here.
 */
export class DeviceChannel extends Emitter<DeviceChannelEvents> {
  private readonly socket: Socket<DeviceServerEvents, DeviceClientEvents>;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(credential: string, origin = location.origin) {
    super();
    this.socket = io(`${origin}${DEVICE_NAMESPACE}`, {
      auth: { protocol: PROTOCOL_VERSION, credential },
      transports: ['websocket'],
      autoConnect: false,
    });
  }

  start(): void {
    this.socket.on('connect', () => this.emit('connected', true));
    this.socket.on('disconnect', () => this.emit('connected', false));
    this.socket.on('assignment', ({ assignment, kind, serverTime }) => this.emit('assignment', assignment, { kind, clockSkewMs: serverTime - Date.now() }));
    this.socket.on('connect_error', (error: Error & { data?: ErrorBody }) => {
      const body = error.data;
      if (body && finalRefusalCodes.has(body.code)) {
        this.emit('refused', body);
        return;
      }
      // A refusal by the server (rate limit) is not retried by Socket.IO itself; transport errors are.
      if (!this.socket.active) this.retry = setTimeout(() => this.socket.connect(), body?.code === 'RATE_LIMITED' ? 30_000 : 5000);
    });
    this.socket.connect();
  }

  stop(): void {
    clearTimeout(this.retry);
    this.socket.disconnect();
  }
}
