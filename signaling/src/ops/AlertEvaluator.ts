import type { Alert } from '../protocol';

/** A condition that holds right now, and how long it must hold before it becomes an alert. */
export interface AlertCondition extends Omit<Alert, 'raisedAt' | 'clearedAt'> {
  forMs: number;
}

/**
 * Turns the conditions that hold at each evaluation into alerts: raised once when a condition has
 * held `forMs`, cleared when it no longer holds. Pure: time is passed in.
 */
export class AlertEvaluator {
  /** When each holding condition was first seen. */
  private readonly since = new Map<string, number>();
  private readonly raised = new Map<string, Alert>();

  /** Take over alerts raised earlier (by this or another process): they clear when their condition is gone. */
  adopt(alerts: Alert[]): void {
    for (const alert of alerts) {
      this.raised.set(alert.key, alert);
      this.since.set(alert.key, alert.raisedAt);
    }
  }

  get active(): Alert[] {
    return [...this.raised.values()];
  }

  evaluate(now: number, conditions: AlertCondition[]): { raised: Alert[]; cleared: Alert[] } {
    const holding = new Map(conditions.map((c) => [c.key, c]));
    const raised: Alert[] = [];
    const cleared: Alert[] = [];
    for (const [key, alert] of this.raised) {
      if (holding.has(key)) continue;
      this.raised.delete(key);
      cleared.push({ ...alert, clearedAt: now });
    }
    for (const key of this.since.keys()) if (!holding.has(key)) this.since.delete(key);
    for (const condition of conditions) {
      const since = this.since.get(condition.key) ?? now;
      this.since.set(condition.key, since);
      const current = this.raised.get(condition.key);
      if (current) {
        // Keep the figure current for the dashboard; the alert is not raised again.
        current.value = condition.value ?? current.value;
        current.text = condition.text;
        continue;
      }
      if (now - since < condition.forMs) continue;
      const { forMs: _forMs, ...rest } = condition;
      const alert: Alert = { ...rest, raisedAt: now };
      this.raised.set(condition.key, alert);
      raised.push(alert);
    }
    return { raised, cleared };
  }
}
