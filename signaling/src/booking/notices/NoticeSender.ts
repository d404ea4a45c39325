import type { Notice } from './Notice';

/** Delivers one notice (an SMS gateway, a log). Throws when it could not; the outbox retries. */
export interface NoticeSender {
  readonly name: string;
  send(notice: Notice): Promise<void>;
}
