import type { Redis } from 'ioredis';
import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../http/ApiRoute';
import { SignalingError } from '../../SignalingError';
import { bookingKeys } from '../../store/bookingKeys';
import type { ResourceStore } from '../../store/ResourceStore';
import { statisticsCsv, type BookingStatistics } from '../Statistics';
import { resourceIdSchema } from '../ResourceTypes';
import { daysBetween, isLocalDate } from '../ZonedCalendar';

const localDate = z.string().refine(isLocalDate, 'a date is YYYY-MM-DD');
const range = z.object({ from: localDate, to: localDate }).strict();
const rate = z.number().nullable();
const counts = {
  bookings: z.number().int(),
  meetings: z.number().int(),
  cancelled: z.number().int(),
  noShows: z.number().int(),
  voidLate: z.number().int(),
  noShowRate: rate,
  averageWaitHours: rate,
};
const usage = { id: z.string(), name: z.string(), districtId: z.string().optional(), units: z.number().int(), utilisation: rate, turnover: rate, ...counts };
const share = { inPerson: z.number().int().nullable(), remoteShare: rate };

export const statisticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  totals: z.object({ ...counts, ...share, seatUtilisation: rate, boothUtilisation: rate }),
  byDay: z.array(z.object({ date: z.string(), ...counts })),
  byStation: z.array(z.object(usage)),
  byCenter: z.array(z.object({ ...usage, ...share })),
  byDistrict: z.array(z.object({ id: z.string(), name: z.string(), ...counts, ...share })),
});

const auditEntrySchema = z.object({ id: z.string().describe('Stream entry id (time-ordered)'), fields: z.record(z.string(), z.string()) });

function checkRange(from: string, to: string): void {
  const days = daysBetween(from, to);
  if (days < 0) throw new SignalingError('BAD_REQUEST', 'query.to: comes before from');
  if (days > 366) throw new SignalingError('BAD_REQUEST', 'query.to: a range is at most one year');
}

/** Statistics for supervisors (JSON and CSV), in-person counts, and the booking audit trail. */
export function statisticsRoutes(statistics: BookingStatistics, resources: ResourceStore, redis: Redis): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/stats',
      tag: 'statistics',
      summary: 'Meetings per day, station, center and district; remote share; seat and booth utilisation and turnover; waiting time; no-show rate',
      roles: ['admin'],
      query: range,
      response: statisticsSchema,
      handle: async ({ query }) => {
        checkRange(query.from, query.to);
        return statistics.compute(query.from, query.to);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/stats.csv',
      tag: 'statistics',
      summary: 'The same figures as one CSV table (UTF-8 with BOM), a row per total, day, station, center and district',
      roles: ['admin'],
      query: range,
      response: { mediaType: 'text/csv', description: 'level,id,name,bookings,meetings,… one row per group' },
      handle: async ({ query, response }) => {
        checkRange(query.from, query.to);
        const csv = statisticsCsv(await statistics.compute(query.from, query.to));
        response
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('content-disposition', `attachment; filename="huijian-${query.from}-${query.to}.csv"`)
          .send(csv);
        return undefined;
      },
    }),
    defineRoute({
      method: 'put',
      path: '/stats/in-person',
      tag: 'statistics',
      summary: 'Enter the number of in-person meetings a center held on a date (for the remote share)',
      roles: ['admin', 'detention_officer'],
      body: z.object({ centerId: resourceIdSchema, date: localDate, meetings: z.number().int().min(0).max(10_000) }).strict(),
      response: z.object({ centerId: z.string(), date: z.string(), meetings: z.number().int() }),
      errors: ['NOT_FOUND'],
      handle: async ({ body, actor }) => {
        if (actor.role === 'detention_officer' && actor.siteId !== body.centerId) throw new SignalingError('FORBIDDEN', 'Officers enter counts for their own center only.');
        if (!(await resources.get('center', body.centerId))) throw new SignalingError('NOT_FOUND', 'No such detention center.');
        await statistics.recordInPerson(body.centerId, body.date, body.meetings);
        return body;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/stats/in-person',
      tag: 'statistics',
      summary: 'In-person meeting counts of a center by date',
      roles: ['admin', 'detention_officer'],
      query: z.object({ centerId: resourceIdSchema, from: localDate, to: localDate }).strict(),
      response: z.record(z.string(), z.number().int()),
      handle: async ({ query, actor }) => {
        if (actor.role === 'detention_officer' && actor.siteId !== query.centerId) throw new SignalingError('FORBIDDEN', 'Officers see their own center only.');
        return statistics.inPerson(query.centerId, query.from, query.to);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/audit/bookings',
      tag: 'audit',
      summary: 'The booking audit trail (metadata only: ids, states, who, when), oldest first after `after`',
      roles: ['admin'],
      query: z.object({ after: z.string().regex(/^\d+-\d+$/).default('0-0'), limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict(),
      response: z.array(auditEntrySchema),
      handle: async ({ query }) => {
        const entries = (await redis.xrange(bookingKeys.audit, `(${query.after}`, '+', 'COUNT', query.limit)) as [string, string[]][];
        return entries.map(([id, flat]) => ({ id, fields: Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]!]] : []))) }));
      },
    }),
  ];
}
