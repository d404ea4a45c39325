import { Router } from 'express';
import { z } from 'zod';
import type { AccessLimits } from '../auth/AccessLimits';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { Actor } from '../booking/Booking';
import type { BookingModule } from '../booking/BookingModule';
import { feedbackSchema } from '../booking/FollowUps';
import { SignalingError } from '../SignalingError';
import { bookingKeys } from '../store/bookingKeys';
import type { MeetingStore } from '../store/MeetingStore';
import { defineRoute } from './ApiRoute';
import { parseBody } from './parseBody';

export const terminalFeedbackBodySchema = z
  .object({
    bookingId: z.string().regex(/^b[a-z0-9]{6,20}$/, 'not a booking id'),
    rating: z.number().int().min(1).max(5),
    comment: z.string().max(1000).optional(),
    suggestion: z.string().max(1000).optional(),
  })
  .strict();

/** How long after its meeting a seat terminal may still take the lawyer's rating. */
export const TERMINAL_FEEDBACK_WINDOW_MS = 2 * 3_600_000;

export interface TerminalFeedbackDeps {
  credentials: DeviceCredentials;
  limits: AccessLimits;
  meetings: MeetingStore;
  booking: BookingModule;
}

/**
 * `POST /api/terminal/feedback` (`Authorization: Device <credential>`): the lawyer rates the meeting
 * on the end screen of the station seat where it took place. The terminal may rate only its own
 * latest meeting, within two hours of its end, once; the feedback counts as the lawyer's own
 * (channel `online`, recorded by `seat:<deviceId>`). A meeting ended early on the call screen is
 * completed here if the booking clock has not done it yet.
 */
export function terminalFeedbackRoutes({ credentials, limits, meetings, booking }: TerminalFeedbackDeps): Router {
  const router = Router();
  router.post('/terminal/feedback', async (req, res, next) => {
    try {
      const ip = req.ip ?? '';
      await limits.admitAttempt(ip);
      const header = req.get('authorization') ?? '';
      if (!header.startsWith('Device ')) throw new SignalingError('DEVICE_CREDENTIAL_MISSING', 'present the terminal’s device credential: Authorization: Device <credential>');
      const device = await credentials.verify(header.slice(7)).catch(async (error: unknown) => {
        await limits.recordFailure(ip);
        throw error;
      });
      if (device.kind !== 'seat') throw new SignalingError('FORBIDDEN', 'only a station seat terminal takes the lawyer’s rating');
      const body = parseBody(terminalFeedbackBodySchema, req.body);
      const now = booking.ctx.now();
      let found = await booking.ctx.store.get(body.bookingId);
      if (!found || found.seatId !== device.deviceId) throw new SignalingError('BOOKING_NOT_FOUND', 'This terminal was not the seat of that meeting.');
      // A later booking checked in at this seat: the rating here would be for the wrong meeting.
      const laterIds = await booking.ctx.store.idsStarting(bookingKeys.byStation(found.stationId), found.startsAt + 1, now + 1);
      const later = (await booking.ctx.store.getMany(laterIds)).filter((b) => b.seatId === device.deviceId && b.checkIn !== undefined);
      if (later.length > 0) throw new SignalingError('FORBIDDEN', 'A later meeting has taken place at this seat; rate this one in the portal.');
      if (now > (found.endedAt ?? found.endsAt) + TERMINAL_FEEDBACK_WINDOW_MS) {
        throw new SignalingError('FORBIDDEN', 'The rating at the seat has closed; rate this meeting in the portal.');
      }
      const lawyer: Actor = { username: `seat:${device.deviceId}`, role: 'lawyer', name: 'station seat terminal', siteId: found.lawyerId };
      // Ended on the call screen (or at slot end) but not completed by the booking clock yet.
      if (found.status === 'in_meeting' && (await meetings.endOf(found.meetingId))) {
        found = await booking.workflow.end(lawyer, found.id).catch(async (error: unknown) => {
          if (error instanceof SignalingError && error.code === 'BOOKING_STATE_CONFLICT') return (await booking.ctx.store.get(body.bookingId)) ?? found!;
          throw error;
        });
      }
      const { bookingId, ...input } = body;
      const feedback = await booking.followUps.submit(lawyer, bookingId, input);
      res.status(201).json(feedback);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** The OpenAPI description of the route above (served by its own router). */
export const terminalFeedbackRoute = defineRoute({
  method: 'post',
  path: '/terminal/feedback',
  tag: 'follow-up',
  summary: 'The lawyer rates the meeting on the seat terminal’s end screen (Authorization: Device <credential>)',
  description:
    'Only the seat terminal of the meeting, for its latest meeting, within two hours of its end, once. ' +
    'The feedback is the lawyer’s own (channel online).',
  body: terminalFeedbackBodySchema,
  status: 201,
  response: feedbackSchema,
  errors: ['DEVICE_CREDENTIAL_MISSING', 'DEVICE_CREDENTIAL_INVALID', 'DEVICE_REVOKED', 'BOOKING_NOT_FOUND', 'BOOKING_STATE_CONFLICT', 'CONFLICT', 'RATE_LIMITED'],
});
