/** A local date (YYYY-MM-DD) in a time zone, `offsetDays` from today. */
export function localDate(timeZone: string, offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + offsetDays * 86_400_000);
}
