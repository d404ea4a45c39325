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
  /** Whether this meeting's media must be end-to-end encrypted (the detention center's policy). */
  e2ee: { policy: E2eePolicy };
}

/**
 * `required`: both pages start media only once end-to-end encryption is active. `off`: media is
 * protected hop by hop only (DTLS-SRTP), and both screens say so (for a center whose terminals
 * cannot run encoded transforms).
 */
export type E2eePolicy = 'required' | 'off';

/**
 * The key exchange, relayed between the two seats unchanged (values are base64url). The lawyer's
 * page initiates: `offer` commits to its ephemeral public key, the booth's `answer` carries the
 * booth's public key, the lawyer's `reveal` opens the commitment. A new exchange runs whenever
 * either seat (re)joins.
 */
export type E2eeMessage =
  | { type: 'offer'; exchangeId: string; commitment: string }
  | { type: 'answer'; exchangeId: string; publicKey: string }
  | { type: 'reveal'; exchangeId: string; publicKey: string };

/** What a page reports about its own encryption (for the audit and the privacy receipt). */
export type E2eeStatus =
  | { state: 'active'; exchangeId: string }
  | { state: 'unavailable' }
  | { state: 'failed'; exchangeId: string; reason: 'commitment_mismatch' | 'invalid_key' };

/**
 * The privacy receipt of a meeting: metadata only, shown on the station at the end and available
 * later (GET /api/meetings/:meetingId/privacy-receipt).
 */
export interface PrivacyReceipt {
  meetingId: string;
  /** The meeting has ended; nothing on the receipt changes any more. */
  final: boolean;
  /** First seat joined and the end (epoch ms), the end's reason. */
  startedAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  /** Distinct terminals that joined: the seat and the booth. */
  endpointsConnected: number;
  e2eePolicy: E2eePolicy;
  /** Both seats reported encryption active for the key exchange in force at the end. */
  endToEndEncrypted: boolean;
  /** The lawyer confirmed that the short codes matched for that key exchange. */
  codeConfirmed: boolean;
  /** Key exchanges run (one per (re)join). */
  keyExchanges: number;
  /** `none` unless the SFU's guard reported something foreign on the meeting's router or the counts exceeded two seats. */
  recorderPresent: 'none' | 'detected';
  /** What the SFU held for each seat, last counted (transports, producers, consumers). */
  media: Record<Role, { transports: number; producers: number; consumers: number }> | null;
}

/**
 * Why a meeting ended for this connection. `ended_by_peer`: the other side ended it early;
 * `replaced`: the same device connected again; `cancelled`: the booking was cancelled or the
 * device's token withdrawn; `closed_by_server`: the device's credential was revoked or the
 * server shut the meeting for another reason; `code_mismatch` and `key_exchange_failed`: the
 * confidentiality checks failed.
 */
export type MeetingEndReason =
  | 'slot_ended'
  | 'ended_by_peer'
  | 'replaced'
  | 'cancelled'
  | 'closed_by_server'
  /** The lawyer said the short codes did not match: ended for both, and an alarm raised. */
  | 'code_mismatch'
  /** A page found the key exchange tampered with (a commitment that did not open): ended, alarm raised. */
  | 'key_exchange_failed';

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
  /** A key-exchange message for the other seat (offer and reveal from the lawyer, answer from the booth). */
  e2eeMessage: (payload: E2eeMessage, ack: AckCallback<{ relayed: true }>) => void;
  /** This page's encryption state. */
  e2eeStatus: (payload: E2eeStatus, ack: AckCallback<{ recorded: true }>) => void;
  /** The lawyer's verdict on the spoken short code of an exchange; a mismatch ends the meeting. */
  confirmCode: (payload: { exchangeId: string; match: boolean }, ack: AckCallback<{ confirmed: boolean }>) => void;
  /** The client's own media figures, about every 5 s (numbers only). `accepted: false`: malformed or too frequent. */
  healthReport: (payload: ClientHealth, ack: AckCallback<{ accepted: boolean }>) => void;
}

/** Every event of MeetingClientEvents by name, for code that must cover each (the door fuzzer, the ops refusal test). */
export const meetingClientEventNames = [
  'join',
  'createTransport',
  'connectTransport',
  'restartIce',
  'produce',
  'closeProducer',
  'consume',
  'resumeConsumer',
  'pauseConsumer',
  'requestKeyFrame',
  'setConsumerPreferences',
  'leave',
  'endMeeting',
  'extendMeeting',
  'e2eeMessage',
  'e2eeStatus',
  'confirmCode',
  'healthReport',
] as const satisfies readonly (keyof MeetingClientEvents)[];

/** Compiles only while the list above names every client event. */
export const meetingClientEventNamesComplete: [Exclude<keyof MeetingClientEvents, (typeof meetingClientEventNames)[number]>] extends [never] ? true : never = true;

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
  /** A key-exchange message from the other seat. */
  e2eeMessage: (payload: E2eeMessage) => void;
  /** The lawyer confirmed the short code of this exchange. */
  codeConfirmed: (payload: { exchangeId: string }) => void;
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
  /** IANA time zone of the detention center: the terminals show every time in it. */
  timeZone?: string;
}

/** Events the server sends on the device channel. */
export interface DeviceServerEvents {
  /** The device's current assignment, at connection and whenever it changes; null when it has none. */
  assignment: (payload: { deviceId: string; kind: DeviceKind; assignment: DeviceAssignment | null; serverTime: number }) => void;
}

/** The device channel takes no requests: it only listens. */
export type DeviceClientEvents = Record<string, never>;
