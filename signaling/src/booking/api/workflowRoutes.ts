import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../http/ApiRoute';
import { bookingSchema } from '../Booking';
import { extensionRefusals, type DayWorkflow } from '../DayWorkflow';
import { resourceIdSchema } from '../ResourceTypes';

const bookingParams = z.object({ id: z.string().regex(/^b[a-z0-9]{6,20}$/, 'not a booking id') });
const involved = ['lawyer', 'admin', 'station_officer', 'detention_officer'] as const;

/** The day's workflow: check-in at the station, seating at the booth, moves, early end, extension. */
export function workflowRoutes(workflow: DayWorkflow): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/bookings/:id/check-in',
      tag: 'workflow',
      summary: 'Check the lawyer in: documents verified and notice signed; the seat terminal gets its assignment and token',
      description:
        'Only the facts that each check was done are recorded ("verified by officer X at T"); no document numbers or images are accepted. ' +
        'Past the lateness limit the booking becomes void_late and the answer is BOOKING_VOID_LATE.',
      roles: ['station_officer', 'admin'],
      params: bookingParams,
      body: z
        .object({
          identityVerified: z.boolean(),
          licenceVerified: z.boolean(),
          authorizationLetterVerified: z.boolean(),
          noticeSigned: z.boolean(),
          seatId: resourceIdSchema.optional().describe('Seat the lawyer at another free seat of the station.'),
        })
        .strict(),
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND', 'CHECK_IN_NOT_OPEN', 'CHECK_IN_INCOMPLETE', 'BOOKING_VOID_LATE', 'BOOKING_STATE_CONFLICT', 'SLOT_TAKEN', 'RESOURCE_INACTIVE'],
      handle: async ({ params, body, actor }) => workflow.checkIn(actor, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/seating',
      tag: 'workflow',
      summary: 'The detainee is seated at the booth; the booth kiosk gets its assignment and token',
      roles: ['detention_officer', 'admin'],
      params: bookingParams,
      body: z.object({ boothId: resourceIdSchema.optional().describe('Seat the detainee at another free booth.') }).strict(),
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND', 'BOOKING_STATE_CONFLICT', 'SLOT_TAKEN', 'RESOURCE_INACTIVE'],
      handle: async ({ params, body, actor }) => workflow.seat(actor, params.id, body.boothId),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/reassign',
      tag: 'workflow',
      summary: 'Move a booking to another seat (station officers) or booth (detention officers)',
      roles: ['station_officer', 'detention_officer', 'admin'],
      params: bookingParams,
      body: z.object({ seatId: resourceIdSchema.optional(), boothId: resourceIdSchema.optional() }).strict(),
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND', 'BOOKING_STATE_CONFLICT', 'SLOT_TAKEN', 'RESOURCE_INACTIVE'],
      handle: async ({ params, body, actor }) => workflow.reassign(actor, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/end',
      tag: 'workflow',
      summary: 'End the meeting now (before its slot ends)',
      roles: [...involved],
      params: bookingParams,
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND', 'BOOKING_STATE_CONFLICT'],
      handle: async ({ params, actor }) => workflow.end(actor, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/bookings/:id/extension',
      tag: 'workflow',
      summary: 'Can the meeting run one more slot? (next slot adjacent, free for seat, booth, lawyer and detainee, within the limits)',
      roles: [...involved],
      params: bookingParams,
      response: z.object({
        allowed: z.boolean(),
        code: z.enum(extensionRefusals).optional(),
        side: z.enum(['seat', 'booth']).optional(),
        message: z.string(),
        endsAt: z.number().int().optional(),
      }),
      errors: ['BOOKING_NOT_FOUND'],
      handle: async ({ params, actor }) => workflow.extensionOffer(actor, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/extension',
      tag: 'workflow',
      summary: 'Extend the meeting by one slot; both devices get new tokens for the longer window',
      roles: [...involved],
      params: bookingParams,
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND', 'EXTENSION_NOT_ALLOWED', 'SLOT_TAKEN', 'LAWYER_BUSY', 'DETAINEE_BUSY', 'CONSECUTIVE_LIMIT', 'DAILY_LIMIT', 'BOOKING_STATE_CONFLICT'],
      handle: async ({ params, actor }) => workflow.extend(actor, params.id),
    }),
  ];
}
