import { Router, type Request, type Response } from 'express';
import { z, type ZodType } from 'zod';
import type { PersonRole } from '../auth/PersonAccounts';
import type { PersonSession, PersonSessions } from '../auth/PersonSessions';
import type { Actor } from '../booking/Booking';
import type { ErrorCode } from '../protocol/errors';
import { SignalingError } from '../SignalingError';
import { requireRole } from './requireRole';

export interface ApiInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The signed-in person (routes with roles only). */
  actor: Actor;
  response: Response;
}

/**
 * One REST route, declared once: Express serves it from this and the OpenAPI document describes
 * it from this, so the two cannot drift apart. Paths are Express paths under /api.
 */
export interface ApiRoute<P = any, Q = any, B = any> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it; absent for public routes. */
  roles?: PersonRole[];
  params?: z.ZodObject<any> & ZodType<P>;
  query?: z.ZodObject<any> & ZodType<Q>;
  body?: ZodType<B>;
  /** 200 unless said. */
  status?: number;
  /** A JSON schema, or a non-JSON media type. */
  response: ZodType | { mediaType: string; description: string };
  /** Error codes this route can answer with, besides the generic ones. */
  errors?: ErrorCode[];
  /** Absent when another router serves the route and it is only described here. */
  handle?: (input: ApiInput<P, Q, B>) => Promise<unknown>;
}

export function defineRoute<P, Q, B>(route: ApiRoute<P, Q, B>): ApiRoute<P, Q, B> {
  return route;
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = [where, ...(issue?.path ?? [])].join('.');
  throw new SignalingError('BAD_REQUEST', `${field}: ${issue?.message ?? 'invalid'}`);
}

export function actorOf(person: PersonSession): Actor {
  return { username: person.sub, role: person.role, name: person.name, ...(person.site ? { siteId: person.site } : {}) };
}

const anonymous: Actor = { username: 'anonymous', role: 'system', name: 'anonymous' };

/** An Express router serving every route that has a handler. */
export function apiRouter(routes: ApiRoute[], sessions: PersonSessions): Router {
  const router = Router();
  for (const route of routes) {
    if (!route.handle) continue;
    const handle = route.handle;
    const guard = route.roles ? [requireRole(sessions, ...route.roles)] : [];
    router[route.method](route.path, ...guard, async (req: Request, res: Response) => {
      const params = parse(route.params, req.params, 'params');
      const query = parse(route.query, req.query, 'query');
      const body = parse(route.body, req.body, 'body');
      const person = res.locals.person;
      const result = await handle({ params, query, body, actor: person ? actorOf(person) : anonymous, response: res });
      if (res.headersSent) return;
      res.status(route.status ?? 200).json(result);
    });
  }
  return router;
}
