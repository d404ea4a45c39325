import { ControlError, type ControlClient, type ControlRequest, type Seat } from '@huijian/sfu-server/control';
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import {
  closeProducerSchema,
  connectTransportSchema,
  consumeSchema,
  createTransportSchema,
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
  type MeetingClientEvents,
  type MeetingServerEvents,
} from '../protocol';
import { SignalingError } from '../SignalingError';
import type { MeetingStore } from '../store/MeetingStore';
import type { Admission, MeetingGate } from './MeetingGate';
import type { SfuPlacement } from './SfuPlacement';

interface SocketData {
  admission: Admission;
  /** SFU node of the meeting, once joined. */
  nodeId?: string;
}

type MeetingSocket = Socket<MeetingClientEvents, MeetingServerEvents, Record<string, never>, SocketData>;
export type MeetingNamespaceServer = Namespace<MeetingClientEvents, MeetingServerEvents, Record<string, never>, SocketData>;

/** The Socket.IO room of a meeting's seats. */
export const roomOf = (meetingId: string) => `meeting:${meetingId}`;

export interface MeetingNamespaceDeps {
  gate: MeetingGate;
  placement: SfuPlacement;
  control: ControlClient;
  meetings: MeetingStore;
  log: Logger;
  /** The ops feed's side: joins counted by outcome, the seats' health reports. */
  ops?: MeetingOpsHooks;
}

/** What the meeting namespace tells the ops feed (signaling/src/ops). */
export interface MeetingOpsHooks {
  connection(outcome: { admitted: true } | { admitted: false; code: string }): void;
  /** False when the report was refused (malformed or too frequent). */
  healthReport(meetingId: string, role: Seat, payload: unknown): Promise<boolean>;
}

/** The meeting protocol: the gate on every connection, then the media negotiation of one seat. */
export function mountMeetingNamespace(io: Server, deps: MeetingNamespaceDeps): MeetingNamespaceServer {
  const nsp = io.of(MEETING_NAMESPACE) as unknown as MeetingNamespaceServer;
  const { gate, log } = deps;

  nsp.use((socket, next) => {
    gate.admit(socket.handshake.auth).then(
      (admission) => {
        socket.data.admission = admission;
        deps.ops?.connection({ admitted: true });
        next();
      },
      (error: unknown) => {
        const body = errorBody(error, log);
        deps.ops?.connection({ admitted: false, code: body.code });
        log.info({ code: body.code, ip: socket.handshake.address }, 'meeting connection refused');
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
    this.log.info('seat connected');
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
    socket.on('healthReport', (payload, ack) => {
      const accepted = this.deps.ops?.healthReport(this.meetingId, this.seat, payload) ?? Promise.resolve(false);
      void accepted.then((ok) => typeof ack === 'function' && ack({ accepted: ok }));
    });
    socket.on('disconnect', (reason) => {
      this.log.info({ reason }, 'seat disconnected');
      void this.leave().catch((error: unknown) => this.log.warn({ err: error }, 'leaving the seat failed'));
    });
  }

  private async join() {
    const placed = await this.deps.placement.ensure(this.meetingId);
    this.socket.data.nodeId = placed.nodeId;
    const replaced = await this.deps.meetings.takeSeat(this.meetingId, this.seat, this.socket.id);
    if (replaced) {
      this.log.warn({ replaced }, 'a second connection took this seat; the first is disconnected');
      this.nsp.to(replaced).emit('meetingEnded', { reason: 'replaced' });
      this.nsp.in(replaced).disconnectSockets(true);
    }
    if (replaced || !this.joined) await this.deps.control.call(placed.nodeId, 'leaveSeat', { meetingId: this.meetingId, seat: this.seat });
    this.joined = true;
    await this.socket.join(roomOf(this.meetingId));
    const { producers } = await this.deps.control.call(placed.nodeId, 'listProducers', { meetingId: this.meetingId });
    const peerPresent = (await this.deps.meetings.seatHolder(this.meetingId, otherSeat(this.seat))) !== undefined;
    this.socket.to(roomOf(this.meetingId)).emit('peerJoined', { role: this.seat });
    const { meeting } = this.admission;
    return {
      meetingId: this.meetingId,
      role: this.seat,
      slot: { startsAt: meeting.startsAt, endsAt: meeting.endsAt },
      serverTime: Date.now(),
      routerRtpCapabilities: placed.routerRtpCapabilities,
      peerProducers: producers.filter((p) => p.seat !== this.seat),
      peerPresent,
    };
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

  /** Register a handler whose payload is validated and whose outcome always reaches the ack. */
  private on<E extends keyof MeetingClientEvents, P>(
    event: E,
    schema: ZodType<P>,
    handler: (payload: P) => Promise<unknown>,
  ): void {
    const listener = (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: Ack<unknown>) => void) : () => undefined;
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
