import { z } from 'zod';
import {
  captureHeightSchema,
  consumerPreferencesShape,
  directionSchema,
  dtlsParametersSchema,
  mediaKindSchema,
  mediaSourceSchema,
  mediasoupIdSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from '@huijian/sfu-server/control/schemas';

/** Every handshake announces the protocol version first, so a stale client is told so clearly. */
export const protocolAnnouncementSchema = z.object({ protocol: z.number().int() });

/** Handshake `auth` of the device channel: who this device is. */
export const deviceHandshakeSchema = protocolAnnouncementSchema.extend({
  credential: z.string().max(512),
});

/**
 * Handshake `auth` of the meeting namespace: the device's credential and the booking token it
 * was given. Socket.IO adds `pid` and `offset` when it tries to recover a connection; they are
 * not ours to read and are dropped here.
 */
export const meetingHandshakeSchema = deviceHandshakeSchema.extend({
  token: z.string().max(4096),
});

export const joinSchema = z.object({}).strict();
export const createTransportSchema = z.object({ direction: directionSchema }).strict();
export const connectTransportSchema = z.object({ transportId: mediasoupIdSchema, dtlsParameters: dtlsParametersSchema }).strict();
export const restartIceSchema = z.object({ transportId: mediasoupIdSchema }).strict();
export const produceSchema = z
  .object({
    transportId: mediasoupIdSchema,
    kind: mediaKindSchema,
    source: mediaSourceSchema,
    rtpParameters: rtpParametersSchema,
    /** Height of the captured picture, so the SFU can match layers to the receiver's viewport. */
    captureHeight: captureHeightSchema.optional(),
  })
  .strict();
export const closeProducerSchema = z.object({ producerId: mediasoupIdSchema }).strict();
export const consumeSchema = z.object({ producerId: mediasoupIdSchema, rtpCapabilities: rtpCapabilitiesSchema }).strict();
export const resumeConsumerSchema = z.object({ consumerId: mediasoupIdSchema }).strict();
export const pauseConsumerSchema = z.object({ consumerId: mediasoupIdSchema }).strict();
export const requestKeyFrameSchema = z.object({ consumerId: mediasoupIdSchema }).strict();
/** The receiver's viewport (device pixels) and, if it knows it, its downlink (bits/s) for one video. */
export const setConsumerPreferencesSchema = z.object({ consumerId: mediasoupIdSchema, ...consumerPreferencesShape }).strict();
export const leaveSchema = z.object({}).strict();
export const endMeetingSchema = z.object({}).strict();
export const extendMeetingSchema = z.object({}).strict();

/** 16 random bytes, base64url. */
const exchangeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an exchange id is 16 bytes in base64url');
/** SHA-256, base64url. */
const commitmentSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a commitment is 32 bytes in base64url');
/** A raw uncompressed P-256 point (0x04 ‖ X ‖ Y), base64url. */
const publicKeySchema = z.string().regex(/^B[A-Za-z0-9_-]{86}$/, 'a public key is an uncompressed P-256 point (65 bytes) in base64url');

export const e2eeMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), exchangeId: exchangeIdSchema, commitment: commitmentSchema }).strict(),
  z.object({ type: z.literal('answer'), exchangeId: exchangeIdSchema, publicKey: publicKeySchema }).strict(),
  z.object({ type: z.literal('reveal'), exchangeId: exchangeIdSchema, publicKey: publicKeySchema }).strict(),
]);
export const e2eeStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('active'), exchangeId: exchangeIdSchema }).strict(),
  z.object({ state: z.literal('unavailable') }).strict(),
  z.object({ state: z.literal('failed'), exchangeId: exchangeIdSchema, reason: z.enum(['commitment_mismatch', 'invalid_key']) }).strict(),
]);
export const confirmCodeSchema = z.object({ exchangeId: exchangeIdSchema, match: z.boolean() }).strict();

export type MeetingHandshake = z.infer<typeof meetingHandshakeSchema>;
export type DeviceHandshake = z.infer<typeof deviceHandshakeSchema>;
export type CreateTransportRequest = z.infer<typeof createTransportSchema>;
export type ConnectTransportRequest = z.infer<typeof connectTransportSchema>;
export type RestartIceRequest = z.infer<typeof restartIceSchema>;
export type ProduceRequest = z.infer<typeof produceSchema>;
export type CloseProducerRequest = z.infer<typeof closeProducerSchema>;
export type ConsumeRequest = z.infer<typeof consumeSchema>;
export type ResumeConsumerRequest = z.infer<typeof resumeConsumerSchema>;
export type PauseConsumerRequest = z.infer<typeof pauseConsumerSchema>;
export type RequestKeyFrameRequest = z.infer<typeof requestKeyFrameSchema>;
export type SetConsumerPreferencesRequest = z.infer<typeof setConsumerPreferencesSchema>;
