import { z } from 'zod';
import type { types as ms } from 'mediasoup';
import type { MeetingHealth } from './healthReport';
import {
  directionSchema,
  dtlsParametersSchema,
  mediaKindSchema,
  mediaSourceSchema,
  mediasoupIdSchema,
  meetingIdSchema,
  repliesChannelSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
  seatSchema,
  captureHeightSchema,
  consumerPreferencesShape,
} from './schemas';

/**
 * The SFU control contract: every operation a caller (signaling) may ask of an SFU node,
 * with the schema its arguments must satisfy and the shape of its result.
 * There is deliberately no operation that records, taps or forwards media anywhere
 * but to the other seat of the same meeting.
 *
 * The other half of the contract flows the other way, on Redis pub/sub:
 * - node events on `controlChannels.events`, typed `NodeEvent` in ./events.ts: `meetingRecreated`
 *   and `meetingClosed` (signaling asks the seats to rejoin or ends the meeting), `guardViolation`
 *   (the audit event of the no-recording guard), `workerDied`, `nodeDraining`;
 * - health reports on `controlChannels.health`, typed `HealthReport` in ./healthReport.ts.
 */
const seatRef = { meetingId: meetingIdSchema, seat: seatSchema };

export const controlRequestSchemas = {
  createMeeting: z.object({ meetingId: meetingIdSchema }).strict(),
  closeMeeting: z.object({ meetingId: meetingIdSchema, reason: z.string().max(64).optional() }).strict(),
  createTransport: z.object({ ...seatRef, direction: directionSchema }).strict(),
  connectTransport: z.object({ ...seatRef, transportId: mediasoupIdSchema, dtlsParameters: dtlsParametersSchema }).strict(),
  restartIce: z.object({ ...seatRef, transportId: mediasoupIdSchema }).strict(),
  produce: z
    .object({
      ...seatRef,
      transportId: mediasoupIdSchema,
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      /** Height of the captured picture (the top simulcast layer), for choosing layers by viewport. */
      captureHeight: captureHeightSchema.optional(),
    })
    .strict(),
  closeProducer: z.object({ ...seatRef, producerId: mediasoupIdSchema }).strict(),
  consume: z.object({ ...seatRef, producerId: mediasoupIdSchema, rtpCapabilities: rtpCapabilitiesSchema }).strict(),
  pauseConsumer: z.object({ ...seatRef, consumerId: mediasoupIdSchema }).strict(),
  resumeConsumer: z.object({ ...seatRef, consumerId: mediasoupIdSchema }).strict(),
  requestKeyFrame: z.object({ ...seatRef, consumerId: mediasoupIdSchema }).strict(),
  setConsumerPreferences: z.object({ ...seatRef, consumerId: mediasoupIdSchema, ...consumerPreferencesShape }).strict(),
  listProducers: z.object({ meetingId: meetingIdSchema }).strict(),
  getStats: z.object({ meetingId: meetingIdSchema }).strict(),
  /** How many transports, producers and consumers the meeting's router holds for each seat (numbers only). */
  census: z.object({ meetingId: meetingIdSchema }).strict(),
  leaveSeat: z.object(seatRef).strict(),
} as const;

export type ControlOperation = keyof typeof controlRequestSchemas;
export type ControlRequest<Op extends ControlOperation> = z.infer<(typeof controlRequestSchemas)[Op]>;

export type Seat = z.infer<typeof seatSchema>;
export type MediaSource = z.infer<typeof mediaSourceSchema>;
export type TransportDirection = z.infer<typeof directionSchema>;

export interface TransportParameters {
  transportId: string;
  iceParameters: ms.IceParameters;
  iceCandidates: ms.IceCandidate[];
  dtlsParameters: ms.DtlsParameters;
}

export interface ProducerInfo {
  producerId: string;
  seat: Seat;
  kind: ms.MediaKind;
  source: MediaSource;
}

export interface SeatCensus {
  transports: number;
  producers: number;
  consumers: number;
}

export interface ConsumerParameters {
  consumerId: string;
  producerId: string;
  kind: ms.MediaKind;
  source: MediaSource;
  rtpParameters: ms.RtpParameters;
}

/** Layers a consumer is asked to forward at most (the SFU's bandwidth estimate may pick lower ones). */
export interface PreferredLayers {
  spatialLayer: number;
  temporalLayer?: number;
}

export interface ControlResponses {
  createMeeting: { routerRtpCapabilities: ms.RtpCapabilities };
  closeMeeting: { closed: boolean };
  createTransport: TransportParameters;
  connectTransport: { connected: true };
  restartIce: { iceParameters: ms.IceParameters };
  produce: { producerId: string };
  closeProducer: { closed: boolean };
  consume: ConsumerParameters;
  pauseConsumer: { paused: true };
  resumeConsumer: { resumed: true };
  requestKeyFrame: { requested: boolean };
  /** The layers now preferred, or none when the producer has a single layer. */
  setConsumerPreferences: { preferredLayers: PreferredLayers | null };
  listProducers: { producers: ProducerInfo[] };
  getStats: MeetingHealth;
  census: Record<Seat, SeatCensus>;
  leaveSeat: { left: boolean };
}

export type ControlResponse<Op extends ControlOperation> = ControlResponses[Op];

/**
 * Envelope of a request on the wire. Callers write the fields in this order (args last), so a
 * node can still answer a request too large to parse from its first bytes.
 */
export const controlEnvelopeSchema = z
  .object({
    id: z.string().min(1).max(64),
    op: z.string().min(1).max(64),
    replyTo: repliesChannelSchema,
    /** Epoch ms after which the caller no longer waits; the node drops the request. */
    deadline: z.number().int().positive(),
    args: z.unknown(),
  })
  .strict();

/** Largest request a node accepts (the serialized envelope); larger ones get PAYLOAD_TOO_LARGE. */
export const maxControlRequestBytes = 64 * 1024;

export type ControlEnvelope = z.infer<typeof controlEnvelopeSchema>;

export type ControlReply = { id: string; result: unknown } | { id: string; error: { code: string; message: string } };

export function isControlOperation(op: string): op is ControlOperation {
  return Object.hasOwn(controlRequestSchemas, op);
}
