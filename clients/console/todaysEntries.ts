import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry } from '../common/api/types';
import { localDate } from '../common/localDate';

/**
 * Today's bookings at the caller's site, "today" being each booking's own center's date: the
 * agenda is read a day either side and filtered by the date in each booking's zone.
 */
export async function todaysEntries(api: ApiClient): Promise<AgendaEntry[]> {
  const around = await api.get<AgendaEntry[]>('/agenda', { from: localDate('UTC', -1), to: localDate('UTC', 1) });
  return around.filter((entry) => entry.date === localDate(entry.timeZone));
}
