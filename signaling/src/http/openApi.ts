import { z, type ZodType } from 'zod';
import { errorCodes, type ErrorCode } from '../protocol/errors';
import { SignalingError } from '../SignalingError';
import type { ApiRoute } from './ApiRoute';

const genericErrors = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
} as const;

const statusText: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'The request is malformed (BAD_REQUEST names the first bad field).',
  401: 'Not signed in, or the session expired.',
  403: 'Signed in, but this role or site may not do this.',
  404: 'Not found.',
  409: 'Conflicts with the current state (taken, already done, changed meanwhile).',
  413: 'The body is too large.',
  422: 'Refused by a booking rule.',
  429: 'Too many requests.',
  500: 'Internal error.',
};

/** Status of each code, exactly as SignalingError maps it. */
function statusOf(code: ErrorCode): number {
  return new SignalingError(code, '').httpStatus;
}

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Express `/bookings/:id` → OpenAPI `/bookings/{id}`. */
export function openApiPath(expressPath: string): string {
  return `/api${expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

function parameters(route: ApiRoute): object[] {
  const out: object[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...propertySchema } = property as { description?: string };
      out.push({
        name,
        in: where,
        required: where === 'path' || (object.required ?? []).includes(name),
        schema: propertySchema,
        ...(description ? { description } : {}),
      });
    }
  }
  return out;
}

function errorResponse(codes: string[]): object {
  return {
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: [...new Set(codes)] },
                message: { type: 'string' },
                details: { type: 'object', additionalProperties: true },
              },
            },
          },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document of `routes`. */
export function openApiDocument(routes: ApiRoute[], info: { title: string; version: string; description: string }): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const codes: ErrorCode[] = [...(route.errors ?? [])];
    if (route.params || route.query || route.body) codes.push(genericErrors[400]);
    if (route.roles) codes.push(genericErrors[401], genericErrors[403]);
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
    const ok = route.status ?? 200;
    const response =
      'mediaType' in route.response
        ? { description: route.response.description, content: { [route.response.mediaType]: { schema: { type: 'string' } } } }
        : { description: statusText[ok] ?? 'OK', content: { 'application/json': { schema: jsonSchema(route.response as ZodType, 'output') } } };
    const responses: Record<string, object> = { [String(ok)]: response };
    for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) responses[String(status)] = { description: statusText[status] ?? 'Error', ...errorResponse(list) };
    const operation = {
      operationId: `${route.method}${route.path.replace(/[:/.-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.roles ? { security: [{ session: [] }], 'x-roles': route.roles } : {}),
      parameters: parameters(route),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
    const path = openApiPath(route.path);
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token from POST /api/auth/login.' },
      },
      schemas: { ErrorCode: { type: 'string', enum: [...errorCodes] } },
    },
  };
}
