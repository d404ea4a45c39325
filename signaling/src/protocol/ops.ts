/**
 * The ops feed (`/ops` namespace): health of every live meeting and SFU node, and alerts.
 * Numbers, states and names only. There is no media in this namespace and no way to ask for any:
 * the client sends nothing (every event it emits is answered FORBIDDEN).
 */
import type { ErrorBody } from './errors';

export const OPS_NAMESPACE = '/ops';

/** Pushes of the live picture, milliseconds (the server's default; the snapshot says the actual). */
export const OPS_PUSH_INTERVAL_MS = 2000;

export type HealthState = 'good' | 'degraded' | 'poor' | 'lost';
export const healthStates: readonly HealthState[] = ['good', 'degraded', 'poor', 'lost'];

/** The two directions of a meeting: what the lawyer's seat sends to the booth, and back. */
export type FlowDirection = 'seat_to_booth' | 'booth_to_seat';
export const flowDirections: readonly FlowDirection[] = ['seat_to_booth', 'booth_to_seat'];

/** Where along a direction a problem sits: the sender's uplink to the SFU, the receiver's downlink, or an end. */
export type HealthWhere = 'seat_uplink' | 'seat_downlink' | 'booth_uplink' | 'booth_downlink' | 'seat' | 'booth';

export type HealthReasonCode =
  | 'loss'
  | 'rtt'
  | 'freeze'
  | 'no_media'
  | 'no_audio'
  | 'audio_concealed'
  | 'low_fps'
  | 'low_resolution'
  | 'absent';

/** One reason a direction is not good; `text` is English ("booth uplink loss 6%"), the dashboard words its own. */
export interface HealthReason {
  code: HealthReasonCode;
  where: HealthWhere;
  /** Loss and concealment as a ratio 0..1, times in ms, fps, resolution as height in pixels. */
  value?: number;
  state: Exclude<HealthState, 'good'>;
  text: string;
}

export interface DirectionHealth {
  state: HealthState;
  reasons: HealthReason[];
  /** Media delivered to the receiver by the SFU (video + audio), bits per second. */
  bitrateBps: number;
  /** Fraction lost on the sender's uplink (SFU's measure) and the receiver's downlink (receiver's reports), 0..1. */
  uplinkLoss: number;
  downlinkLoss: number;
  /** The worse round-trip time of both legs, when known. */
  rttMs?: number;
  jitterMs?: number;
  /** mediasoup's lowest stream score along the direction (0..10). */
  score?: number;
  /** The sender's camera as it encodes it. */
  sent?: { width: number; height: number; fps: number; limitation: string };
  /** The receiver's view: decoded picture and heard sound. */
  received?: {
    width: number;
    height: number;
    fps: number;
    freezes: number;
    freezeMs: number;
    stalledMs: number;
    decodeMs: number;
    audioPresent?: boolean;
    concealedRatio?: number;
  };
}

export interface Named {
  id?: string;
  name: string;
}

export interface OpsMeeting {
  meetingId: string;
  nodeId: string;
  worker: number;
  station: Named;
  center: Named;
  district?: Named;
  slot: { startsAt: number; endsAt: number };
  seats: { lawyer: boolean; detainee: boolean };
  /** The worse of the two directions. */
  state: HealthState;
  directions: Record<FlowDirection, DirectionHealth>;
}

/** One point of a meeting's recent history: [epoch ms, seat→booth bps, seat→booth loss, booth→seat bps, booth→seat loss]. */
export type SeriesPoint = [at: number, seatToBoothBps: number, seatToBoothLoss: number, boothToSeatBps: number, boothToSeatLoss: number];

export interface OpsWorker {
  index: number;
  pid: number;
  cpuRatio: number;
  rssBytes: number;
  meetings: number;
}

export interface OpsNode {
  nodeId: string;
  /** Heartbeat current. */
  alive: boolean;
  draining: boolean;
  meetings: number;
  workers: OpsWorker[];
  lastSeenAt: number;
}

export type AlertSeverity = 'warning' | 'critical' | 'alarm';
export type AlertRuleName = 'loss' | 'rtt' | 'freeze' | 'no_media' | 'worker_down' | 'node_down' | 'guard_alarm';

export interface Alert {
  /** Stable for one condition: rule plus subject (e.g. `loss:m-1:seat_to_booth`). */
  key: string;
  rule: AlertRuleName;
  severity: AlertSeverity;
  subject: { meetingId?: string; direction?: FlowDirection; nodeId?: string; worker?: number };
  text: string;
  value?: number;
  raisedAt: number;
  clearedAt?: number;
}

export interface OpsPlaces {
  districts: { id: string; name: string }[];
  stations: { id: string; name: string; districtId: string }[];
  centers: { id: string; name: string; districtId: string }[];
}

export interface OpsPicture {
  at: number;
  meetings: OpsMeeting[];
  nodes: OpsNode[];
  alerts: Alert[];
}

/** Sent first to every ops connection: the picture, 5 minutes of series, alert history and the filter choices. */
export interface OpsSnapshot extends OpsPicture {
  pushIntervalMs: number;
  series: Record<string, SeriesPoint[]>;
  history: Alert[];
  places: OpsPlaces;
}

export interface OpsServerEvents {
  snapshot: (payload: OpsSnapshot) => void;
  /** Every push interval: the current picture; the dashboard appends each meeting's point to its series. */
  picture: (payload: OpsPicture) => void;
  /** An alert was raised or cleared (`clearedAt` set). */
  alert: (payload: Alert) => void;
}

/** The ops client has nothing to ask: any event is answered `{ error: FORBIDDEN }` if it wants an answer. */
export type OpsClientEvents = Record<string, (payload: unknown, ack?: (answer: { error: ErrorBody }) => void) => void>;
