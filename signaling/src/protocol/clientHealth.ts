import { z } from 'zod';

/**
 * What a seat or booth client reports about its own media, about every 5 s (`healthReport`).
 * Numbers and flags only: no device names, no SDP, no addresses. The ops feed combines it with
 * the SFU's own figures. Bounds are generous but finite so a bad client cannot skew a metric.
 */
const count = z.number().int().min(0).max(1e12);
const ms = z.number().min(0).max(3_600_000);
const bps = z.number().min(0).max(1e9);
const pixels = z.number().int().min(0).max(8192);
const fps = z.number().min(0).max(240);
const ratio = z.number().min(0).max(1);

/** The camera as sent: what the encoder produces. */
export const sentVideoSchema = z
  .object({
    width: pixels,
    height: pixels,
    fps,
    bitrateBps: bps,
    /** Why the browser lowers quality: none, cpu, bandwidth or other. */
    limitation: z.enum(['none', 'cpu', 'bandwidth', 'other']),
  })
  .strict();

/** The other side's camera as received and decoded. */
export const receivedVideoSchema = z
  .object({
    width: pixels,
    height: pixels,
    fps,
    bitrateBps: bps,
    /** Freezes the browser counted in the interval, and their total duration. */
    freezes: count,
    freezeMs: ms,
    /** How long no new frame has been decoded at report time (0 while frames flow). */
    stalledMs: ms,
    /** Mean decode time per frame over the interval. */
    decodeMs: ms,
    packetsLost: count,
  })
  .strict();

export const receivedAudioSchema = z
  .object({
    /** Sound (not only silence) was received in the interval. */
    present: z.boolean(),
    /** Share of samples the browser had to conceal (invent) in the interval. */
    concealedRatio: ratio,
    bitrateBps: bps,
    packetsLost: count,
  })
  .strict();

export const clientHealthSchema = z
  .object({
    /** Length of the interval the figures cover. */
    intervalMs: z.number().int().min(100).max(600_000),
    sent: z.object({ video: sentVideoSchema.optional(), audioBitrateBps: bps.optional() }).strict(),
    received: z.object({ video: receivedVideoSchema.optional(), audio: receivedAudioSchema.optional() }).strict(),
    /** Round trip to the SFU (ICE candidate pair), when known. */
    rttMs: ms.optional(),
    /** Sent once: from the moment the other side's camera could be received to the first decoded frame. */
    firstFrameMs: ms.optional(),
  })
  .strict();

export type ClientHealth = z.infer<typeof clientHealthSchema>;
export type SentVideo = z.infer<typeof sentVideoSchema>;
export type ReceivedVideo = z.infer<typeof receivedVideoSchema>;
export type ReceivedAudio = z.infer<typeof receivedAudioSchema>;
