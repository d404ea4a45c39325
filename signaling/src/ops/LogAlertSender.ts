import type { Logger } from 'pino';
import type { Alert } from '../protocol';
import type { AlertSender } from './AlertSender';

/** The default sender: one log line per raise and clear (warn, or error for critical and alarm). */
export class LogAlertSender implements AlertSender {
  readonly name = 'log';

  constructor(private readonly log: Logger) {}

  async send(alert: Alert): Promise<void> {
    const line = { alert: { key: alert.key, rule: alert.rule, severity: alert.severity, subject: alert.subject, value: alert.value, raisedAt: alert.raisedAt, clearedAt: alert.clearedAt } };
    if (alert.clearedAt !== undefined) this.log.info(line, `alert cleared: ${alert.text}`);
    else if (alert.severity === 'warning') this.log.warn(line, `alert: ${alert.text}`);
    else this.log.error(line, `alert: ${alert.text}`);
  }
}
