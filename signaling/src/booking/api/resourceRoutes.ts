import { z } from 'zod';
import type { PersonAccounts } from '../../auth/PersonAccounts';
import { usernameSchema } from '../../auth/PersonAccounts';
import { defineRoute, type ApiRoute } from '../../http/ApiRoute';
import { SignalingError } from '../../SignalingError';
import type { ResourceStore } from '../../store/ResourceStore';
import type { BookingPolicies } from '../BookingPolicy';
import { bookingPolicySchema } from '../BookingPolicy';
import type { Actor } from '../Booking';
import {
  boothSchema,
  centerSchema,
  detaineeSchema,
  districtSchema,
  lawyerSchema,
  resourceIdSchema,
  seatSchema,
  stationSchema,
  type ResourceKind,
  type ResourceOf,
} from '../ResourceTypes';

const idParams = z.object({ id: resourceIdSchema });
const staff = ['admin', 'station_officer', 'detention_officer', 'ops'] as const;
const everyone = ['lawyer', ...staff] as const;

const stationView = stationSchema.extend({ seats: z.array(seatSchema) });
const centerView = centerSchema.extend({ booths: z.array(boothSchema) });
/** What a lawyer may learn about a detainee: enough to book, no more. */
const detaineeLookupView = detaineeSchema.pick({ id: true, centerId: true, name: true, procedureStage: true });

async function mustGet<K extends ResourceKind>(resources: ResourceStore, kind: K, id: string): Promise<ResourceOf[K]> {
  const found = await resources.get(kind, id);
  if (!found) throw new SignalingError('NOT_FOUND', `No ${kind} with id ${id}.`);
  return found;
}

async function create<K extends ResourceKind>(resources: ResourceStore, kind: K, value: ResourceOf[K]): Promise<ResourceOf[K]> {
  if (!(await resources.create(kind, value))) throw new SignalingError('CONFLICT', `A ${kind} with id ${value.id} exists already.`);
  return value;
}

async function update<K extends ResourceKind>(resources: ResourceStore, kind: K, id: string, patch: Partial<ResourceOf[K]>): Promise<ResourceOf[K]> {
  const merged = { ...(await mustGet(resources, kind, id)), ...patch, id };
  await resources.put(kind, merged as ResourceOf[K]);
  return merged as ResourceOf[K];
}

function assertCenterScope(actor: Actor, centerId: string): void {
  if (actor.role === 'detention_officer' && actor.siteId !== centerId) throw new SignalingError('FORBIDDEN', 'Officers see the detainees of their own center only.');
}

/** Districts, stations and seats, centers and booths, lawyers and detainees; and the rules in force. */
export function resourceRoutes(resources: ResourceStore, accounts: PersonAccounts, policies: BookingPolicies): ApiRoute[] {
  const exists = async (kind: ResourceKind, id: string) => {
    await mustGet(resources, kind, id);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/districts',
      tag: 'resources',
      summary: 'List districts',
      roles: [...everyone],
      response: z.array(districtSchema),
      handle: async () => resources.list('district'),
    }),
    defineRoute({
      method: 'post',
      path: '/districts',
      tag: 'resources',
      summary: 'Create a district',
      roles: ['admin'],
      body: districtSchema,
      status: 201,
      response: districtSchema,
      errors: ['CONFLICT'],
      handle: async ({ body }) => create(resources, 'district', body),
    }),
    defineRoute({
      method: 'patch',
      path: '/districts/:id',
      tag: 'resources',
      summary: 'Rename or retire a district',
      roles: ['admin'],
      params: idParams,
      body: districtSchema.omit({ id: true }).partial().strict(),
      response: districtSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body }) => update(resources, 'district', params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/stations',
      tag: 'resources',
      summary: 'List police stations and case-handling centers',
      roles: [...everyone],
      query: z.object({ districtId: resourceIdSchema.optional() }).strict(),
      response: z.array(stationSchema),
      handle: async ({ query }) => (await resources.list('station')).filter((s) => !query.districtId || s.districtId === query.districtId),
    }),
    defineRoute({
      method: 'post',
      path: '/stations',
      tag: 'resources',
      summary: 'Create a station',
      roles: ['admin'],
      body: stationSchema,
      status: 201,
      response: stationSchema,
      errors: ['CONFLICT', 'NOT_FOUND'],
      handle: async ({ body }) => {
        await exists('district', body.districtId);
        return create(resources, 'station', body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/stations/:id',
      tag: 'resources',
      summary: 'A station with its seats',
      roles: [...everyone],
      params: idParams,
      response: stationView,
      errors: ['NOT_FOUND'],
      handle: async ({ params }) => ({ ...(await mustGet(resources, 'station', params.id)), seats: await resources.childrenOf('seat', params.id) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/stations/:id',
      tag: 'resources',
      summary: 'Change or retire a station',
      roles: ['admin'],
      params: idParams,
      body: stationSchema.omit({ id: true }).partial().strict(),
      response: stationSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body }) => {
        if (body.districtId) await exists('district', body.districtId);
        return update(resources, 'station', params.id, body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/stations/:id/seats',
      tag: 'resources',
      summary: 'Add a seat terminal to a station (its id is the terminal’s device id)',
      roles: ['admin'],
      params: idParams,
      body: seatSchema.omit({ stationId: true }),
      status: 201,
      response: seatSchema,
      errors: ['CONFLICT', 'NOT_FOUND'],
      handle: async ({ params, body }) => {
        await exists('station', params.id);
        return create(resources, 'seat', { ...body, stationId: params.id });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/seats/:id',
      tag: 'resources',
      summary: 'Relabel a seat, or take it out of service',
      roles: ['admin'],
      params: idParams,
      body: seatSchema.pick({ label: true, active: true }).partial().strict(),
      response: seatSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body }) => update(resources, 'seat', params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/centers',
      tag: 'resources',
      summary: 'List detention centers',
      roles: [...everyone],
      query: z.object({ districtId: resourceIdSchema.optional() }).strict(),
      response: z.array(centerSchema),
      handle: async ({ query }) => (await resources.list('center')).filter((c) => !query.districtId || c.districtId === query.districtId),
    }),
    defineRoute({
      method: 'post',
      path: '/centers',
      tag: 'resources',
      summary: 'Create a detention center',
      roles: ['admin'],
      body: centerSchema,
      status: 201,
      response: centerSchema,
      errors: ['CONFLICT', 'NOT_FOUND'],
      handle: async ({ body }) => {
        await exists('district', body.districtId);
        return create(resources, 'center', body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/centers/:id',
      tag: 'resources',
      summary: 'A detention center with its booths',
      roles: [...everyone],
      params: idParams,
      response: centerView,
      errors: ['NOT_FOUND'],
      handle: async ({ params }) => ({ ...(await mustGet(resources, 'center', params.id)), booths: await resources.childrenOf('booth', params.id) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/centers/:id',
      tag: 'resources',
      summary: 'Change or retire a detention center',
      roles: ['admin'],
      params: idParams,
      body: centerSchema.omit({ id: true }).partial().strict(),
      response: centerSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body }) => {
        if (body.districtId) await exists('district', body.districtId);
        return update(resources, 'center', params.id, body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/centers/:id/booths',
      tag: 'resources',
      summary: 'Add a booth kiosk to a center (its id is the kiosk’s device id)',
      roles: ['admin'],
      params: idParams,
      body: boothSchema.omit({ centerId: true }),
      status: 201,
      response: boothSchema,
      errors: ['CONFLICT', 'NOT_FOUND'],
      handle: async ({ params, body }) => {
        await exists('center', params.id);
        return create(resources, 'booth', { ...body, centerId: params.id });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/booths/:id',
      tag: 'resources',
      summary: 'Relabel a booth, or take it out of service',
      roles: ['admin'],
      params: idParams,
      body: boothSchema.pick({ label: true, active: true }).partial().strict(),
      response: boothSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body }) => update(resources, 'booth', params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/lawyers',
      tag: 'resources',
      summary: 'List lawyers',
      roles: ['admin'],
      response: z.array(lawyerSchema),
      handle: async () => resources.list('lawyer'),
    }),
    defineRoute({
      method: 'post',
      path: '/lawyers',
      tag: 'resources',
      summary: 'Register a lawyer',
      roles: ['admin'],
      body: lawyerSchema,
      status: 201,
      response: lawyerSchema,
      errors: ['CONFLICT'],
      handle: async ({ body }) => create(resources, 'lawyer', body),
    }),
    defineRoute({
      method: 'get',
      path: '/lawyers/:id',
      tag: 'resources',
      summary: 'A lawyer (admins, or the lawyer themself)',
      roles: ['admin', 'lawyer'],
      params: idParams,
      response: lawyerSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, actor }) => {
        if (actor.role === 'lawyer' && actor.siteId !== params.id) throw new SignalingError('NOT_FOUND', `No lawyer with id ${params.id}.`);
        return mustGet(resources, 'lawyer', params.id);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/lawyers/:id',
      tag: 'resources',
      summary: 'Change a lawyer’s details, or disable their booking',
      roles: ['admin'],
      params: idParams,
      body: lawyerSchema.omit({ id: true }).partial().strict(),
      response: lawyerSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body }) => update(resources, 'lawyer', params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/lawyers/:id/account',
      tag: 'resources',
      summary: 'Give a lawyer a portal login',
      roles: ['admin'],
      params: idParams,
      body: z.object({ username: usernameSchema, password: z.string().min(10).max(256) }).strict(),
      status: 201,
      response: z.object({ username: z.string(), role: z.literal('lawyer'), siteId: z.string() }),
      errors: ['CONFLICT', 'NOT_FOUND'],
      handle: async ({ params, body }) => {
        const lawyer = await mustGet(resources, 'lawyer', params.id);
        if (await accounts.get(body.username)) throw new SignalingError('CONFLICT', 'That username is taken.');
        await accounts.create({ username: body.username, displayName: lawyer.name, role: 'lawyer', siteId: lawyer.id, password: body.password });
        return { username: body.username, role: 'lawyer' as const, siteId: lawyer.id };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/detainees',
      tag: 'resources',
      summary: 'List the detainees of a center (its officers and admins)',
      roles: ['admin', 'detention_officer'],
      query: z.object({ centerId: resourceIdSchema }).strict(),
      response: z.array(detaineeSchema),
      errors: ['NOT_FOUND'],
      handle: async ({ query, actor }) => {
        assertCenterScope(actor, query.centerId);
        return resources.childrenOf('detainee', query.centerId);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/detainees/lookup',
      tag: 'resources',
      summary: 'Find one’s client by center, name and case reference (no browsing)',
      description: 'Returns at most one person, and only when name and case reference both match exactly.',
      roles: ['lawyer', 'admin', 'station_officer'],
      query: z.object({ centerId: resourceIdSchema, name: z.string().trim().min(1).max(100), caseReference: z.string().trim().min(1).max(64) }).strict(),
      response: detaineeLookupView,
      errors: ['NOT_FOUND'],
      handle: async ({ query }) => {
        const match = (await resources.childrenOf('detainee', query.centerId)).find(
          (d) => d.active && d.name === query.name && d.caseReference.toLowerCase() === query.caseReference.toLowerCase(),
        );
        if (!match) throw new SignalingError('NOT_FOUND', 'Nobody with that name and case reference is held at this center.');
        return detaineeLookupView.parse(match);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/detainees',
      tag: 'resources',
      summary: 'Register a detainee at a center',
      roles: ['admin', 'detention_officer'],
      body: detaineeSchema,
      status: 201,
      response: detaineeSchema,
      errors: ['CONFLICT', 'NOT_FOUND'],
      handle: async ({ body, actor }) => {
        assertCenterScope(actor, body.centerId);
        await exists('center', body.centerId);
        return create(resources, 'detainee', body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/detainees/:id',
      tag: 'resources',
      summary: 'A detainee (their center’s officers and admins)',
      roles: ['admin', 'detention_officer'],
      params: idParams,
      response: detaineeSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, actor }) => {
        const detainee = await mustGet(resources, 'detainee', params.id);
        assertCenterScope(actor, detainee.centerId);
        return detainee;
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/detainees/:id',
      tag: 'resources',
      summary: 'Update a detainee’s case details, or mark them released or transferred',
      roles: ['admin', 'detention_officer'],
      params: idParams,
      body: detaineeSchema.omit({ id: true, centerId: true }).partial().strict(),
      response: detaineeSchema,
      errors: ['NOT_FOUND'],
      handle: async ({ params, body, actor }) => {
        assertCenterScope(actor, (await mustGet(resources, 'detainee', params.id)).centerId);
        return update(resources, 'detainee', params.id, body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/policies',
      tag: 'rules',
      summary: 'The booking rules in force: the default and each center’s own',
      roles: [...everyone],
      response: z.object({ default: bookingPolicySchema, centers: z.record(z.string(), bookingPolicySchema) }),
      handle: async () => policies.describe(),
    }),
  ];
}

