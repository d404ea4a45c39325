import type { MeetingStore } from '../store/MeetingStore';
import type { Named, OpsPlaces } from '../protocol';

/** Where a meeting happens and when its slot runs, for the ops rows and filters. */
export interface MeetingPlace {
  station: Named;
  center: Named;
  district?: Named;
  slot: { startsAt: number; endsAt: number };
}

/**
 * What the booking domain can tell about places: the station and center of a booking, and the
 * list of districts, stations and centers (the dashboard's filters). Optional: without it the
 * rows carry the names written in the meeting record and there is no district.
 */
export interface PlaceSource {
  stationAndCenter(bookingId: string): Promise<{ stationId: string; centerId: string } | undefined>;
  places(): Promise<OpsPlaces>;
}

const emptyPlaces: OpsPlaces = { districts: [], stations: [], centers: [] };

/** Meeting id → place, cached (places change rarely; the slot end is re-read so an extension shows). */
export class MeetingPlaces {
  private cache = new Map<string, { place: MeetingPlace; at: number }>();
  private placesCache: { value: OpsPlaces; at: number } | undefined;

  constructor(
    private readonly meetings: MeetingStore,
    private readonly source: PlaceSource | undefined,
    private readonly ttlMs = 30_000,
  ) {}

  async all(now: number): Promise<OpsPlaces> {
    if (!this.source) return emptyPlaces;
    if (!this.placesCache || now - this.placesCache.at > this.ttlMs) {
      this.placesCache = { value: await this.source.places().catch(() => this.placesCache?.value ?? emptyPlaces), at: now };
    }
    return this.placesCache.value;
  }

  async of(meetingId: string, now: number): Promise<MeetingPlace> {
    const cached = this.cache.get(meetingId);
    if (cached && now - cached.at < this.ttlMs) return cached.place;
    const record = await this.meetings.get(meetingId).catch(() => undefined);
    let place: MeetingPlace = {
      station: { name: record?.stationName ?? '?' },
      center: { name: record?.centerName ?? '?' },
      slot: { startsAt: record?.startsAt ?? 0, endsAt: record?.endsAt ?? 0 },
    };
    if (record && this.source) {
      const ids = await this.source.stationAndCenter(record.bookingId).catch(() => undefined);
      const places = await this.all(now);
      const station = ids && places.stations.find((s) => s.id === ids.stationId);
      const center = ids && places.centers.find((c) => c.id === ids.centerId);
      const district = station && places.districts.find((d) => d.id === station.districtId);
      place = {
        ...place,
        ...(station ? { station: { id: station.id, name: station.name } } : {}),
        ...(center ? { center: { id: center.id, name: center.name } } : {}),
        ...(district ? { district: { id: district.id, name: district.name } } : {}),
      };
    }
    this.cache.set(meetingId, { place, at: now });
    if (this.cache.size > 10_000) this.cache = new Map([...this.cache].slice(-5000));
    return place;
  }
}
