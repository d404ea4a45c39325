import { z } from 'zod';
import { personRoleSchema } from '../auth/PersonAccounts';
import { defineRoute, type ApiRoute } from './ApiRoute';

/** Routes served by their own routers (auth, demo), described here so the OpenAPI document has every route. */
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
