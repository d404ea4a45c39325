import type { MediaSource, Seat } from './contract';

/**
 * The health numbers an SFU node publishes every few seconds (on `controlChannels.health`) and
 * answers `getStats` with. Numbers and enums only: never media, keys, SDP or fingerprints.
 */

/** One RTP stream as the SFU sees it: a seat's producer (inbound) or a consumer toward a seat (outbound). */
export interface StreamHealth {
  source: MediaSource;
  kind: 'audio' | 'video';
  /** Bits per second over the last second (all layers for an inbound simulcast stream). */
  bitrate: number;
  /** Cumulative packets lost, as reported by the receiving end. */
  packetsLost: number;
  /** Share of packets lost in the last RTCP interval, 0..1. */
  fractionLost: number;
  /** Interarrival jitter, milliseconds. */
  jitterMs: number;
  /** Round-trip time, milliseconds, when known. */
  rttMs?: number;
  nackCount: number;
  pliCount: number;
  firCount: number;
  /** mediasoup's quality score, 0 (worst) .. 10. */
  score: number;
  /** Outbound video: the layers being forwarded (undefined while none is). Inbound: layers arriving. */
  spatialLayer?: number;
  temporalLayer?: number;
  /** Inbound: how many simulcast/SVC spatial layers the sender offers. */
  spatialLayers?: number;
  paused?: boolean;
  /** Outbound: packets and bytes forwarded to the seat since the consumer was created. */
  packetCount?: number;
  byteCount?: number;
}

export interface TransportHealth {
  iceState: string;
  dtlsState: string;
  /** Bits per second received from / sent to the seat, all RTP and RTCP. */
  bitrateIn: number;
  bitrateOut: number;
  /** The SFU's bandwidth estimate toward the seat (receive transport) or from it (send transport). */
  availableOutgoingBitrate?: number;
  availableIncomingBitrate?: number;
}

export interface SeatHealth {
  /** The seat has at least one transport. */
  present: boolean;
  send?: TransportHealth;
  recv?: TransportHealth;
  /** What the seat sends (its producers). */
  inbound: StreamHealth[];
  /** What the seat receives (its consumers of the other seat). */
  outbound: StreamHealth[];
}

export interface MeetingHealth {
  meetingId: string;
  /** Index of the worker hosting the meeting. */
  worker: number;
  seats: Record<Seat, SeatHealth>;
}

export interface WorkerHealth {
  index: number;
  pid: number;
  /** Share of one core the worker used over the last interval (user + system), from getResourceUsage. */
  cpuRatio: number;
  /** Resident memory of the worker process, bytes. */
  rssBytes: number;
  meetings: number;
}

export interface HealthReport {
  nodeId: string;
  /** Epoch ms of the sample. */
  at: number;
  intervalMs: number;
  draining: boolean;
  workers: WorkerHealth[];
  meetings: MeetingHealth[];
}
