import type { BookingStore } from '../store/BookingStore';
import { bookingKeys } from '../store/bookingKeys';
import type { ResourceStore } from '../store/ResourceStore';
import type { BookingPolicies } from './BookingPolicy';
import { BookingRules, type Slot } from './BookingRules';
import type { Station } from './ResourceTypes';
import { addDays, type LocalDate } from './ZonedCalendar';

export interface SlotQuery {
  /** The detainee's detention center. */
  centerId: string;
  /** Only these stations; otherwise every active station (narrowed by district or distance). */
  stationIds?: string[] | undefined;
  districtId?: string | undefined;
  near?: { lat: number; lng: number } | undefined;
  withinKm?: number | undefined;
  /** First local date to search (default: the earliest bookable). */
  from?: LocalDate | undefined;
  days?: number | undefined;
  /** Leave out slots where this lawyer or detainee is already busy. */
  lawyerId?: string | undefined;
  detaineeId?: string | undefined;
  limit?: number | undefined;
}

export interface AvailableSlot extends Slot {
  stationId: string;
  stationName: string;
  districtId: string;
  centerId: string;
  freeSeats: number;
  freeBooths: number;
  distanceKm?: number;
}

/** Longest interval one booking can hold (a slot extended a few times). */
export const bookingSpanMs = 8 * 3_600_000;

type Interval = { startsAt: number; endsAt: number };

/** Indexes (into `slots`, sorted by start) of the slots that any held interval overlaps: one pass, then O(1) look-ups. */
function occupied(held: Interval[], slots: Slot[]): Set<number> {
  const taken = new Set<number>();
  for (const interval of held) {
    let low = 0;
    let high = slots.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (slots[mid]!.endsAt <= interval.startsAt) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < slots.length && slots[i]!.startsAt < interval.endsAt; i += 1) taken.add(i);
  }
  return taken;
}

/** Free slots, earliest first: a slot is free at a station when one of its seats and one of the center's booths are. */
export class SlotSearch {
  constructor(
    private readonly store: BookingStore,
    private readonly resources: ResourceStore,
    private readonly policies: BookingPolicies,
  ) {}

  async search(query: SlotQuery, now: number): Promise<AvailableSlot[]> {
    const rules = new BookingRules(this.policies.forCenter(query.centerId));
    const earliest = rules.earliestBookableDate(now);
    const last = rules.lastBookableDate(now);
    let date = query.from && query.from > earliest ? query.from : earliest;
    const until = query.days ? minDate(addDays(date, query.days - 1), last) : last;
    const slots: Slot[] = [];
    for (; date <= until; date = addDays(date, 1)) slots.push(...rules.slotsOn(date));
    if (slots.length === 0) return [];

    const booths = (await this.resources.childrenOf('booth', query.centerId)).filter((b) => b.active);
    const stations = await this.stations(query);
    const seatsByStation = await Promise.all(stations.map(async ({ station }) => (await this.resources.childrenOf('seat', station.id)).filter((s) => s.active)));
    const from = slots[0]!.startsAt;
    const to = slots.at(-1)!.endsAt;
    const people = [query.lawyerId && bookingKeys.busy('lawyer', query.lawyerId), query.detaineeId && bookingKeys.busy('detainee', query.detaineeId)].filter(
      (k): k is string => Boolean(k),
    );
    const seatIds = seatsByStation.flat().map((s) => s.id);
    const busy = await this.store.busyIn(
      [...booths.map((b) => bookingKeys.busy('booth', b.id)), ...seatIds.map((id) => bookingKeys.busy('seat', id)), ...people],
      from,
      to,
      bookingSpanMs,
    );
    const boothBusy = busy.slice(0, booths.length).map((held) => occupied(held, slots));
    const seatBusy = new Map(seatIds.map((id, i) => [id, occupied(busy[booths.length + i]!, slots)]));
    const peopleBusy = occupied(busy.slice(booths.length + seatIds.length).flat(), slots);

    const found: AvailableSlot[] = [];
    slots.forEach((slot, index) => {
      if (slot.startsAt <= now || peopleBusy.has(index)) return;
      const freeBooths = boothBusy.filter((taken) => !taken.has(index)).length;
      if (freeBooths === 0) return;
      stations.forEach(({ station, distanceKm }, i) => {
        const freeSeats = seatsByStation[i]!.filter((seat) => !seatBusy.get(seat.id)!.has(index)).length;
        if (freeSeats === 0) return;
        found.push({
          ...slot,
          stationId: station.id,
          stationName: station.name,
          districtId: station.districtId,
          centerId: query.centerId,
          freeSeats,
          freeBooths,
          ...(distanceKm === undefined ? {} : { distanceKm }),
        });
      });
    });
    found.sort((a, b) => a.startsAt - b.startsAt || (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || (a.stationId < b.stationId ? -1 : a.stationId > b.stationId ? 1 : 0));
    return found.slice(0, query.limit ?? 50);
  }

  private async stations(query: SlotQuery): Promise<{ station: Station; distanceKm?: number }[]> {
    const all = query.stationIds ? await this.resources.getMany('station', query.stationIds) : await this.resources.list('station');
    return all
      .filter((s) => s.active && (!query.districtId || s.districtId === query.districtId))
      .map((station) => ({ station, distanceKm: query.near && station.location ? round(distanceKm(query.near, station.location)) : undefined }))
      .filter(({ distanceKm }) => query.withinKm === undefined || (distanceKm !== undefined && distanceKm <= query.withinKm))
      .map(({ station, distanceKm }) => (distanceKm === undefined ? { station } : { station, distanceKm }));
  }
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

function round(km: number): number {
  return Math.round(km * 10) / 10;
}

/** Great-circle distance (haversine), km. */
function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
