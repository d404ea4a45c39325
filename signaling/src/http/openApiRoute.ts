import { z } from 'zod';
import { defineRoute, type ApiRoute } from './ApiRoute';
import { openApiDocument } from './openApi';

/** GET /api/openapi.json: the document of `routes` and of itself. */
export function openApiRoute(routes: ApiRoute[]): ApiRoute {
  let document: object | undefined;
  const self: ApiRoute = defineRoute({
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This API’s OpenAPI 3.1 document',
    response: z.object({ openapi: z.string() }).loose(),
    handle: async () =>
      (document ??= openApiDocument([...routes, self], {
        title: 'Huijian REST API',
        version: '1.0.0',
        description:
          'Booking and the day’s workflow of remote lawyer–detainee meetings. Errors are { error: { code, message, details? } } with stable codes; ' +
          'HTTP 400 malformed, 401 not signed in, 403 role or site, 404 unknown, 409 conflict, 422 a booking rule refused.',
      })),
  });
  return self;
}
