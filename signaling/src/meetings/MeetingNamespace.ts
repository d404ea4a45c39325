import { ControlError, type ControlClient, type ControlRequest, type Seat } from '@huijian/sfu-server/control';
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import type { AuditLog } from '../audit/AuditLog';
import { RateLimitedError, type AccessLimits } from '../auth/AccessLimits';
import {
  closeProducerSchema,
  confirmCodeSchema,
  connectTransportSchema,
  consumeSchema,
  createTransportSchema,
  e2eeMessageSchema,
  e2eeStatusSchema,
  endMeetingSchema,
  extendMeetingSchema,
  joinSchema,
  leaveSchema,
  pauseConsumerSchema,
  produceSchema,
  requestKeyFrameSchema,
  restartIceSchema,
  resumeConsumerSchema,
  setConsumerPreferencesSchema,
} from '../protocol/schemas';
import {
  MEETING_NAMESPACE,
  type Ack,
  type ErrorBody,
  type JoinResult,
  type MeetingClientEvents,
  type MeetingServerEvents,
} from '../protocol';
import { SignalingError } from '../SignalingError';
import type { MeetingStore } from '../store/MeetingStore';
import type { PendingWork } from '../PendingWork';
import type { KeyRelay } from './KeyRelay';
import { isAuthenticationFailure, type Admission, type GateTrace, type MeetingGate } from './MeetingGate';
import type { MeetingLifetime } from './MeetingLifetime';
import { deviceRoomOf, roomOf } from './rooms';
import type { SfuPlacement } from './SfuPlacement';
import type { TurnCredentials } from './TurnCredentials';

interface SocketData {
  admission: Admission;
  /** SFU node of the meeting, once joined. */
  nodeId?: string;
}

type MeetingSocket = Socket<MeetingClientEvents, MeetingServerEvents, Record<string, never>, SocketData>;
export type MeetingNamespaceServer = Namespace<MeetingClientEvents, MeetingServerEvents, Record<string, never>, SocketData>;

export interface MeetingNamespaceDeps {
  gate: MeetingGate;
  placement: SfuPlacement;
  control: ControlClient;
  meetings: MeetingStore;
  limits: AccessLimits;
  audit: AuditLog;
  lifetime: MeetingLifetime;
  /** The key-exchange relay and confidentiality facts (end-to-end encryption). */
  keyRelay: KeyRelay;
  /** Largest payload of one event, bytes (the transport's own limit is larger and closes the connection). */
  maxEventBytes: number;
  log: Logger;
  /** TURN credentials handed out in the join result, when TURN is configured; `relayOnly` forces media through TURN. */
  turn?: { credentials: TurnCredentials; relayOnly: boolean } | undefined;
  /** Seat releases after a disconnect, which a graceful shutdown waits for. */
  pending?: PendingWork;
}

/**
 * The meeting protocol: the gate on every connection (connection-state recovery included, since
 * the server runs with `skipMiddlewares: false`), then the media negotiation of one seat.
 */
export function mountMeetingNamespace(io: Server, deps: MeetingNamespaceDeps): MeetingNamespaceServer {
  const nsp = io.of(MEETING_NAMESPACE) as unknown as MeetingNamespaceServer;
  const { gate, limits, audit, log } = deps;
  deps.lifetime.attach(nsp);

  async function admitConnection(auth: unknown, ip: string, trace: GateTrace): Promise<Admission> {
    await limits.admitAttempt(ip);
    try {
      const identified = await gate.identify(auth, trace);
      await limits.admitDevice(identified.device.deviceId);
      return await gate.admit(identified, trace);
    } catch (error) {
      if (error instanceof SignalingError && isAuthenticationFailure(error.code)) {
        const crossed = await limits.recordFailure(ip, trace.deviceId);
        if (crossed) await audit.record({ type: 'rate_limited', channel: 'meeting', ip, deviceId: trace.deviceId });
      }
      throw error;
    }
  }

  nsp.use((socket, next) => {
    const ip = socket.handshake.address;
    const trace: GateTrace = {};
    admitConnection(socket.handshake.auth, ip, trace).then(
      async (admission) => {
        socket.data.admission = admission;
        const { meetingId, role, deviceId, bookingId, tokenId } = admission;
        await audit.record({ type: 'admitted', channel: 'meeting', meetingId, role, deviceId, bookingId, tokenId, ip });
        next();
      },
      async (error: unknown) => {
        const body = errorBody(error, log);
        const quiet = error instanceof RateLimitedError && !error.crossed;
        if (error instanceof RateLimitedError && error.crossed) {
          await audit.record({ type: 'rate_limited', channel: 'meeting', ip, deviceId: trace.deviceId });
        } else if (!quiet) {
          await audit.record({ type: 'refused', channel: 'meeting', code: body.code, ip, ...trace });
        }
        log.info({ code: body.code, ip, ...trace }, 'meeting connection refused');
        next(Object.assign(new Error(body.message), { data: body }));
      },
    );
  });

  nsp.on('connection', (socket) => new SeatSession(nsp, socket, deps).attach());
  return nsp;
}

/** One admitted connection: a lawyer seat or a detainee booth in one meeting. */
class SeatSession {
  private readonly admission: Admission;
  private readonly log: Logger;
  private joined = false;

  constructor(
    private readonly nsp: MeetingNamespaceServer,
    private readonly socket: MeetingSocket,
    private readonly deps: MeetingNamespaceDeps,
  ) {
    this.admission = socket.data.admission;
    this.log = deps.log.child({ meetingId: this.admission.meetingId, role: this.admission.role, socket: socket.id });
  }

  private get seat(): Seat {
    return this.admission.role;
  }

  private get meetingId(): string {
    return this.admission.meetingId;
  }

  attach(): void {
    const { socket } = this;
    // A recovered connection comes back in its old rooms; it is in no meeting until it joins again.
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    void socket.join(deviceRoomOf(this.admission.deviceId));
    this.log.info({ recovered: socket.recovered }, 'seat connected');
    this.on('join', joinSchema, () => this.join());
    this.on('createTransport', createTransportSchema, (p) => this.sfu('createTransport', { direction: p.direction }));
    this.on('connectTransport', connectTransportSchema, (p) => this.sfu('connectTransport', p));
    this.on('restartIce', restartIceSchema, (p) => this.sfu('restartIce', p));
    this.on('produce', produceSchema, async (p) => {
      const result = await this.sfu('produce', p);
      socket.to(roomOf(this.meetingId)).emit('peerProduced', { producerId: result.producerId, role: this.seat, kind: p.kind, source: p.source });
      return result;
    });
    this.on('closeProducer', closeProducerSchema, async (p) => {
      const result = await this.sfu('closeProducer', p);
      socket.to(roomOf(this.meetingId)).emit('peerProducerClosed', { producerId: p.producerId });
      return result;
    });
    this.on('consume', consumeSchema, (p) => this.sfu('consume', p));
    this.on('resumeConsumer', resumeConsumerSchema, (p) => this.sfu('resumeConsumer', p));
    this.on('pauseConsumer', pauseConsumerSchema, (p) => this.sfu('pauseConsumer', p));
    this.on('requestKeyFrame', requestKeyFrameSchema, (p) => this.sfu('requestKeyFrame', p));
    this.on('setConsumerPreferences', setConsumerPreferencesSchema, (p) => this.sfu('setConsumerPreferences', p));
    this.on('leave', leaveSchema, async () => {
      await this.leave();
      return { left: true as const };
    });
    this.on('endMeeting', endMeetingSchema, () => this.endMeeting());
    this.on('extendMeeting', extendMeetingSchema, () => this.extendMeeting());
    const relay = this.deps.keyRelay.forSeat({ socket, admission: this.admission, joined: () => this.joined, nodeId: () => socket.data.nodeId });
    this.on('e2eeMessage', e2eeMessageSchema, relay.message);
    this.on('e2eeStatus', e2eeStatusSchema, relay.status);
    this.on('confirmCode', confirmCodeSchema, relay.confirmCode);
    // An event nobody handles still gets an answer, if it asked for one.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (socket.listeners(event as keyof MeetingClientEvents).length > 0) return;
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (a: Ack<never>) => void)({ error: { code: 'BAD_REQUEST', message: `unknown event ${event.slice(0, 40)}` } });
    });
    socket.on('disconnect', (reason) => {
      this.log.info({ reason }, 'seat disconnected');
      const leaving = this.leave().catch((error: unknown) => this.log.warn({ err: error }, 'leaving the seat failed'));
      this.deps.pending?.track(leaving);
    });
  }

  private async join(): Promise<JoinResult> {
    const { deps, admission } = this;
    await deps.limits.admitJoin(admission.deviceId);
    // The handshake may be minutes old: check the meeting again before taking the seat.
    const meeting = await deps.gate.recheck(admission);
    const placed = await deps.placement.ensure(this.meetingId);
    this.socket.data.nodeId = placed.nodeId;
    if (await deps.meetings.endOf(this.meetingId)) {
      await deps.control.call(placed.nodeId, 'closeMeeting', { meetingId: this.meetingId, reason: 'ended' }).catch(() => undefined);
      throw new SignalingError('MEETING_ENDED', 'this meeting has ended');
    }
    const seat = await deps.meetings.takeSeat(this.meetingId, this.seat, { socketId: this.socket.id, deviceId: admission.deviceId });
    if (!seat.taken) throw new SignalingError('SEAT_TAKEN', `another terminal holds the ${this.seat} seat of this meeting`);
    if (seat.replaced) {
      this.log.warn({ replaced: seat.replaced.socketId }, 'the same device connected again; the older connection is closed');
      await deps.audit.record({ type: 'replaced', meetingId: this.meetingId, role: this.seat, deviceId: admission.deviceId, tokenId: admission.tokenId });
      this.nsp.to(seat.replaced.socketId).emit('meetingEnded', { reason: 'replaced' });
      this.nsp.in(seat.replaced.socketId).disconnectSockets(true);
    }
    if (seat.replaced || !this.joined) await deps.control.call(placed.nodeId, 'leaveSeat', { meetingId: this.meetingId, seat: this.seat });
    this.joined = true;
    await this.socket.join(roomOf(this.meetingId));
    deps.lifetime.watch(this.meetingId);
    const { producers } = await deps.control.call(placed.nodeId, 'listProducers', { meetingId: this.meetingId });
    const peerPresent = (await deps.meetings.seatHolder(this.meetingId, otherSeat(this.seat))) !== undefined;
    const policy = await deps.keyRelay.seatJoined(admission);
    this.socket.to(roomOf(this.meetingId)).emit('peerJoined', { role: this.seat });
    return {
      meetingId: this.meetingId,
      role: this.seat,
      slot: { startsAt: meeting.startsAt, endsAt: meeting.endsAt },
      serverTime: Date.now(),
      routerRtpCapabilities: placed.routerRtpCapabilities,
      peerProducers: producers.filter((p) => p.seat !== this.seat),
      peerPresent,
      iceServers: this.deps.turn ? [this.deps.turn.credentials.forMeeting(this.meetingId, meeting.endsAt)] : [],
      iceTransportPolicy: this.deps.turn?.relayOnly ? ('relay' as const) : ('all' as const),
      e2ee: { policy },
    };
  }

  private async endMeeting(): Promise<{ ended: true }> {
    if (!this.joined) throw new SignalingError('NOT_JOINED', 'join the meeting first');
    // Out of the room first: what the end tells the room is for the other side; this socket gets its ack.
    await this.socket.leave(roomOf(this.meetingId));
    await this.deps.lifetime.end(this.meetingId, this.seat === 'lawyer' ? 'ended_by_lawyer' : 'ended_by_detainee');
    // The ack goes out first; the server then closes this connection too.
    setImmediate(() => this.socket.disconnect(true));
    return { ended: true };
  }

  private async extendMeeting(): Promise<{ endsAt: number }> {
    if (!this.joined) throw new SignalingError('NOT_JOINED', 'join the meeting first');
    if (this.seat !== 'lawyer') throw new SignalingError('FORBIDDEN', 'only the lawyer may extend the meeting');
    return this.deps.lifetime.extend(this.meetingId);
  }

  private async leave(): Promise<void> {
    if (!this.joined) return;
    this.joined = false;
    await this.socket.leave(roomOf(this.meetingId));
    const held = await this.deps.meetings.releaseSeat(this.meetingId, this.seat, this.socket.id);
    if (!held) return;
    const nodeId = this.socket.data.nodeId;
    if (nodeId) await this.deps.control.call(nodeId, 'leaveSeat', { meetingId: this.meetingId, seat: this.seat });
    this.nsp.to(roomOf(this.meetingId)).emit('peerLeft', { role: this.seat });
  }

  /** Forward one operation of this seat to the meeting's SFU node. */
  private async sfu<
    Op extends
      | 'createTransport'
      | 'connectTransport'
      | 'restartIce'
      | 'produce'
      | 'closeProducer'
      | 'consume'
      | 'pauseConsumer'
      | 'resumeConsumer'
      | 'requestKeyFrame'
      | 'setConsumerPreferences',
  >(
    op: Op,
    payload: Omit<ControlRequest<Op>, 'meetingId' | 'seat'>,
  ) {
    const nodeId = this.socket.data.nodeId;
    if (!this.joined || !nodeId) throw new SignalingError('NOT_JOINED', 'join the meeting first');
    return this.deps.control.call(nodeId, op, { ...payload, meetingId: this.meetingId, seat: this.seat } as ControlRequest<Op>);
  }

  /** Register a handler whose payload is size-checked and validated and whose outcome always reaches the ack. */
  private on<E extends keyof MeetingClientEvents, P>(
    event: E,
    schema: ZodType<P>,
    handler: (payload: P) => Promise<unknown>,
  ): void {
    const listener = (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: Ack<unknown>) => void) : () => undefined;
      const size = payloadBytes(payload);
      if (size > this.deps.maxEventBytes) {
        reply({ error: { code: 'PAYLOAD_TOO_LARGE', message: `${event}: payloads are limited to ${this.deps.maxEventBytes} bytes` } });
        return;
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        reply({ error: { code: 'BAD_REQUEST', message: `${event}: ${first?.path.join('.') || 'payload'}: ${first?.message ?? 'invalid'}` } });
        return;
      }
      handler(parsed.data).then(
        (result) => reply(result as Ack<unknown>),
        (error: unknown) => reply({ error: errorBody(error, this.log) }),
      );
    };
    this.socket.on(event, listener as never);
  }
}

function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function otherSeat(seat: Seat): Seat {
  return seat === 'lawyer' ? 'detainee' : 'lawyer';
}

/** The error a client may see: stable codes only; unexpected failures are logged, not exposed. */
export function errorBody(error: unknown, log: Logger): ErrorBody {
  if (error instanceof SignalingError) return error.toBody();
  if (error instanceof ControlError) {
    if (['NODE_UNAVAILABLE', 'TIMEOUT', 'NODE_DRAINING'].includes(error.code)) {
      return { code: 'SFU_UNAVAILABLE', message: 'the media server did not answer; try again' };
    }
    if (error.code === 'INTERNAL') return { code: 'MEDIA_ERROR', message: error.message };
    if (error.code === 'BAD_REQUEST') return { code: 'BAD_REQUEST', message: error.message };
    if (error.code === 'PAYLOAD_TOO_LARGE') return { code: 'PAYLOAD_TOO_LARGE', message: error.message };
    if (error.code === 'FORBIDDEN' || error.code === 'LIMIT_EXCEEDED') return { code: 'FORBIDDEN', message: error.message };
    return { code: 'MEDIA_ERROR', message: `${error.code}: ${error.message}` };
  }
  log.error({ err: error }, 'unexpected error');
  return { code: 'INTERNAL', message: 'an internal error occurred' };
}
