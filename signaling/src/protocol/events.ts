import type { ConsumerParameters, MediaSource, PreferredLayers, ProducerInfo, Seat, TransportParameters } from '@huijian/sfu-server/control/contract';
import type { types as ms } from 'mediasoup';
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

/** What a registered device is: a station seat terminal (joins as lawyer) or a booth kiosk (as detainee). */
export type DeviceKind = 'seat' | 'booth';

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

/**
 * Why a meeting ended for this connection. `ended_by_peer`: the other side ended it early;
 * `replaced`: the same device connected again; `cancelled`: the booking was cancelled or the
 * device's token withdrawn; `closed_by_server`: the device's credential was revoked or the
 * server shut the meeting for another reason.
 */
export type MeetingEndReason = 'slot_ended' | 'ended_by_peer' | 'replaced' | 'cancelled' | 'closed_by_server';

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
  /** Leave the seat for now (the meeting goes on; the same device may join again). */
  leave: (payload: Record<string, never>, ack: AckCallback<{ left: true }>) => void;
  /** End the meeting for both sides, before the slot ends. Either side may. */
  endMeeting: (payload: Record<string, never>, ack: AckCallback<{ ended: true }>) => void;
  /** Run into the next slot (lawyer only, when the next slot is free for both devices and policy allows). */
  extendMeeting: (payload: Record<string, never>, ack: AckCallback<{ endsAt: number }>) => void;
}

/** Events the server sends to a seat or booth client. */
export interface MeetingServerEvents {
  peerJoined: (payload: { role: Role }) => void;
  peerLeft: (payload: { role: Role }) => void;
  peerProduced: (payload: { producerId: string; role: Role; kind: ms.MediaKind; source: MediaSource }) => void;
  peerProducerClosed: (payload: { producerId: string }) => void;
  /** The slot ends soon (by default 5 minutes and 1 minute before); the server will end it then. */
  slotWarning: (payload: { endsAt: number; secondsLeft: number }) => void;
  /** The slot was extended; the new end. */
  slotExtended: (payload: { endsAt: number }) => void;
  meetingEnded: (payload: { reason: MeetingEndReason }) => void;
  /** The meeting's media server restarted or moved: close the transports and `join` again on this connection. */
  rejoin: (payload: { reason: RejoinReason }) => void;
  /** This signaling instance is shutting down: the connection closes next; reconnect (to another instance) and join again. */
  serverDraining: (payload: Record<string, never>) => void;
}

/**
 * What a device is told to do next: "meeting M with lawyer X starts at 09:30", with the booking
 * token bound to this device. Written by the booking domain, pushed on the device channel.
 */
export interface DeviceAssignment {
  deviceId: string;
  meetingId: string;
  bookingId: string;
  role: Role;
  /** Booking token for this device and role, valid from slot start minus the join lead to slot end. */
  token: string;
  startsAt: number;
  endsAt: number;
  lawyerName: string;
  detaineeName: string;
  stationName: string;
  centerName: string;
}

/** Events the server sends on the device channel. */
export interface DeviceServerEvents {
  /** The device's current assignment, at connection and whenever it changes; null when it has none. */
  assignment: (payload: { deviceId: string; kind: DeviceKind; assignment: DeviceAssignment | null; serverTime: number }) => void;
}

/** The device channel takes no requests: it only listens. */
export type DeviceClientEvents = Record<string, never>;
