import type { ConsumerParameters, MediaSource, ProducerInfo, Seat, TransportParameters } from '@huijian/sfu-server/control/contract';
import type { types as ms } from 'mediasoup';
import type { ErrorBody } from './errors';
import type {
  CloseProducerRequest,
  ConnectTransportRequest,
  ConsumeRequest,
  CreateTransportRequest,
  ProduceRequest,
  RestartIceRequest,
  ResumeConsumerRequest,
} from './schemas';

export type Role = Seat;

/** An ack carries either the result or an error; `'error' in ack` tells them apart. */
export type Ack<T> = (T & { error?: never }) | { error: ErrorBody };
export type AckCallback<T> = (ack: Ack<T>) => void;

/** A TURN server with time-limited credentials, as `RTCIceServer` wants it. */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

export interface JoinResult {
  meetingId: string;
  role: Role;
  /** Slot window, epoch milliseconds. */
  slot: { startsAt: number; endsAt: number };
  serverTime: number;
  routerRtpCapabilities: ms.RtpCapabilities;
  /** The other seat's media already flowing. */
  peerProducers: ProducerInfo[];
  peerPresent: boolean;
  /** TURN servers for both transports (empty when none is configured). */
  iceServers: IceServer[];
  /** `relay`: send all media through those TURN servers. */
  iceTransportPolicy: 'all' | 'relay';
}

export type MeetingEndReason = 'slot_ended' | 'ended_by_peer' | 'replaced' | 'closed_by_server';

/** Events a seat or booth client sends on the meeting namespace. */
export interface MeetingClientEvents {
  join: (payload: Record<string, never>, ack: AckCallback<JoinResult>) => void;
  createTransport: (payload: CreateTransportRequest, ack: AckCallback<TransportParameters>) => void;
  connectTransport: (payload: ConnectTransportRequest, ack: AckCallback<{ connected: true }>) => void;
  restartIce: (payload: RestartIceRequest, ack: AckCallback<{ iceParameters: ms.IceParameters }>) => void;
  produce: (payload: ProduceRequest, ack: AckCallback<{ producerId: string }>) => void;
  closeProducer: (payload: CloseProducerRequest, ack: AckCallback<{ closed: boolean }>) => void;
  consume: (payload: ConsumeRequest, ack: AckCallback<ConsumerParameters>) => void;
  resumeConsumer: (payload: ResumeConsumerRequest, ack: AckCallback<{ resumed: true }>) => void;
  leave: (payload: Record<string, never>, ack: AckCallback<{ left: true }>) => void;
}

/** Events the server sends to a seat or booth client. */
export interface MeetingServerEvents {
  peerJoined: (payload: { role: Role }) => void;
  peerLeft: (payload: { role: Role }) => void;
  peerProduced: (payload: { producerId: string; role: Role; kind: ms.MediaKind; source: MediaSource }) => void;
  peerProducerClosed: (payload: { producerId: string }) => void;
  meetingEnded: (payload: { reason: MeetingEndReason }) => void;
  /** This signaling instance is shutting down: the connection closes next; reconnect (to another instance) and join again. */
  serverDraining: (payload: Record<string, never>) => void;
}
