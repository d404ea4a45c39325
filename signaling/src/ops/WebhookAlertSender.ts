import type { Alert } from '../protocol';
import type { AlertSender } from './AlertSender';

export interface WebhookAlertOptions {
  url: string;
  /** Sent as `Authorization: Bearer …` when set (from config, never code). */
  bearerToken?: string | undefined;
  timeoutMs: number;
  tries: number;
  retryDelayMs: number;
}

/**
 * Posts each raise and clear as JSON (`{event: 'raised' | 'cleared', alert}`). `Idempotency-Key`
 * is the alert key, event and raise time, so a receiver can drop the duplicates a retry may make.
 */
export class WebhookAlertSender implements AlertSender {
  readonly name = 'webhook';

  constructor(private readonly options: WebhookAlertOptions) {}

  async send(alert: Alert): Promise<void> {
    const event = alert.clearedAt === undefined ? 'raised' : 'cleared';
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.tries; attempt += 1) {
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': `${alert.key}:${event}:${alert.raisedAt}`,
            ...(this.options.bearerToken ? { authorization: `Bearer ${this.options.bearerToken}` } : {}),
          },
          body: JSON.stringify({ event, alert }),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        lastError = new Error(`alert webhook answered HTTP ${response.status}`);
      } catch (error) {
        lastError = error;
      }
      if (attempt < this.options.tries) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * attempt));
    }
    throw lastError;
  }
}
