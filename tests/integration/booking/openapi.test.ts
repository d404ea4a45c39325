import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingHarness, beijing } from '../../support/BookingHarness';

interface Layer {
  name: string;
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every (method, path) Express serves, with mount paths, in OpenAPI form. */
function expressRoutes(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) out.push(`${method} ${prefix}${layer.route.path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}'));
    } else if (layer.name === 'router' && layer.handle.stack) {
      out.push(...expressRoutes(layer.handle.stack, prefix + (layer.rawPath ?? '')));
    }
  }
  return out;
}

describe('OpenAPI document at /api/openapi.json', () => {
  let h: BookingHarness;
  let document: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>> };

  beforeAll(async () => {
    h = await BookingHarness.start({ now: beijing('2026-12-07', '10:00') });
    const answer = await h.api('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    document = answer.body;
  });
  afterAll(async () => h?.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route Express serves under /api, and nothing it does not', async () => {
    const served = expressRoutes((h.express as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) => r.includes(' /api/')).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(served.length).toBeGreaterThan(40);
    expect(documented).toEqual(served);
  });

  it('documents security and the refusal codes of each route', () => {
    const book = document.paths['/api/bookings']!.post!;
    expect(book.security).toEqual([{ session: [] }]);
    const codes = (status: string) => (book.responses[status] as { content: { 'application/json': { schema: { properties: { error: { properties: { code: { enum: string[] } } } } } } } }).content['application/json'].schema.properties.error.properties.code.enum;
    expect(codes('422')).toEqual(expect.arrayContaining(['BOOKING_TOO_SOON', 'LAWYER_SUSPENDED', 'DAILY_LIMIT', 'CONSECUTIVE_LIMIT']));
    expect(codes('409')).toEqual(expect.arrayContaining(['SLOT_TAKEN', 'LAWYER_BUSY', 'DETAINEE_BUSY']));
    expect(Object.keys(book.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '422']);
    expect(document.paths['/api/auth/login']!.post!.security).toBeUndefined();
  });
});
