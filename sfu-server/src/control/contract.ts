import { z } from 'zod';
import type { types as ms } from 'mediasoup';
import {
  directionSchema,
  dtlsParametersSchema,
  mediaKindSchema,
  mediaSourceSchema,
  mediasoupIdSchema,
  meetingIdSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
  seatSchema,
} from './schemas';

/**
 * The SFU control contract: every operation a caller (signaling) may ask of an SFU node,
 * with the schema its arguments must satisfy and the shape of its result.
 * There is deliberately no operation that records, taps or forwards media anywhere
 * but to the other seat of the same meeting.
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
    })
    .strict(),
  closeProducer: z.object({ ...seatRef, producerId: mediasoupIdSchema }).strict(),
  consume: z.object({ ...seatRef, producerId: mediasoupIdSchema, rtpCapabilities: rtpCapabilitiesSchema }).strict(),
  resumeConsumer: z.object({ ...seatRef, consumerId: mediasoupIdSchema }).strict(),
  listProducers: z.object({ meetingId: meetingIdSchema }).strict(),
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

export interface ControlResponses {
  createMeeting: { routerRtpCapabilities: ms.RtpCapabilities };
  closeMeeting: { closed: boolean };
  createTransport: TransportParameters;
  connectTransport: { connected: true };
  restartIce: { iceParameters: ms.IceParameters };
  produce: { producerId: string };
  closeProducer: { closed: boolean };
  consume: ConsumerParameters;
  resumeConsumer: { resumed: true };
  listProducers: { producers: ProducerInfo[] };
  census: Record<Seat, SeatCensus>;
  leaveSeat: { left: boolean };
}

export type ControlResponse<Op extends ControlOperation> = ControlResponses[Op];

/** Envelope of a request on the wire. */
export const controlEnvelopeSchema = z
  .object({
    id: z.string().min(1).max(64),
    op: z.string().min(1).max(64),
    args: z.unknown(),
    replyTo: z.string().min(1).max(128),
    /** Epoch ms after which the caller no longer waits; the node drops the request. */
    deadline: z.number().int().positive(),
  })
  .strict();

export type ControlEnvelope = z.infer<typeof controlEnvelopeSchema>;

export type ControlReply = { id: string; result: unknown } | { id: string; error: { code: string; message: string } };

export function isControlOperation(op: string): op is ControlOperation {
  return Object.hasOwn(controlRequestSchemas, op);
}
