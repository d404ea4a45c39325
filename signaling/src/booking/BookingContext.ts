import type { Logger } from 'pino';
import type { BookingStore } from '../store/BookingStore';
import type { ResourceStore } from '../store/ResourceStore';
import type { BookingPolicies } from './BookingPolicy';
import type { MeetingProjection } from './MeetingProjection';
import type { NoticeComposer } from './notices/NoticeComposer';
import type { SlotSearch } from './SlotSearch';

/** What the booking services share. `now` is the server clock (injectable for tests). */
export interface BookingContext {
  store: BookingStore;
  resources: ResourceStore;
  policies: BookingPolicies;
  projection: MeetingProjection;
  notices: NoticeComposer;
  search: SlotSearch;
  now: () => number;
  log: Logger;
}
