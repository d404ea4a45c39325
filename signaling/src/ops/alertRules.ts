import { readFileSync } from 'node:fs';
import { z } from 'zod';

const severity = z.enum(['warning', 'critical', 'alarm']);
const forMs = z.number().int().min(0).max(3_600_000);

/**
 * The alert rules (config: `OPS_ALERT_RULES` as JSON, or `OPS_ALERT_RULES_FILE`; each rule may be
 * given partly, the rest keeps its default). A rule raises once its condition has held `forMs`
 * and clears when the condition ends. The guard alarm is always the highest severity.
 */
export const alertRulesSchema = z
  .object({
    loss: z.object({ enabled: z.boolean().default(true), above: z.number().min(0).max(1).default(0.05), forMs: forMs.default(10_000), severity: severity.default('warning') }).strict().prefault({}),
    rtt: z.object({ enabled: z.boolean().default(true), aboveMs: z.number().min(1).default(400), forMs: forMs.default(10_000), severity: severity.default('warning') }).strict().prefault({}),
    freeze: z.object({ enabled: z.boolean().default(true), aboveMs: z.number().min(1).default(2000), forMs: forMs.default(0), severity: severity.default('warning') }).strict().prefault({}),
    noMedia: z.object({ enabled: z.boolean().default(true), forMs: forMs.default(5000), severity: severity.default('critical') }).strict().prefault({}),
    workerDown: z.object({ enabled: z.boolean().default(true), severity: severity.default('critical') }).strict().prefault({}),
    nodeDown: z.object({ enabled: z.boolean().default(true), severity: severity.default('critical'), forgetAfterMs: forMs.default(3_600_000) }).strict().prefault({}),
    /** A stream condition may lapse this long without restarting its clock or clearing (per-interval figures flicker). */
    graceMs: forMs.default(4000),
    guardAlarm: z
      .object({
        /** The alarm stays raised this long after a violation (the meeting itself is closed at once). */
        holdMs: forMs.default(15 * 60_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type AlertRules = z.infer<typeof alertRulesSchema>;

export const defaultAlertRules: AlertRules = alertRulesSchema.parse({});

/** Rules from config: inline JSON wins over a file; neither gives the defaults. */
export function loadAlertRules(json: string | undefined, file: string | undefined): AlertRules {
  const text = json ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (!text) return defaultAlertRules;
  const parsed = alertRulesSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`invalid alert rules: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
