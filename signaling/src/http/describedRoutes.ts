import { z } from 'zod';
import { auditEntrySchema } from '../audit/AuditLog';
import { deviceIdSchema, deviceKindSchema } from '../auth/DeviceCredentials';
import { personRoleSchema } from '../auth/PersonAccounts';
import { defineRoute, type ApiRoute } from './ApiRoute';

/** Routes served by their own routers (auth, devices, audit, demo), described here so the OpenAPI document has every route. */
export const loginRoute = defineRoute({
  method: 'post',
  path: '/auth/login',
  tag: 'auth',
  summary: 'Sign in (lawyers on the portal, staff on the consoles); returns a short-lived session token',
  body: z.object({ username: z.string().max(64), password: z.string().min(1).max(256) }).strict(),
  response: z.object({
    token: z.string(),
    expiresAt: z.number().int(),
    person: z.object({ username: z.string(), displayName: z.string(), role: personRoleSchema, siteId: z.string().optional(), disabled: z.boolean() }),
  }),
  errors: ['UNAUTHENTICATED'],
});

export const demoLinksRoute = defineRoute({
  method: 'get',
  path: '/demo/links',
  tag: 'demo',
  summary: 'Demo mode only: links that open the seat and the booth of the meeting happening now',
  response: z.object({ meetingId: z.string(), endsAt: z.number().int(), station: z.string(), booth: z.string() }),
});

const registeredDevice = z.object({
  deviceId: z.string(),
  kind: deviceKindSchema,
  label: z.string(),
  siteId: z.string().optional(),
  credentialId: z.string(),
  provisionedAt: z.number().int(),
  provisionedBy: z.string(),
  revokedAt: z.number().int().optional(),
  revokedBy: z.string().optional(),
});
const deviceParams = z.object({ deviceId: deviceIdSchema });
const issuedCredential = z.object({ device: registeredDevice, credential: z.string() });

/** Device administration (http/deviceRoutes.ts), admins only. */
export const deviceRouteDescriptions = [
  defineRoute({
    method: 'post',
    path: '/devices',
    tag: 'devices',
    summary: 'Register a station seat terminal or a booth kiosk; the credential appears in this response only',
    roles: ['admin'],
    body: z.object({ deviceId: deviceIdSchema, kind: deviceKindSchema, label: z.string().min(1).max(100).optional(), siteId: z.string().optional() }).strict(),
    status: 201,
    response: issuedCredential,
    errors: ['CONFLICT'],
  }),
  defineRoute({
    method: 'post',
    path: '/devices/:deviceId/credential',
    tag: 'devices',
    summary: 'Rotate a device credential: the old one stops at once',
    roles: ['admin'],
    params: deviceParams,
    response: issuedCredential,
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    method: 'post',
    path: '/devices/:deviceId/revoke',
    tag: 'devices',
    summary: 'Revoke a device: it is locked out and its connections close',
    roles: ['admin'],
    params: deviceParams,
    response: z.object({ device: registeredDevice }),
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    method: 'get',
    path: '/devices',
    tag: 'devices',
    summary: 'Registered devices, with whether each is connected now',
    roles: ['admin'],
    response: z.object({ devices: z.array(registeredDevice.extend({ online: z.boolean() })) }),
  }),
  defineRoute({
    method: 'get',
    path: '/devices/:deviceId',
    tag: 'devices',
    summary: 'One registered device',
    roles: ['admin'],
    params: deviceParams,
    response: z.object({ device: registeredDevice.extend({ online: z.boolean() }) }),
    errors: ['NOT_FOUND'],
  }),
];

/** The access audit stream (http/auditRoutes.ts), admins only. */
export const auditRouteDescription = defineRoute({
  method: 'get',
  path: '/audit',
  tag: 'audit',
  summary: 'The metadata-only audit stream of the meeting gate and device channel, newest first',
  roles: ['admin'],
  query: z.object({
    count: z.coerce.number().int().min(1).max(500).optional(),
    before: z.string().optional(),
    meetingId: z.string().optional(),
    deviceId: z.string().optional(),
  }),
  response: z.object({ entries: z.array(auditEntrySchema.extend({ id: z.string(), at: z.number().int() })), next: z.string().optional() }),
});
