import type { Logger } from 'pino';
import { maskedPhone, type Notice } from './Notice';
import type { NoticeSender } from './NoticeSender';

/** The default sender: writes each notice to the log, phone number masked. */
export class LogNoticeSender implements NoticeSender {
  readonly name = 'log';

  constructor(private readonly log: Logger) {}

  async send(notice: Notice): Promise<void> {
    this.log.info({ noticeId: notice.id, kind: notice.kind, bookingId: notice.bookingId, to: maskedPhone(notice.to), text: notice.text }, 'notice sent');
  }
}
