import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BookingTokens } from '../auth/BookingTokens';
import type { PersonAccounts } from '../auth/PersonAccounts';
import type { ApiRoute } from '../http/ApiRoute';
import type { DeviceAssignments } from '../meetings/DeviceAssignments';
import { BookingStore } from '../store/BookingStore';
import type { MeetingStore } from '../store/MeetingStore';
import { ResourceStore } from '../store/ResourceStore';
import { bookingRoutes } from './api/bookingRoutes';
import { followUpRoutes } from './api/followUpRoutes';
import { resourceRoutes } from './api/resourceRoutes';
import { statisticsRoutes } from './api/statisticsRoutes';
import { workflowRoutes } from './api/workflowRoutes';
import type { BookingContext } from './BookingContext';
import { BookingDesk } from './BookingDesk';
import { BookingSlotExtension } from './BookingSlotExtension';
import type { BookingPolicies } from './BookingPolicy';
import { BookingTimekeeper } from './BookingTimekeeper';
import { DayWorkflow } from './DayWorkflow';
import { FollowUps } from './FollowUps';
import { MeetingProjection } from './MeetingProjection';
import { NoticeComposer } from './notices/NoticeComposer';
import { NoticeDispatcher, type DispatcherOptions } from './notices/NoticeDispatcher';
import { NoticeOutbox } from './notices/NoticeOutbox';
import type { NoticeSender } from './notices/NoticeSender';
import { SlotSearch } from './SlotSearch';
import { BookingStatistics } from './Statistics';

export interface BookingModuleDeps {
  redis: Redis;
  meetings: MeetingStore;
  devices: DeviceAssignments;
  tokens: BookingTokens;
  accounts: PersonAccounts;
  policies: BookingPolicies;
  /** JOIN_LEAD_SECONDS in ms: booking tokens are valid from slot start minus this. */
  joinLeadMs: number;
  sender: NoticeSender;
  dispatcher: DispatcherOptions;
  now: () => number;
  log: Logger;
}

/** The booking domain, wired: its services, its REST routes, and its two background loops (clock and outbox). */
export function createBookingModule(deps: BookingModuleDeps) {
  const { redis, policies, now, log } = deps;
  const store = new BookingStore(redis);
  const resources = new ResourceStore(redis);
  const projection = new MeetingProjection({ store, resources, meetings: deps.meetings, devices: deps.devices, tokens: deps.tokens, joinLeadMs: deps.joinLeadMs, now, log });
  const ctx: BookingContext = {
    store,
    resources,
    policies,
    projection,
    notices: new NoticeComposer(resources, policies),
    search: new SlotSearch(store, resources, policies),
    now,
    log,
  };
  const desk = new BookingDesk(ctx);
  const workflow = new DayWorkflow(ctx, desk);
  const timekeeper = new BookingTimekeeper(ctx);
  const outbox = new NoticeOutbox(redis);
  // Delivery retries follow real time, whatever clock the domain runs on.
  const dispatcher = new NoticeDispatcher(redis, outbox, deps.sender, deps.dispatcher, Date.now, log);
  const followUps = new FollowUps(ctx, redis, desk, outbox);
  const statistics = new BookingStatistics(ctx, redis);
  /** The meeting namespace's "extend" (the lawyer's, from the seat terminal). */
  const slotExtension = new BookingSlotExtension(workflow, store, deps.meetings);
  const routes: ApiRoute[] = [
    ...resourceRoutes(resources, deps.accounts, policies),
    ...bookingRoutes({ desk, search: ctx.search, store, resources, policies, outbox, now }),
    ...workflowRoutes(workflow),
    ...followUpRoutes(followUps, policies, now),
    ...statisticsRoutes(statistics, resources, redis),
  ];
  return {
    ctx,
    desk,
    workflow,
    timekeeper,
    outbox,
    dispatcher,
    followUps,
    statistics,
    slotExtension,
    routes,
    /** Start the clock (every `clockIntervalMs`) and the outbox delivery. */
    async start(clockIntervalMs: number): Promise<void> {
      timekeeper.start(clockIntervalMs);
      await dispatcher.start();
    },
    async stop(): Promise<void> {
      await timekeeper.stop();
      await dispatcher.stop();
    },
  };
}

export type BookingModule = ReturnType<typeof createBookingModule>;
