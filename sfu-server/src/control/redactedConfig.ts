import { z } from 'zod';

/**
 * The configuration as it may be logged at start-up: a setting marked `secret` in the schema's
 * metadata is printed as `[redacted]`, and a password inside a URL (e.g. REDIS_URL) as `***`.
 */
export function redactedConfig(schema: z.ZodObject, config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      const field = schema.shape[key];
      if (field && z.globalRegistry.get(field)?.secret === true) return [key, value === undefined ? undefined : '[redacted]'];
      return [key, typeof value === 'string' ? withoutUrlPassword(value) : value];
    }),
  );
}

function withoutUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}
