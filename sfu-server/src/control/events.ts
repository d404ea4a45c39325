import { z } from 'zod';
import { meetingIdSchema } from './schemas';

/**
 * Events an SFU node publishes on `controlChannels.events` (JSON). Signaling relays the ones that
 * concern clients; the audit stream (issue 4) and the ops feed (issue 8) record them all.
 *
 * - `meetingRecreated`: the meeting's worker died; the meeting has a fresh router on a live
 *   worker and both seats must join again (signaling tells them `rejoin`).
 * - `meetingClosed`: the node closed a meeting by itself: `guard_violation` (see below),
 *   `drain_deadline` (the node stopped before the meeting ended; seats should rejoin elsewhere),
 *   `idle` (no seat for a long time).
 * - `guardViolation` (audit event, also counted by the alarm metric
 *   `huijian_sfu_guard_violations_total`): something the meeting did not create appeared on its
 *   router (a transport that is not a seat's WebRtcTransport, an RTP observer, a data producer or
 *   consumer, a producer or consumer the meeting did not ask for, or more than the allowed count).
 *   The meeting is closed at once.
 * - `workerDied`: a mediasoup worker process died; it is being replaced.
 * - `nodeDraining`: the node takes no new meetings and stops at `deadline` at the latest.
 */
const base = { nodeId: z.string().min(1).max(64), at: z.number().int().positive() };

export const guardViolationKinds = [
  'foreign_router',
  'foreign_transport',
  'transport_limit',
  'foreign_producer',
  'foreign_consumer',
  'data_channel',
  'rtp_observer',
] as const;

export const nodeEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('meetingRecreated'), ...base, meetingId: meetingIdSchema, worker: z.number().int().nonnegative() }).strict(),
  z
    .object({
      type: z.literal('meetingClosed'),
      ...base,
      meetingId: meetingIdSchema,
      reason: z.enum(['guard_violation', 'drain_deadline', 'idle']),
    })
    .strict(),
  z
    .object({
      type: z.literal('guardViolation'),
      ...base,
      meetingId: meetingIdSchema.optional(),
      violation: z.enum(guardViolationKinds),
      detail: z.string().max(200),
    })
    .strict(),
  z.object({ type: z.literal('workerDied'), ...base, worker: z.number().int().nonnegative(), pid: z.number().int() }).strict(),
  z.object({ type: z.literal('nodeDraining'), ...base, deadline: z.number().int().positive() }).strict(),
]);

export type NodeEvent = z.infer<typeof nodeEventSchema>;
export type GuardViolationKind = (typeof guardViolationKinds)[number];

/** A node event from the wire, or undefined when the message is not one. */
export function parseNodeEvent(message: string): NodeEvent | undefined {
  try {
    const parsed = nodeEventSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
