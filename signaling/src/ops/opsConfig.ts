import { z } from 'zod';

/** The ops feed's settings (part of signaling's config). */
export const opsConfigShape = {
  /** Push of the live picture to ops dashboards. */
  OPS_PUSH_INTERVAL_MS: z.coerce.number().int().min(250).max(60_000).default(2000),
  /** Alert rules as JSON (partial rules keep their defaults; see docs/operations.md), or a file of it. */
  OPS_ALERT_RULES: z.string().max(10_000).optional(),
  OPS_ALERT_RULES_FILE: z.string().min(1).optional(),
  /** Raised and cleared alerts kept for the dashboard's history. */
  OPS_ALERT_HISTORY: z.coerce.number().int().min(10).max(10_000).default(500),
  /** Where alerts go besides the dashboards: the log (default) or a webhook as well. */
  ALERT_SENDER: z.enum(['log', 'webhook']).default('log'),
  ALERT_WEBHOOK_URL: z.url().optional(),
  /** Bearer token for the alert webhook (secret: from the environment only; redacted in the start-up log). */
  ALERT_WEBHOOK_TOKEN: z.string().min(1).optional().meta({ secret: true }),
  ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Prometheus `/metrics` listener; 0 picks a free port (logged). Keep it off the public network. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
};
