import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../http/ApiRoute';
import type { BookingPolicies } from '../BookingPolicy';
import { feedbackSchema, type FollowUps } from '../FollowUps';
import { addDays, epochOf, localDateOf } from '../ZonedCalendar';

const bookingParams = z.object({ id: z.string().regex(/^b[a-z0-9]{6,20}$/, 'not a booking id') });
const staff = ['admin', 'station_officer', 'detention_officer'] as const;

/** Follow-up (回访): ratings and suggestions after each meeting, and staff replies. */
export function followUpRoutes(followUps: FollowUps, policies: BookingPolicies, now: () => number): ApiRoute[] {
  const zone = policies.fallback.timeZone;
  return [
    defineRoute({
      method: 'post',
      path: '/bookings/:id/feedback',
      tag: 'follow-up',
      summary: 'Rate a completed meeting and leave suggestions (the lawyer online, or staff recording the follow-up call)',
      roles: ['lawyer', ...staff],
      params: bookingParams,
      body: z
        .object({
          rating: z.number().int().min(1).max(5),
          comment: z.string().max(1000).optional(),
          suggestion: z.string().max(1000).optional(),
        })
        .strict(),
      status: 201,
      response: feedbackSchema,
      errors: ['BOOKING_NOT_FOUND', 'BOOKING_STATE_CONFLICT', 'CONFLICT'],
      handle: async ({ params, body, actor }) => followUps.submit(actor, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/bookings/:id/feedback',
      tag: 'follow-up',
      summary: 'The feedback on a meeting, with the staff reply once given',
      roles: ['lawyer', ...staff],
      params: bookingParams,
      response: feedbackSchema,
      errors: ['BOOKING_NOT_FOUND', 'NOT_FOUND'],
      handle: async ({ params, actor }) => followUps.get(actor, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/feedback',
      tag: 'follow-up',
      summary: 'Feedback for the caller’s site (admins: all), newest first; status=open lists suggestions waiting for an answer',
      roles: [...staff],
      query: z.object({ status: z.enum(['open', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
      response: z.array(feedbackSchema),
      handle: async ({ query, actor }) => followUps.list(actor, query.status, query.limit),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/feedback/reply',
      tag: 'follow-up',
      summary: 'Record what was done about the feedback and reply to the lawyer (also sent as a notice)',
      roles: [...staff],
      params: bookingParams,
      body: z.object({ actionTaken: z.string().trim().min(2).max(1000), reply: z.string().trim().min(2).max(1000) }).strict(),
      response: feedbackSchema,
      errors: ['BOOKING_NOT_FOUND', 'NOT_FOUND'],
      handle: async ({ params, body, actor }) => followUps.resolve(actor, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/follow-ups/due',
      tag: 'follow-up',
      summary: 'Completed meetings without feedback yet: the lawyers to phone back',
      roles: [...staff],
      query: z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }).strict(),
      response: z.array(z.object({ bookingId: z.string(), lawyerId: z.string(), startsAt: z.number().int(), stationId: z.string(), centerId: z.string() })),
      handle: async ({ query, actor }) => {
        const today = localDateOf(now(), zone);
        return followUps.awaiting(actor, epochOf(addDays(today, -query.days), '00:00', zone), epochOf(addDays(today, 1), '00:00', zone));
      },
    }),
  ];
}
