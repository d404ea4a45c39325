import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekday } from '../../../signaling/src/booking/ZonedCalendar';
import { BookingHarness, beijing, hour, seedWorld } from '../../support/BookingHarness';

/**
 * A month (December 2026) played through the real API and clock: every working day one meeting
 * at station A / center One; every third day a no-show at station B; every fourth (from the
 * second) a booking the lawyer cancels. Center One enters 4 in-person meetings a day.
 */
const all = { identityVerified: true, licenceVerified: true, authorizationLetterVerified: true, noticeSigned: true };
const bookedAt = beijing('2026-11-30', '08:00');

describe('statistics on a seeded month', () => {
  let h: BookingHarness;
  const days: string[] = [];
  for (let d = '2026-12-01'; d <= '2026-12-31'; d = addDays(d, 1)) if (isoWeekday(d) <= 5) days.push(d);
  const noShowDays = days.filter((_, i) => i % 3 === 0);
  const cancelDays = days.filter((_, i) => i % 4 === 1);

  beforeAll(async () => {
    h = await BookingHarness.start({ now: bookedAt, policies: { default: { minWorkingDaysAhead: 0, horizonDays: 40, noShowLimit: 100 }, centers: {} } });
    await seedWorld(h);
    const book = async (n: number, detaineeId: string, stationId: string, date: string, time: string) => {
      const made = await h.api('POST', '/bookings', h.session('lawyer', `law-${n}`), { detaineeId, stationId, startsAt: beijing(date, time) });
      if (made.status !== 201) throw new Error(made.text);
      return made.body.id as string;
    };
    const meetings = new Map<string, string>();
    for (const day of days) meetings.set(day, await book(1, 'det-1', 'st-a', day, '09:00'));
    for (const day of noShowDays) await book(2, 'det-2', 'st-b', day, '10:00');
    for (const day of cancelDays) {
      const id = await book(3, 'det-3', 'st-c', day, '14:00');
      expect((await h.api('POST', `/bookings/${id}/cancel`, h.session('lawyer', 'law-3'), {})).status).toBe(200);
    }
    for (const day of days) {
      const id = meetings.get(day)!;
      h.clock.set(beijing(day, '08:40'));
      expect((await h.api('POST', `/bookings/${id}/check-in`, h.session('station_officer', 'st-a'), all)).status).toBe(200);
      h.clock.set(beijing(day, '08:45'));
      expect((await h.api('POST', `/bookings/${id}/seating`, h.session('detention_officer', 'dc-1'), {})).status).toBe(200);
      h.clock.set(beijing(day, '10:11'));
      await h.booking.timekeeper.tick();
      expect((await h.api('PUT', '/stats/in-person', h.session('detention_officer', 'dc-1'), { centerId: 'dc-1', date: day, meetings: 4 })).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => h?.stop());

  it('counts meetings, no-shows and cancellations by day, station, center and district', async () => {
    const stats = (await h.api('GET', '/stats?from=2026-12-01&to=2026-12-31', h.session('admin'))).body;
    expect(days).toHaveLength(23);
    const meetings = days.length;
    const noShows = noShowDays.length;
    expect(stats.totals).toMatchObject({
      bookings: meetings + noShows + cancelDays.length,
      meetings,
      noShows,
      cancelled: cancelDays.length,
      voidLate: 0,
      noShowRate: Math.round((noShows / (meetings + noShows)) * 10_000) / 10_000,
    });
    const meanWait = days.reduce((sum, d) => sum + (beijing(d, '09:00') - bookedAt), 0) / days.length / hour;
    expect(stats.totals.averageWaitHours).toBeCloseTo(meanWait, 1);
    expect(stats.byDay).toHaveLength(31);
    const first = stats.byDay.find((d: { date: string }) => d.date === days[0]);
    expect(first).toMatchObject({ meetings: 1, noShows: 1, bookings: 2 });
    expect(stats.byDay.find((d: { date: string }) => d.date === '2026-12-05')).toMatchObject({ bookings: 0, meetings: 0, noShowRate: null });

    const stationA = stats.byStation.find((s: { id: string }) => s.id === 'st-a');
    // 23 meeting hours over 2 seats x 23 working days x 4 offered hours; 23 meetings over 2 seats x 23 days.
    expect(stationA).toMatchObject({ meetings, units: 2, utilisation: 0.125, turnover: 0.5 });
    expect(stats.byStation.find((s: { id: string }) => s.id === 'st-b')).toMatchObject({ meetings: 0, noShows, noShowRate: 1 });
    const centerOne = stats.byCenter.find((c: { id: string }) => c.id === 'dc-1');
    expect(centerOne).toMatchObject({ meetings, units: 2, utilisation: 0.125, inPerson: 4 * meetings, remoteShare: 0.2 });
    expect(stats.byCenter.find((c: { id: string }) => c.id === 'dc-2')).toMatchObject({ inPerson: null, remoteShare: null });
    expect(stats.totals).toMatchObject({ inPerson: 4 * meetings, remoteShare: 0.2 });
    expect(stats.byDistrict.find((d: { id: string }) => d.id === 'north')).toMatchObject({ meetings, noShows });
    expect(stats.byDistrict.find((d: { id: string }) => d.id === 'south')).toMatchObject({ meetings: 0, cancelled: cancelDays.length });
  });

  it('exports the same figures as CSV, and only to admins', async () => {
    const response = await fetch(`${h.baseUrl}/api/stats.csv?from=2026-12-01&to=2026-12-31`, { headers: { authorization: `Bearer ${h.session('admin')}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for spreadsheets
    const rows = bytes.subarray(3).toString('utf8').trim().split('\r\n').map((line) => line.split(','));
    const header = rows[0]!;
    expect(header.slice(0, 5)).toEqual(['level', 'id', 'name', 'bookings', 'meetings']);
    const col = (name: string) => header.indexOf(name);
    const total = rows.find((r) => r[0] === 'total')!;
    expect(total[col('meetings')]).toBe('23');
    const stationA = rows.find((r) => r[0] === 'station' && r[1] === 'st-a')!;
    expect(stationA[col('utilisation')]).toBe('0.125');
    expect(rows.find((r) => r[0] === 'center' && r[1] === 'dc-1')![col('remote_share')]).toBe('0.2');
    expect(rows.filter((r) => r[0] === 'day')).toHaveLength(31);
    expect((await h.api('GET', '/stats.csv?from=2026-12-01&to=2026-12-31', h.session('station_officer', 'st-a'))).status).toBe(403);
    expect((await h.api('GET', '/stats?from=2026-12-31&to=2026-12-01', h.session('admin'))).status).toBe(400);
  });
});
