import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../http/ApiRoute';
import { SignalingError } from '../../SignalingError';
import type { ResourceStore } from '../../store/ResourceStore';
import { bookingSchema, bookingStatusSchema, type Booking } from '../Booking';
import type { BookingDesk } from '../BookingDesk';
import type { BookingPolicies } from '../BookingPolicy';
import { BookingRules } from '../BookingRules';
import { resourceIdSchema, type ResourceKind, type ResourceOf } from '../ResourceTypes';
import { addDays, epochOf, isLocalDate, localDateOf } from '../ZonedCalendar';

const localDate = z.string().refine(isLocalDate, 'a date is YYYY-MM-DD');
const minute = 60_000;

/** A booking with what a person needs to act on it: names, places, the center's zone and the day's deadlines. */
export const agendaEntrySchema = bookingSchema.extend({
  lawyerName: z.string(),
  lawyerFirm: z.string(),
  /** Staff only: the number to phone the lawyer back on (follow-up). */
  lawyerPhone: z.string().optional(),
  detaineeName: z.string(),
  stationName: z.string(),
  stationAddress: z.string(),
  centerName: z.string(),
  seatLabel: z.string(),
  boothLabel: z.string(),
  /** IANA zone of the detention center: show every time in it. */
  timeZone: z.string(),
  /** Be at the station by then (the policy's arrive-early minutes). */
  arriveBy: z.number().int(),
  checkInOpensAt: z.number().int(),
  /** Not checked in by then: the booking is void. */
  voidAfter: z.number().int(),
  /** A lawyer may cancel until then. */
  cancelUntil: z.number().int(),
});
export type AgendaEntry = z.infer<typeof agendaEntrySchema>;

/**
 * The people's view of bookings: a lawyer's "my bookings", a station's or a center's day, with the
 * names and deadlines their screens show (the plain booking carries ids only).
 */
export function agendaRoutes(deps: { desk: BookingDesk; resources: ResourceStore; policies: BookingPolicies; now: () => number }): ApiRoute[] {
  const { desk, resources, policies, now } = deps;
  const zone = policies.fallback.timeZone;
  return [
    defineRoute({
      method: 'get',
      path: '/agenda',
      tag: 'booking',
      summary: 'Bookings the caller may see, by slot date, with names, places, the center’s time zone and the day’s deadlines',
      description: 'A lawyer sees their own bookings, a station officer their station’s, a detention officer their center’s, an admin any (filtered by stationId or centerId).',
      roles: ['lawyer', 'admin', 'station_officer', 'detention_officer'],
      query: z
        .object({
          from: localDate.optional().describe('First local date (default today).'),
          to: localDate.optional().describe('Last local date, inclusive (default: from).'),
          stationId: resourceIdSchema.optional(),
          centerId: resourceIdSchema.optional(),
          status: bookingStatusSchema.optional(),
        })
        .strict(),
      response: z.array(agendaEntrySchema),
      handle: async ({ query, actor }) => {
        const from = query.from ?? localDateOf(now(), zone);
        const to = query.to ?? from;
        if (to < from) throw new SignalingError('BAD_REQUEST', 'query.to: comes before from');
        if (to > addDays(from, 92)) throw new SignalingError('BAD_REQUEST', 'query.to: at most 93 days at a time');
        // A day around the range, so a center in another zone than the fallback loses no booking at the edges.
        const bookings = await desk.list(actor, {
          from: epochOf(addDays(from, -1), '00:00', zone),
          to: epochOf(addDays(to, 2), '00:00', zone),
          stationId: query.stationId,
          centerId: query.centerId,
          status: query.status,
        });
        const names = new ResourceNames(resources);
        const staff = actor.role !== 'lawyer';
        const entries = await Promise.all(bookings.map((booking) => entryOf(booking, names, policies, staff)));
        return entries.filter((entry) => entry.date >= from && entry.date <= to);
      },
    }),
  ];
}

async function entryOf(booking: Booking, names: ResourceNames, policies: BookingPolicies, staff: boolean): Promise<AgendaEntry> {
  const [lawyer, detainee, station, center, seat, booth] = await Promise.all([
    names.get('lawyer', booking.lawyerId),
    names.get('detainee', booking.detaineeId),
    names.get('station', booking.stationId),
    names.get('center', booking.centerId),
    names.get('seat', booking.seatId),
    names.get('booth', booking.boothId),
  ]);
  const policy = policies.forCenter(booking.centerId);
  const rules = new BookingRules(policy);
  return {
    ...booking,
    lawyerName: lawyer?.name ?? booking.lawyerId,
    lawyerFirm: lawyer?.firm ?? '',
    ...(staff && lawyer ? { lawyerPhone: lawyer.phone } : {}),
    detaineeName: detainee?.name ?? booking.detaineeId,
    stationName: station?.name ?? booking.stationId,
    stationAddress: station?.address ?? '',
    centerName: center?.name ?? booking.centerId,
    seatLabel: seat?.label ?? booking.seatId,
    boothLabel: booth?.label ?? booking.boothId,
    timeZone: policy.timeZone,
    arriveBy: booking.startsAt - policy.arriveEarlyMinutes * minute,
    checkInOpensAt: rules.checkInOpensAt(booking.startsAt),
    voidAfter: rules.voidAfter(booking.startsAt),
    cancelUntil: booking.startsAt - policy.cancelMinHoursAhead * 3_600_000,
  };
}

/** Resources looked up once per request, however many bookings name them. */
class ResourceNames {
  private readonly seen = new Map<string, Promise<unknown>>();

  constructor(private readonly resources: ResourceStore) {}

  get<K extends ResourceKind>(kind: K, id: string): Promise<ResourceOf[K] | undefined> {
    const key = `${kind}:${id}`;
    let found = this.seen.get(key) as Promise<ResourceOf[K] | undefined> | undefined;
    if (!found) this.seen.set(key, (found = this.resources.get(kind, id)));
    return found;
  }
}
