import type { RestTarget } from './DoorFuzzer';

/** Routes always fuzzed, whatever the OpenAPI document says (and a path no route has). */
const fixedTargets: RestTarget[] = [
  { method: 'POST', path: '/api/auth/login' },
  { method: 'POST', path: '/api/no-such-route' },
];

/**
 * Every operation of the signaling's OpenAPI document (`/api/openapi.json`) as a fuzz target,
 * with `headers` (e.g. an admin session, so bodies get past the role check), plus the fixed ones.
 * Without a document (older builds) only the fixed targets.
 */
export async function restTargets(url: string, headers: Record<string, string> = {}): Promise<RestTarget[]> {
  const response = await fetch(`${url}/api/openapi.json`, { headers }).catch(() => undefined);
  if (!response?.ok) return fixedTargets;
  const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> };
  const targets: RestTarget[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations)) {
      const upper = method.toUpperCase();
      if (upper === 'POST' || upper === 'PUT' || upper === 'PATCH' || upper === 'DELETE') {
        targets.push({ method: upper, path: `/api${path.replace(/^\/api/, '').replace(/\{(\w+)\}/g, ':$1')}`, headers });
      }
    }
  }
  return [...fixedTargets, ...targets];
}
