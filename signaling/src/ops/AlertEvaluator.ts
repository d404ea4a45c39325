import type { Alert } from '../protocol';

/** A condition that holds right now, how long it must hold to become an alert, and how long a gap it may have. */
export interface AlertCondition extends Omit<Alert, 'raisedAt' | 'clearedAt'> {
  forMs: number;
  /**
   * A lapse up to this long neither restarts the `forMs` clock nor clears a raised alert: a
   * figure sampled every few seconds (loss per RTCP interval) flickers around its threshold.
   */
  graceMs?: number;
}

interface Tracked {
  since: number;
  lastSeen: number;
  graceMs: number;
}

/**
 * Turns the conditions that hold at each evaluation into alerts: raised once when a condition has
 * held `forMs`, cleared when it has not held for longer than its grace. Pure: time is passed in.
 */
export class AlertEvaluator {
  private readonly tracked = new Map<string, Tracked>();
  private readonly raised = new Map<string, Alert>();

  /** Take over alerts raised earlier (by this or another process): they clear when their condition is gone. */
  adopt(alerts: Alert[]): void {
    for (const alert of alerts) {
      this.raised.set(alert.key, alert);
      this.tracked.set(alert.key, { since: alert.raisedAt, lastSeen: alert.raisedAt, graceMs: 0 });
    }
  }

  get active(): Alert[] {
    return [...this.raised.values()];
  }

  evaluate(now: number, conditions: AlertCondition[]): { raised: Alert[]; cleared: Alert[] } {
    const holding = new Map(conditions.map((c) => [c.key, c]));
    const raised: Alert[] = [];
    const cleared: Alert[] = [];
    for (const [key, tracked] of this.tracked) {
      if (holding.has(key) || now - tracked.lastSeen <= tracked.graceMs) continue;
      this.tracked.delete(key);
      const alert = this.raised.get(key);
      if (!alert) continue;
      this.raised.delete(key);
      cleared.push({ ...alert, clearedAt: now });
    }
    for (const condition of conditions) {
      const tracked = this.tracked.get(condition.key) ?? { since: now, lastSeen: now, graceMs: 0 };
      tracked.lastSeen = now;
      tracked.graceMs = condition.graceMs ?? 0;
      this.tracked.set(condition.key, tracked);
      const current = this.raised.get(condition.key);
      if (current) {
        // Keep the figure current for the dashboard; the alert is not raised again.
        current.value = condition.value ?? current.value;
        current.text = condition.text;
        continue;
      }
      if (now - tracked.since < condition.forMs) continue;
      const { forMs: _forMs, graceMs: _graceMs, ...rest } = condition;
      const alert: Alert = { ...rest, raisedAt: now };
      this.raised.set(condition.key, alert);
      raised.push(alert);
    }
    return { raised, cleared };
  }
}
