/**
 * Calendar arithmetic in a detention center's time zone: local dates (`YYYY-MM-DD`), local
 * times (`HH:MM`) and epoch milliseconds. Plain dates are handled as UTC days, so weekday and
 * day arithmetic never depend on the process's own zone.
 */
export type LocalDate = string;

const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  date: LocalDate;
  minutes: number;
}

/** Zone offsets are looked up once per zone and quarter hour (every zone changes offset on a quarter hour). */
const quarterHour = 900_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at `epochMs`, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / quarterHour);
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = bucket * quarterHour;
    const parts: Record<string, string> = {};
    for (const part of formatter(timeZone).formatToParts(new Date(at))) parts[part.type] = part.value;
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    offset = wall - at;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const wall = new Date(epochMs + offsetAt(epochMs, timeZone));
  return { date: wall.toISOString().slice(0, 10), minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}

/** The local date at `epochMs` in `timeZone`. */
export function localDateOf(epochMs: number, timeZone: string): LocalDate {
  return wallClock(epochMs, timeZone).date;
}

/** `HH:MM` at `epochMs` in `timeZone`. */
export function localTimeOf(epochMs: number, timeZone: string): string {
  const { minutes } = wallClock(epochMs, timeZone);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Epoch ms of local `date` at `time` (`HH:MM`) in `timeZone`. */
export function epochOf(date: LocalDate, time: string, timeZone: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.parse(`${date}T00:00:00Z`) + (hours * 60 + minutes) * 60_000;
  // Guess with the offset at the UTC reading, then correct once (exact outside DST gaps).
  const guess = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(guess, timeZone);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

export const localDatePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const localTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isLocalDate(value: string): boolean {
  return localDatePattern.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}
