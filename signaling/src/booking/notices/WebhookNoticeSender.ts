import type { Notice } from './Notice';
import type { NoticeSender } from './NoticeSender';

export interface WebhookOptions {
  url: string;
  /** Sent as `Authorization: Bearer …` when set (from config, never code). */
  bearerToken?: string | undefined;
  timeoutMs: number;
  /** Tries within one delivery attempt before the outbox schedules a later one. */
  tries: number;
  retryDelayMs: number;
}

/**
 * Posts each notice as JSON to an SMS gateway's webhook. The notice id goes in `Idempotency-Key`,
 * so a gateway can drop the duplicates that at-least-once delivery may produce. Any 2xx counts.
 */
export class WebhookNoticeSender implements NoticeSender {
  readonly name = 'webhook';

  constructor(private readonly options: WebhookOptions) {}

  async send(notice: Notice): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.tries; attempt += 1) {
      try {
        await this.post(notice);
        return;
      } catch (error) {
        lastError = error;
        if (attempt < this.options.tries) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * attempt));
      }
    }
    throw lastError;
  }

  private async post(notice: Notice): Promise<void> {
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': notice.id,
        ...(this.options.bearerToken ? { authorization: `Bearer ${this.options.bearerToken}` } : {}),
      },
      body: JSON.stringify({ id: notice.id, kind: notice.kind, to: notice.to, text: notice.text, bookingId: notice.bookingId }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`gateway answered HTTP ${response.status}`);
  }
}
