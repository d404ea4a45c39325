import { z } from 'zod';
import { resourceIdSchema } from '../booking/ResourceTypes';
import type { DeviceAssignments } from '../meetings/DeviceAssignments';
import { SignalingError } from '../SignalingError';
import type { MeetingStore } from '../store/MeetingStore';
import type { ResourceStore } from '../store/ResourceStore';
import { defineRoute, type ApiRoute } from './ApiRoute';

export const unitStatusSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['seat', 'booth']),
  /** In service (booking domain). */
  active: z.boolean(),
  /** The terminal is connected to the device channel now. */
  online: z.boolean(),
  /** free: no assignment; assigned: a meeting is assigned and not joined; in_meeting: the terminal holds its seat in the meeting. */
  state: z.enum(['free', 'assigned', 'in_meeting']),
  meetingId: z.string().optional(),
  bookingId: z.string().optional(),
  startsAt: z.number().int().optional(),
  endsAt: z.number().int().optional(),
  /** In a meeting: the other side holds its seat too. */
  peerPresent: z.boolean().optional(),
});
export type UnitStatus = z.infer<typeof unitStatusSchema>;

export interface UnitStatusDeps {
  resources: ResourceStore;
  assignments: DeviceAssignments;
  meetings: MeetingStore;
  /** Ids of devices connected to the device channel now (any instance). */
  onlineDeviceIds: () => Promise<Set<string>>;
}

/**
 * Live status of a station's seats or a center's booths for the consoles: connected or not, and
 * whether each is free, assigned to a meeting, or in it. Officers see their own site.
 */
export function unitStatusRoutes({ resources, assignments, meetings, onlineDeviceIds }: UnitStatusDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/live/units',
      tag: 'workflow',
      summary: 'Live status of a station’s seat terminals or a center’s booth kiosks (online, free, assigned, in a meeting)',
      description: 'Give stationId or centerId; officers may leave it out for their own site and may not name another.',
      roles: ['admin', 'ops', 'station_officer', 'detention_officer'],
      query: z.object({ stationId: resourceIdSchema.optional(), centerId: resourceIdSchema.optional() }).strict(),
      response: z.object({ units: z.array(unitStatusSchema), at: z.number().int() }),
      errors: ['NOT_FOUND'],
      handle: async ({ query, actor }) => {
        let { stationId, centerId } = query;
        if (actor.role === 'station_officer') {
          if (centerId || (stationId && stationId !== actor.siteId)) throw new SignalingError('FORBIDDEN', 'Station officers see their own station only.');
          stationId = actor.siteId;
        }
        if (actor.role === 'detention_officer') {
          if (stationId || (centerId && centerId !== actor.siteId)) throw new SignalingError('FORBIDDEN', 'Detention officers see their own center only.');
          centerId = actor.siteId;
        }
        if (Boolean(stationId) === Boolean(centerId)) throw new SignalingError('BAD_REQUEST', 'query: give either stationId or centerId');
        const units = stationId
          ? (await mustExist(resources, 'station', stationId), (await resources.childrenOf('seat', stationId)).map((s) => ({ ...s, kind: 'seat' as const })))
          : (await mustExist(resources, 'center', centerId!), (await resources.childrenOf('booth', centerId!)).map((b) => ({ ...b, kind: 'booth' as const })));
        const online = await onlineDeviceIds();
        const statuses = await Promise.all(
          units.map(async (unit): Promise<UnitStatus> => {
            const base = { id: unit.id, label: unit.label, kind: unit.kind, active: unit.active, online: online.has(unit.id) };
            const assignment = await assignments.current(unit.id);
            if (!assignment) return { ...base, state: 'free' };
            const [mine, other] = unit.kind === 'seat' ? (['lawyer', 'detainee'] as const) : (['detainee', 'lawyer'] as const);
            const [holder, peer] = await Promise.all([meetings.seatHolder(assignment.meetingId, mine), meetings.seatHolder(assignment.meetingId, other)]);
            const inMeeting = holder?.deviceId === unit.id;
            return {
              ...base,
              state: inMeeting ? 'in_meeting' : 'assigned',
              meetingId: assignment.meetingId,
              bookingId: assignment.bookingId,
              startsAt: assignment.startsAt,
              endsAt: assignment.endsAt,
              ...(inMeeting ? { peerPresent: peer !== undefined } : {}),
            };
          }),
        );
        return { units: statuses, at: Date.now() };
      },
    }),
  ];
}

async function mustExist(resources: ResourceStore, kind: 'station' | 'center', id: string): Promise<void> {
  if (!(await resources.get(kind, id))) throw new SignalingError('NOT_FOUND', `No ${kind} with id ${id}.`);
}
