import type { ConsumerParameters, MediaSource, PreferredLayers, ProducerInfo, Seat, TransportParameters } from '@huijian/sfu-server/control/contract';
import type { types as ms } from 'mediasoup';
import type { ClientHealth } from './clientHealth';
import type { ErrorBody } from './errors';
import type {
  CloseProducerRequest,
  ConnectTransportRequest,
  ConsumeRequest,
  CreateTransportRequest,
  PauseConsumerRequest,
  ProduceRequest,
  RequestKeyFrameRequest,
  RestartIceRequest,
  ResumeConsumerRequest,
  SetConsumerPreferencesRequest,
} from './schemas';

export type Role = Seat;

/** An ack carries either the result or an error; `'error' in ack` tells them apart. */
export type Ack<T> = (T & { error?: never }) | { error: ErrorBody };
export type AckCallback<T> = (ack: Ack<T>) => void;

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
}

export type MeetingEndReason = 'slot_ended' | 'ended_by_peer' | 'replaced' | 'closed_by_server';

/**
 * Why the server asks a seat to join again (close its transports, `join`, send and receive anew):
 * the meeting's media server process restarted, or its node stopped and the meeting moved.
 */
export type RejoinReason = 'media_server_restarted' | 'media_server_moved';

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
  pauseConsumer: (payload: PauseConsumerRequest, ack: AckCallback<{ paused: true }>) => void;
  requestKeyFrame: (payload: RequestKeyFrameRequest, ack: AckCallback<{ requested: boolean }>) => void;
  /** Tell the SFU how a received video is shown; it picks the simulcast/SVC layers to forward. */
  setConsumerPreferences: (payload: SetConsumerPreferencesRequest, ack: AckCallback<{ preferredLayers: PreferredLayers | null }>) => void;
  leave: (payload: Record<string, never>, ack: AckCallback<{ left: true }>) => void;
  /** The client's own media figures, about every 5 s (numbers only). `accepted: false`: malformed or too frequent. */
  healthReport: (payload: ClientHealth, ack: AckCallback<{ accepted: boolean }>) => void;
}

/** Events the server sends to a seat or booth client. */
export interface MeetingServerEvents {
  peerJoined: (payload: { role: Role }) => void;
  peerLeft: (payload: { role: Role }) => void;
  peerProduced: (payload: { producerId: string; role: Role; kind: ms.MediaKind; source: MediaSource }) => void;
  peerProducerClosed: (payload: { producerId: string }) => void;
  meetingEnded: (payload: { reason: MeetingEndReason }) => void;
  rejoin: (payload: { reason: RejoinReason }) => void;
}
