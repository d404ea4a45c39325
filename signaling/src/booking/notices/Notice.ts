import { z } from 'zod';

export const noticeKindSchema = z.enum(['confirmation', 'reminder', 'change', 'cancellation', 'void', 'feedback_reply']);
export type NoticeKind = z.infer<typeof noticeKindSchema>;

/** A text message to a lawyer, kept in Redis until the sender confirms delivery. */
export const noticeSchema = z.object({
  id: z.string(),
  kind: noticeKindSchema,
  bookingId: z.string(),
  lawyerId: z.string(),
  /** The lawyer's phone number. */
  to: z.string(),
  text: z.string(),
  createdAt: z.coerce.number().int(),
  status: z.enum(['pending', 'delivered']),
  attempts: z.coerce.number().int(),
  lastError: z.string().optional(),
  nextAttemptAt: z.coerce.number().int().optional(),
  deliveredAt: z.coerce.number().int().optional(),
});

export type Notice = z.infer<typeof noticeSchema>;

/** The notice as stored (a flat Redis hash). */
export function noticeFields(notice: Pick<Notice, 'id' | 'kind' | 'bookingId' | 'lawyerId' | 'to' | 'text' | 'createdAt'>): string[] {
  return [
    'id', notice.id,
    'kind', notice.kind,
    'bookingId', notice.bookingId,
    'lawyerId', notice.lawyerId,
    'to', notice.to,
    'text', notice.text,
    'createdAt', String(notice.createdAt),
    'status', 'pending',
    'attempts', '0',
  ];
}

/** A phone number with its middle hidden, for logs. */
export function maskedPhone(phone: string): string {
  return phone.length <= 7 ? '***' : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
