import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../http/ApiRoute';
import { SignalingError } from '../../SignalingError';
import { bookingSchema, bookingStatusSchema, historyEntrySchema } from '../Booking';
import type { BookingDesk } from '../BookingDesk';
import type { BookingStore } from '../../store/BookingStore';
import type { ResourceStore } from '../../store/ResourceStore';
import type { BookingPolicies } from '../BookingPolicy';
import { noticeSchema } from '../notices/Notice';
import type { NoticeOutbox } from '../notices/NoticeOutbox';
import { resourceIdSchema } from '../ResourceTypes';
import type { SlotSearch } from '../SlotSearch';
import { addDays, epochOf, isLocalDate, localDateOf } from '../ZonedCalendar';

const localDate = z.string().refine(isLocalDate, 'a date is YYYY-MM-DD');
const bookingParams = z.object({ id: z.string().regex(/^b[a-z0-9]{6,20}$/, 'not a booking id') });
const everyone = ['lawyer', 'admin', 'station_officer', 'detention_officer'] as const;

export const availableSlotSchema = z.object({
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  date: z.string(),
  time: z.string(),
  stationId: z.string(),
  stationName: z.string(),
  districtId: z.string(),
  centerId: z.string(),
  freeSeats: z.number().int(),
  freeBooths: z.number().int(),
  distanceKm: z.number().optional(),
});

const slotQuery = z
  .object({
    detaineeId: resourceIdSchema.optional().describe('The client; implies the detention center and hides slots where they are busy.'),
    centerId: resourceIdSchema.optional().describe('The detention center, when no detainee is given.'),
    stationId: resourceIdSchema.optional(),
    districtId: resourceIdSchema.optional(),
    date: localDate.optional().describe('First date to search; default the earliest bookable.'),
    days: z.coerce.number().int().min(1).max(60).optional(),
    near: z
      .string()
      .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, 'near is lat,lng')
      .optional()
      .describe('lat,lng: sort stations at the same time by distance'),
    withinKm: z.coerce.number().min(0.1).max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

const listQuery = z
  .object({
    from: localDate.optional().describe('First local date (default today).'),
    to: localDate.optional().describe('Last local date, inclusive (default: from + 13 days).'),
    stationId: resourceIdSchema.optional(),
    centerId: resourceIdSchema.optional(),
    lawyerId: resourceIdSchema.optional(),
    status: bookingStatusSchema.optional(),
  })
  .strict();

const bookBody = z
  .object({
    detaineeId: resourceIdSchema,
    stationId: resourceIdSchema,
    startsAt: z.number().int().describe('Slot start, epoch ms (from GET /api/slots).'),
    seatId: resourceIdSchema.optional().describe('Leave out to let the system pick.'),
    boothId: resourceIdSchema.optional().describe('Leave out to let the system pick.'),
    lawyerId: resourceIdSchema.optional().describe('Staff booking for a lawyer only.'),
  })
  .strict();

/** Slot search, booking, cancellation and the booking's record, history and notices. */
export function bookingRoutes(deps: {
  desk: BookingDesk;
  search: SlotSearch;
  store: BookingStore;
  resources: ResourceStore;
  policies: BookingPolicies;
  outbox: NoticeOutbox;
  now: () => number;
}): ApiRoute[] {
  const { desk, search, store, resources, policies, outbox, now } = deps;
  const zone = policies.fallback.timeZone;
  return [
    defineRoute({
      method: 'get',
      path: '/slots',
      tag: 'booking',
      summary: 'Free slots, earliest first (a free seat at the station and a free booth at the center)',
      roles: [...everyone],
      query: slotQuery,
      response: z.array(availableSlotSchema),
      errors: ['NOT_FOUND'],
      handle: async ({ query, actor }) => {
        let centerId = query.centerId;
        if (query.detaineeId) {
          const detainee = await resources.get('detainee', query.detaineeId);
          if (!detainee) throw new SignalingError('NOT_FOUND', 'No such detainee.');
          centerId = detainee.centerId;
        }
        if (!centerId) throw new SignalingError('BAD_REQUEST', 'query: give a detaineeId or a centerId');
        const [lat, lng] = query.near?.split(',').map(Number) ?? [];
        return search.search(
          {
            centerId,
            stationIds: query.stationId ? [query.stationId] : undefined,
            districtId: query.districtId,
            near: lat !== undefined && lng !== undefined ? { lat, lng } : undefined,
            withinKm: query.withinKm,
            from: query.date,
            days: query.days,
            detaineeId: query.detaineeId,
            lawyerId: actor.role === 'lawyer' ? actor.siteId : undefined,
            limit: query.limit,
          },
          now(),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/bookings',
      tag: 'booking',
      summary: 'Book a slot: one seat at the station and one booth at the detainee’s center, atomically',
      description:
        'Refusals: 422 for a booking rule (BOOKING_TOO_SOON, BOOKING_TOO_FAR_AHEAD, SLOT_NOT_OFFERED, CONSECUTIVE_LIMIT, DAILY_LIMIT, LAWYER_SUSPENDED, RESOURCE_INACTIVE), ' +
        '409 when the slot was taken (SLOT_TAKEN with details.side and details.alternatives) or the lawyer or detainee is busy then.',
      roles: ['lawyer', 'admin', 'station_officer'],
      body: bookBody,
      status: 201,
      response: bookingSchema,
      errors: ['NOT_FOUND', 'BOOKING_TOO_SOON', 'BOOKING_TOO_FAR_AHEAD', 'SLOT_NOT_OFFERED', 'CONSECUTIVE_LIMIT', 'DAILY_LIMIT', 'LAWYER_SUSPENDED', 'RESOURCE_INACTIVE', 'SLOT_TAKEN', 'LAWYER_BUSY', 'DETAINEE_BUSY'],
      handle: async ({ body, actor }) => desk.book(actor, body),
    }),
    defineRoute({
      method: 'get',
      path: '/bookings',
      tag: 'booking',
      summary: 'Bookings by slot date: a lawyer’s own, a station’s or a center’s (by the caller’s site), or any (admins)',
      roles: [...everyone],
      query: listQuery,
      response: z.array(bookingSchema),
      handle: async ({ query, actor }) => {
        const from = query.from ?? localDateOf(now(), zone);
        const to = query.to ?? addDays(from, 13);
        if (to < from) throw new SignalingError('BAD_REQUEST', 'query.to: comes before from');
        return desk.list(actor, {
          from: epochOf(from, '00:00', zone),
          to: epochOf(addDays(to, 1), '00:00', zone),
          stationId: query.stationId,
          centerId: query.centerId,
          lawyerId: query.lawyerId,
          status: query.status,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bookings/:id',
      tag: 'booking',
      summary: 'One booking',
      roles: [...everyone],
      params: bookingParams,
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND'],
      handle: async ({ params, actor }) => desk.get(actor, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/bookings/:id/cancel',
      tag: 'booking',
      summary: 'Cancel: a lawyer up to the policy’s deadline, staff at any time with a reason',
      roles: [...everyone],
      params: bookingParams,
      body: z.object({ reason: z.string().trim().max(300).optional() }).strict(),
      response: bookingSchema,
      errors: ['BOOKING_NOT_FOUND', 'CANCEL_TOO_LATE', 'BOOKING_STATE_CONFLICT'],
      handle: async ({ params, body, actor }) => desk.cancel(actor, params.id, body.reason),
    }),
    defineRoute({
      method: 'get',
      path: '/bookings/:id/history',
      tag: 'booking',
      summary: 'Every transition of a booking: from, to, when, by whom',
      roles: [...everyone],
      params: bookingParams,
      response: z.array(historyEntrySchema),
      errors: ['BOOKING_NOT_FOUND'],
      handle: async ({ params, actor }) => {
        await desk.get(actor, params.id);
        return store.history(params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bookings/:id/notices',
      tag: 'notices',
      summary: 'The notices sent (or waiting to be sent) about a booking',
      roles: [...everyone],
      params: bookingParams,
      response: z.array(noticeSchema),
      errors: ['BOOKING_NOT_FOUND'],
      handle: async ({ params, actor }) => {
        await desk.get(actor, params.id);
        return outbox.getMany(await store.noticeIds(params.id));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/notices/pending',
      tag: 'notices',
      summary: 'Notices not delivered yet, oldest first (the SMS gateway’s backlog)',
      roles: ['admin', 'ops'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
      response: z.object({ count: z.number().int(), notices: z.array(noticeSchema) }),
      handle: async ({ query }) => ({ count: await outbox.pendingCount(), notices: await outbox.pending(query.limit) }),
    }),
  ];
}
