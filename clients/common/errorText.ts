import type { ErrorBody } from '@huijian/signaling/protocol';
import { ApiError } from './api/ApiClient';
import { formatDate, formatLocalDate, formatTime, hasMessage, t } from './i18n';

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const num = (value: unknown) => (typeof value === 'number' ? value : 0);

/**
 * A refusal in the reader's language, with the facts the server gave (dates, limits), saying
 * what to do next. The server's own message (English) is never shown as such.
 */
export function errorText(error: unknown, timeZone?: string): string {
  const body: { code: string; details: Record<string, unknown> } =
    error instanceof ApiError
      ? { code: error.code, details: error.details }
      : typeof error === 'object' && error !== null && 'code' in error
        ? { code: String((error as ErrorBody).code), details: (error as ErrorBody).details ?? {} }
        : { code: 'INTERNAL', details: {} };
  const d = body.details;
  switch (body.code) {
    case 'BOOKING_TOO_SOON':
      return t('error.BOOKING_TOO_SOON', { days: num(d.minWorkingDaysAhead), date: formatLocalDate(text(d.earliestDate)) });
    case 'BOOKING_TOO_FAR_AHEAD':
      return t('error.BOOKING_TOO_FAR_AHEAD', { days: num(d.horizonDays), date: formatLocalDate(text(d.lastDate)) });
    case 'CANCEL_TOO_LATE':
      return t('error.CANCEL_TOO_LATE', { hours: num(d.cancelMinHoursAhead) });
    case 'CHECK_IN_NOT_OPEN':
      return t('error.CHECK_IN_NOT_OPEN', { time: formatTime(num(d.opensAt), timeZone), date: formatDate(num(d.opensAt), timeZone) });
    case 'LAWYER_SUSPENDED':
      return t('error.LAWYER_SUSPENDED', { count: num(d.noShowLimit), days: num(d.noShowWindowDays), date: formatLocalDate(text(d.untilDate)) });
    case 'CONSECUTIVE_LIMIT':
      return t('error.CONSECUTIVE_LIMIT', { minutes: num(d.maxConsecutiveMinutes) });
    case 'DAILY_LIMIT':
      return t('error.DAILY_LIMIT', { minutes: num(d.maxMinutesPerDay) });
    case 'SLOT_TAKEN':
      return t(d.side === 'booth' ? 'error.SLOT_TAKEN.booth' : 'error.SLOT_TAKEN.seat');
    default: {
      const key = `error.${body.code}`;
      if (hasMessage(key)) return t(key);
      return body.code.startsWith('TOKEN_') ? t('error.TOKEN') : t('error.generic');
    }
  }
}
