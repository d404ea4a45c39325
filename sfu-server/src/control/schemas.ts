import { z } from 'zod';

/**
 * Structural schemas for the WebRTC parameters that cross the control contract.
 * They bound sizes and shapes; mediasoup's own ORTC checks then validate semantics.
 */
const shortText = z.string().min(1).max(128);
const parameterValue = z.union([z.string().max(256), z.number().finite()]);
const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);
const parameterName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'parameter names are letters, digits, _ . or -')
  .refine((key) => !reservedKeys.has(key), 'reserved parameter name');
const codecParameters = z.record(parameterName, parameterValue).refine((p) => Object.keys(p).length <= 32, 'too many codec parameters');
const rtcpFeedback = z.array(z.object({ type: shortText, parameter: z.string().max(64).optional() }).strict()).max(16);

export const meetingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'meeting id must be 1-64 letters, digits, _ or -');
export const mediasoupIdSchema = z.string().min(1).max(64);
export const seatSchema = z.enum(['lawyer', 'detainee']);
export const directionSchema = z.enum(['send', 'recv']);
export const mediaKindSchema = z.enum(['audio', 'video']);
/** What a producer carries. The document stream is the lawyer's second video (document camera or screen). */
export const mediaSourceSchema = z.enum(['microphone', 'camera', 'document']);

/** A caller's reply channel: only the contract's own reply channels, never an arbitrary one. */
export const repliesChannelSchema = z.string().regex(/^huijian:sfu:reply:[A-Za-z0-9_-]{1,80}$/, 'replyTo must be a control reply channel');

export const captureHeightSchema = z.number().int().min(90).max(4320);

/**
 * What a receiver tells the SFU about one video it receives: the size it is shown at (device
 * pixels) and its own downlink estimate (bits per second). The SFU turns them into preferred layers.
 */
export const consumerPreferencesShape = {
  viewport: z.object({ width: z.number().int().min(0).max(16384), height: z.number().int().min(0).max(16384) }).strict().optional(),
  downlinkBps: z.number().int().min(0).max(1_000_000_000).optional(),
};

export const dtlsParametersSchema = z
  .object({
    role: z.enum(['auto', 'client', 'server']).optional(),
    fingerprints: z
      .array(
        z
          .object({
            algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
            value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){19,63}$/, 'fingerprint must be colon-separated hex'),
          })
          .strict(),
      )
      .min(1, 'at least one DTLS fingerprint is required')
      .max(8),
  })
  .strict();

const rtpCodecParameters = z
  .object({
    mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9_.-]{1,32}$/),
    payloadType: z.number().int().min(0).max(127),
    clockRate: z.number().int().positive().max(200_000),
    channels: z.number().int().min(1).max(8).optional(),
    parameters: codecParameters.optional(),
    rtcpFeedback: rtcpFeedback.optional(),
  })
  .strict();

const rtpEncoding = z
  .object({
    ssrc: z.number().int().nonnegative().max(0xffffffff).optional(),
    rid: z.string().max(32).optional(),
    codecPayloadType: z.number().int().min(0).max(127).optional(),
    rtx: z.object({ ssrc: z.number().int().nonnegative().max(0xffffffff) }).strict().optional(),
    dtx: z.boolean().optional(),
    scalabilityMode: z.string().max(16).optional(),
    scaleResolutionDownBy: z.number().positive().max(64).optional(),
    maxBitrate: z.number().int().positive().max(50_000_000).optional(),
    maxFramerate: z.number().positive().max(120).optional(),
    adaptivePtime: z.boolean().optional(),
    priority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
    networkPriority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
    active: z.boolean().optional(),
  })
  .strict();

const headerExtension = z
  .object({
    uri: z.string().min(1).max(256),
    id: z.number().int().min(1).max(255),
    encrypt: z.boolean().optional(),
    parameters: codecParameters.optional(),
  })
  .strict();

export const rtpParametersSchema = z
  .object({
    mid: z.string().max(32).optional(),
    codecs: z.array(rtpCodecParameters).min(1).max(16),
    headerExtensions: z.array(headerExtension).max(32).optional(),
    encodings: z.array(rtpEncoding).min(1).max(8).optional(),
    rtcp: z
      .object({ cname: z.string().max(128).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() })
      .strict()
      .optional(),
    msid: z.string().max(256).optional(),
  })
  .strict();

export const rtpCapabilitiesSchema = z
  .object({
    codecs: z
      .array(
        z
          .object({
            kind: mediaKindSchema,
            mimeType: z.string().regex(/^(audio|video)\/[A-Za-z0-9_.-]{1,32}$/),
            preferredPayloadType: z.number().int().min(0).max(127).optional(),
            clockRate: z.number().int().positive().max(200_000),
            channels: z.number().int().min(1).max(8).optional(),
            parameters: codecParameters.optional(),
            rtcpFeedback: rtcpFeedback.optional(),
          })
          .strict(),
      )
      .max(64)
      .optional(),
    headerExtensions: z
      .array(
        z
          .object({
            kind: mediaKindSchema,
            uri: z.string().min(1).max(256),
            preferredId: z.number().int().min(1).max(255),
            preferredEncrypt: z.boolean().optional(),
            direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
          })
          .strict(),
      )
      .max(64)
      .optional(),
  })
  .strict();
