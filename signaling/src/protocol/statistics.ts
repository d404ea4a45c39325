/**
 * The statistics answer of GET /api/stats (JSON; the CSV form has the same figures): for
 * supervisors, over a range of local dates (YYYY-MM-DD) in the center's time zone.
 */
export interface Counts {
  bookings: number;
  /** Completed meetings. */
  meetings: number;
  cancelled: number;
  noShows: number;
  voidLate: number;
  /** (no-shows + late voids) / (meetings + no-shows + late voids); null when nothing came due. */
  noShowRate: number | null;
  /** Mean time from booking to the meeting, hours, over completed meetings. */
  averageWaitHours: number | null;
}

export interface UsageRow extends Counts {
  id: string;
  name: string;
  districtId?: string;
  /** Seats (stations) or booths (centers) in service. */
  units: number;
  /** Meeting hours / offered hours. */
  utilisation: number | null;
  /** Meetings per unit per working day. */
  turnover: number | null;
}

export interface CenterRow extends UsageRow {
  /** In-person meetings entered by the center; null when none were entered. */
  inPerson: number | null;
  /** Remote meetings / (remote + in-person), where in-person counts exist. */
  remoteShare: number | null;
}

export interface Statistics {
  from: string;
  to: string;
  timeZone: string;
  totals: Counts & { inPerson: number | null; remoteShare: number | null; seatUtilisation: number | null; boothUtilisation: number | null };
  byDay: (Counts & { date: string })[];
  byStation: UsageRow[];
  byCenter: CenterRow[];
  byDistrict: (Counts & { id: string; name: string; inPerson: number | null; remoteShare: number | null })[];
}
