import type { Redis } from 'ioredis';
import { bookingKeys } from '../store/bookingKeys';
import type { Booking } from './Booking';
import type { BookingContext } from './BookingContext';
import { BookingRules } from './BookingRules';
import type { CenterRow, Counts, Statistics, UsageRow } from '../protocol/statistics';
import { addDays, epochOf, type LocalDate } from './ZonedCalendar';

const hour = 3_600_000;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

function count(bookings: Booking[]): Counts {
  const by = (status: Booking['status']) => bookings.filter((b) => b.status === status).length;
  const meetings = bookings.filter((b) => b.status === 'completed');
  const noShows = by('no_show');
  const voidLate = by('void_late');
  const wait = meetings.reduce((sum, b) => sum + (b.startsAt - b.createdAt), 0);
  return {
    bookings: bookings.length,
    meetings: meetings.length,
    cancelled: by('cancelled'),
    noShows,
    voidLate,
    noShowRate: ratio(noShows + voidLate, meetings.length + noShows + voidLate),
    averageWaitHours: meetings.length ? Math.round((wait / meetings.length / hour) * 10) / 10 : null,
  };
}

const hoursOf = (bookings: Booking[]) => bookings.filter((b) => b.status === 'completed').reduce((sum, b) => sum + (b.endsAt - b.startsAt) / hour, 0);

/** Figures for supervisors over a range of local dates (inclusive), from the bookings and the in-person counts. */
export class BookingStatistics {
  constructor(
    private readonly ctx: BookingContext,
    private readonly redis: Redis,
  ) {}

  async recordInPerson(centerId: string, date: LocalDate, meetings: number): Promise<void> {
    await this.redis.hset(bookingKeys.inPerson(centerId), date, String(meetings));
  }

  async inPerson(centerId: string, from: LocalDate, to: LocalDate): Promise<Record<LocalDate, number>> {
    const all = await this.redis.hgetall(bookingKeys.inPerson(centerId));
    return Object.fromEntries(Object.entries(all).filter(([date]) => date >= from && date <= to).map(([date, n]) => [date, Number(n)]));
  }

  async compute(from: LocalDate, to: LocalDate): Promise<Statistics> {
    const { store, resources, policies } = this.ctx;
    const defaultRules = new BookingRules(policies.fallback);
    const zone = policies.fallback.timeZone;
    const ids = await store.idsStarting(bookingKeys.byStart, epochOf(from, '00:00', zone), epochOf(addDays(to, 1), '00:00', zone), 1_000_000);
    const bookings = (await store.getMany(ids)).filter((b) => b.date >= from && b.date <= to);
    const [districts, stations, centers, seats, booths] = await Promise.all([
      resources.list('district'),
      resources.list('station'),
      resources.list('center'),
      resources.list('seat'),
      resources.list('booth'),
    ]);
    const dates: LocalDate[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
    const offeredHours = (rules: BookingRules) => dates.reduce((sum, d) => sum + rules.slotsOn(d).length * (rules.policy.slotMinutes / 60), 0);
    const workingDays = (rules: BookingRules) => dates.filter((d) => rules.isWorkingDay(d)).length;

    const byStation: UsageRow[] = stations.map((station) => {
      const mine = bookings.filter((b) => b.stationId === station.id);
      const units = seats.filter((s) => s.stationId === station.id && s.active).length;
      return {
        id: station.id,
        name: station.name,
        districtId: station.districtId,
        units,
        ...count(mine),
        utilisation: ratio(hoursOf(mine), units * offeredHours(defaultRules)),
        turnover: ratio(count(mine).meetings, units * workingDays(defaultRules)),
      };
    });
    const inPersonByCenter = new Map<string, number | null>();
    for (const center of centers) {
      const entries = Object.values(await this.inPerson(center.id, from, to));
      inPersonByCenter.set(center.id, entries.length ? entries.reduce((a, b) => a + b, 0) : null);
    }
    const byCenter: CenterRow[] = centers.map((center) => {
      const rules = new BookingRules(policies.forCenter(center.id));
      const mine = bookings.filter((b) => b.centerId === center.id);
      const units = booths.filter((b) => b.centerId === center.id && b.active).length;
      const counts = count(mine);
      const inPerson = inPersonByCenter.get(center.id) ?? null;
      return {
        id: center.id,
        name: center.name,
        districtId: center.districtId,
        units,
        ...counts,
        utilisation: ratio(hoursOf(mine), units * offeredHours(rules)),
        turnover: ratio(counts.meetings, units * workingDays(rules)),
        inPerson,
        remoteShare: inPerson === null ? null : ratio(counts.meetings, counts.meetings + inPerson),
      };
    });
    const share = (rows: CenterRow[]) => {
      const entered = rows.filter((r) => r.inPerson !== null);
      if (entered.length === 0) return { inPerson: null, remoteShare: null };
      const remote = entered.reduce((sum, r) => sum + r.meetings, 0);
      const inPerson = entered.reduce((sum, r) => sum + (r.inPerson ?? 0), 0);
      return { inPerson, remoteShare: ratio(remote, remote + inPerson) };
    };
    const stationDistrict = new Map(stations.map((s) => [s.id, s.districtId]));
    const byDistrict = districts.map((district) => ({
      id: district.id,
      name: district.name,
      ...count(bookings.filter((b) => stationDistrict.get(b.stationId) === district.id)),
      ...share(byCenter.filter((c) => c.districtId === district.id)),
    }));
    const seatUnits = byStation.reduce((sum, r) => sum + r.units, 0);
    const boothHours = byCenter.reduce((sum, r) => sum + r.units * offeredHours(new BookingRules(policies.forCenter(r.id))), 0);
    return {
      from,
      to,
      timeZone: zone,
      totals: {
        ...count(bookings),
        ...share(byCenter),
        seatUtilisation: ratio(hoursOf(bookings), seatUnits * offeredHours(defaultRules)),
        boothUtilisation: ratio(hoursOf(bookings), boothHours),
      },
      byDay: dates.map((date) => ({ date, ...count(bookings.filter((b) => b.date === date)) })),
      byStation,
      byCenter,
      byDistrict,
    };
  }
}

const csvColumns = ['level', 'id', 'name', 'bookings', 'meetings', 'cancelled', 'no_shows', 'void_late', 'no_show_rate', 'average_wait_hours', 'units', 'utilisation', 'turnover', 'in_person', 'remote_share'] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One table for spreadsheets: a row per total, day, station, center and district. UTF-8 with BOM so Excel reads the Chinese names. */
export function statisticsCsv(stats: Statistics): string {
  type Row = Partial<Counts & { id: string; name: string; units: number; utilisation: number | null; turnover: number | null; inPerson: number | null; remoteShare: number | null }>;
  const line = (level: string, row: Row) =>
    [
      level,
      row.id,
      row.name,
      row.bookings,
      row.meetings,
      row.cancelled,
      row.noShows,
      row.voidLate,
      row.noShowRate,
      row.averageWaitHours,
      row.units,
      row.utilisation,
      row.turnover,
      row.inPerson,
      row.remoteShare,
    ]
      .map(cell)
      .join(',');
  const lines = [csvColumns.join(','), line('total', { ...stats.totals, id: `${stats.from}..${stats.to}`, name: 'all' })];
  for (const day of stats.byDay) lines.push(line('day', { ...day, id: day.date, name: day.date }));
  for (const row of stats.byStation) lines.push(line('station', row));
  for (const row of stats.byCenter) lines.push(line('center', row));
  for (const row of stats.byDistrict) lines.push(line('district', row));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
