/**
 * Redis keys of the booking domain. All share the hash tag `{bk}` so that the allocation and
 * transition scripts, which touch many of them at once, also run on Redis Cluster.
 */
const p = 'huijian:{bk}';

export type BusyKind = 'seat' | 'booth' | 'lawyer' | 'detainee';

export const bookingKeys = {
  resources: (kind: string) => `${p}:res:${kind}`,
  /** Ids of the seats of a station, the booths or detainees of a center. */
  children: (kind: string, parentId: string) => `${p}:res:${kind}:of:${parentId}`,
  booking: (id: string) => `${p}:booking:${id}`,
  history: (id: string) => `${p}:booking:${id}:history`,
  bookingNotices: (id: string) => `${p}:booking:${id}:notices`,
  /** Intervals held by a seat, booth, lawyer or detainee: score start, member `<end>|<bookingId>`. */
  busy: (kind: BusyKind, id: string) => `${p}:busy:${kind}:${id}`,
  /** Intervals one lawyer holds with one detainee (per-day limits). */
  pair: (lawyerId: string, detaineeId: string) => `${p}:pair:${lawyerId}:${detaineeId}`,
  /** No-shows of a lawyer: score time, member booking id. */
  noShows: (lawyerId: string) => `${p}:noshow:${lawyerId}`,
  byLawyer: (id: string) => `${p}:idx:lawyer:${id}`,
  byStation: (id: string) => `${p}:idx:station:${id}`,
  byCenter: (id: string) => `${p}:idx:center:${id}`,
  byStart: `${p}:idx:all`,
  /** Next instant the clock must look at a booking (lateness, slot end). */
  deadlines: `${p}:deadlines`,
  reminders: `${p}:reminders`,
  /** Bookings whose meeting projection may lag behind; score = commit time. */
  unprojected: `${p}:unprojected`,
  audit: `${p}:audit`,
  outbox: `${p}:outbox`,
  notice: (id: string) => `${p}:notice:${id}`,
  /** Notices not yet delivered: score = creation time. */
  noticesPending: `${p}:notices:pending`,
  feedback: (bookingId: string) => `${p}:feedback:${bookingId}`,
  feedbackOpen: `${p}:feedback:open`,
  feedbackAll: `${p}:feedback:all`,
  inPerson: (centerId: string) => `${p}:inperson:${centerId}`,
} as const;
