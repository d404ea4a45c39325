import { controlChannels, parseNodeEvent, type HealthReport, type NodeDirectory, type NodeEvent, type Seat, type SfuNodeStatus } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  flowDirections,
  healthStates,
  type Alert,
  type ClientHealth,
  type OpsMeeting,
  type OpsNode,
  type OpsPicture,
  type OpsSnapshot,
  type SeriesPoint,
} from '../protocol';
import type { AlertBook } from './AlertBook';
import { alertConditions, type NodeIncidents } from './alertConditions';
import { AlertEvaluator } from './AlertEvaluator';
import type { AlertRules } from './alertRules';
import { directionHealth, worseState, type HealthThresholds } from './meetingHealth';
import type { MeetingPlaces } from './MeetingPlaces';
import { opsKeys } from './opsKeys';
import type { SignalingMetrics } from './signalingMetrics';

export interface OpsFeedOptions {
  pushIntervalMs: number;
  /** How much series to keep and send (5 minutes). */
  seriesMs: number;
  /** A client report older than this no longer counts. */
  clientReportMaxAgeMs: number;
  rules: AlertRules;
  thresholds: HealthThresholds;
}

/** A client report as relayed between instances. */
export interface RelayedClientHealth {
  meetingId: string;
  role: Seat;
  at: number;
  report: ClientHealth;
}

type Listener<T> = (value: T) => void;

/**
 * The live picture every instance keeps: the SFU nodes' health reports and events, the clients'
 * reports, the derived state per meeting and direction, and the alerts. Recomputed every push
 * interval; `picture` and `alert` are emitted for the ops namespace.
 */
export class OpsFeed {
  private readonly pictureListeners = new Set<Listener<OpsPicture>>();
  private readonly alertListeners = new Set<Listener<Alert>>();
  private readonly reports = new Map<string, { report: HealthReport; receivedAt: number }>();
  private readonly clientReports = new Map<string, { report: ClientHealth; at: number }>();
  private readonly nodes = new Map<string, { status: SfuNodeStatus; lastSeenAt: number; left: boolean }>();
  private readonly incidents: NodeIncidents & { evaluated: Set<string> } = { workersDown: [], nodesDown: [], guardViolations: [], evaluated: new Set() };
  private readonly series = new Map<string, SeriesPoint[]>();
  private readonly evaluator = new AlertEvaluator();
  private timer: NodeJS.Timeout | undefined;
  private current: OpsPicture = { at: 0, meetings: [], nodes: [], alerts: [] };
  private ticking = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly deps: {
      redis: Redis;
      subscriber: Redis;
      directory: NodeDirectory;
      places: MeetingPlaces;
      alerts: AlertBook;
      metrics: SignalingMetrics;
      log: Logger;
      now?: () => number;
    },
    private readonly options: OpsFeedOptions,
  ) {}

  /** Every push interval, the new picture. Returns the unsubscribe function. */
  onPicture(listener: Listener<OpsPicture>): () => void {
    this.pictureListeners.add(listener);
    return () => this.pictureListeners.delete(listener);
  }

  /** Every alert raised or cleared by any instance. */
  onAlert(listener: Listener<Alert>): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
    const { subscriber, redis } = this.deps;
    subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    await subscriber.subscribe(controlChannels.health, controlChannels.events, opsKeys.clientHealth, opsKeys.alerts);
    for (const status of await this.deps.directory.liveNodes()) {
      this.nodes.set(status.nodeId, { status, lastSeenAt: this.now(), left: false });
      const latest = await redis.get(controlChannels.latestHealth(status.nodeId));
      if (latest) this.onHealth(latest);
    }
    this.evaluator.adopt(await this.deps.alerts.active());
    this.timer = setInterval(() => void this.tick(), this.options.pushIntervalMs);
    this.timer.unref();
    await this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get picture(): OpsPicture {
    return this.current;
  }

  async snapshot(): Promise<OpsSnapshot> {
    const now = this.now();
    const series: Record<string, SeriesPoint[]> = {};
    for (const meeting of this.current.meetings) series[meeting.meetingId] = this.series.get(meeting.meetingId) ?? [];
    return {
      ...this.current,
      pushIntervalMs: this.options.pushIntervalMs,
      series,
      history: await this.deps.alerts.history(),
      places: await this.deps.places.all(now),
    };
  }

  private onMessage(channel: string, message: string): void {
    try {
      if (channel === controlChannels.health) this.onHealth(message);
      else if (channel === controlChannels.events) this.onNodeEvent(parseNodeEvent(message));
      else if (channel === opsKeys.clientHealth) {
        const relayed = JSON.parse(message) as RelayedClientHealth;
        this.clientReports.set(`${relayed.meetingId}:${relayed.role}`, { report: relayed.report, at: relayed.at });
      } else if (channel === opsKeys.alerts) {
        const alert = JSON.parse(message) as Alert;
        for (const listener of this.alertListeners) listener(alert);
      }
    } catch (error) {
      this.deps.log.warn({ channel, err: (error as Error).message }, 'ops feed: unreadable message');
    }
  }

  private onHealth(message: string): void {
    const report = JSON.parse(message) as HealthReport;
    this.reports.set(report.nodeId, { report, receivedAt: this.now() });
  }

  private onNodeEvent(event: NodeEvent | undefined): void {
    if (!event) return;
    if (event.type === 'workerDied') {
      this.incidents.workersDown.push({ nodeId: event.nodeId, worker: event.worker, pid: event.pid, at: event.at });
      void this.tick();
    } else if (event.type === 'guardViolation') {
      this.incidents.guardViolations.push({ nodeId: event.nodeId, violation: event.violation, at: event.at, ...(event.meetingId ? { meetingId: event.meetingId } : {}) });
      void this.tick();
    } else if (event.type === 'nodeDraining') {
      const node = this.nodes.get(event.nodeId);
      if (node) node.status = { ...node.status, draining: true };
    }
    // meetingClosed and meetingRecreated show in the next health report.
  }

  /** Recompute the picture, evaluate the alerts, push. Never runs twice at once. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.now();
      const nodes = await this.trackNodes(now);
      const meetings = await this.meetings(now);
      this.recordSeries(meetings, now);
      this.clearReplacedWorkers();
      // Before the first health interval has passed, an adopted alert would clear for lack of data.
      const warm = now - this.startedAt >= this.longestHealthIntervalMs() + this.options.pushIntervalMs;
      const conditions = alertConditions(meetings, this.incidents, this.options.rules, now);
      for (const w of this.incidents.workersDown) this.incidents.evaluated.add(workerKey(w));
      const { raised, cleared } = this.evaluator.evaluate(now, warm ? conditions : [...conditions, ...this.adoptedConditions(conditions)]);
      for (const alert of raised) await this.deps.alerts.raise(alert);
      for (const alert of cleared) await this.deps.alerts.clear(alert);
      this.current = { at: now, meetings, nodes, alerts: this.evaluator.active.sort((a, b) => b.raisedAt - a.raisedAt) };
      this.updateMetrics();
      for (const listener of this.pictureListeners) listener(this.current);
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'ops feed: tick failed');
    } finally {
      this.ticking = false;
    }
  }

  /** While warming up, keep the adopted alerts as they are. */
  private adoptedConditions(holding: { key: string }[]) {
    const keys = new Set(holding.map((c) => c.key));
    return this.evaluator.active.filter((a) => !keys.has(a.key)).map(({ raisedAt: _r, clearedAt: _c, ...a }) => ({ ...a, forMs: 0 }));
  }

  private longestHealthIntervalMs(): number {
    return Math.max(5000, ...[...this.reports.values()].map((r) => r.report.intervalMs));
  }

  private async trackNodes(now: number): Promise<OpsNode[]> {
    const live = await this.deps.directory.liveNodes();
    const liveIds = new Set(live.map((n) => n.nodeId));
    for (const status of live) {
      this.nodes.set(status.nodeId, { status, lastSeenAt: now, left: false });
      this.incidents.nodesDown = this.incidents.nodesDown.filter((n) => n.nodeId !== status.nodeId);
    }
    for (const [nodeId, node] of this.nodes) {
      if (liveIds.has(nodeId)) continue;
      if (!node.left) {
        node.left = true;
        this.reports.delete(nodeId);
        // A node that announced its drain left on purpose; any other stopped unexpectedly.
        if (!node.status.draining) this.incidents.nodesDown.push({ nodeId, at: now });
      }
      if (now - node.lastSeenAt > this.options.rules.nodeDown.forgetAfterMs) {
        this.nodes.delete(nodeId);
        this.incidents.nodesDown = this.incidents.nodesDown.filter((n) => n.nodeId !== nodeId);
      }
    }
    this.incidents.guardViolations = this.incidents.guardViolations.filter((g) => now - g.at <= this.options.rules.guardAlarm.holdMs);
    return [...this.nodes.values()]
      .map(({ status, lastSeenAt, left }) => {
        const report = this.reports.get(status.nodeId)?.report;
        return {
          nodeId: status.nodeId,
          alive: !left,
          draining: status.draining || (report?.draining ?? false),
          meetings: status.meetings,
          workers: (report?.workers ?? status.workerLoad.map((w) => ({ ...w, rssBytes: 0 }))).map((w) => ({
            index: w.index,
            pid: w.pid,
            cpuRatio: w.cpuRatio,
            rssBytes: w.rssBytes,
            meetings: w.meetings,
          })),
          lastSeenAt,
        };
      })
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }

  /** A dead worker's alert clears once its slot runs a new process (seen in the heartbeat or a report). */
  private clearReplacedWorkers(): void {
    this.incidents.workersDown = this.incidents.workersDown.filter((w) => {
      if (!this.incidents.evaluated.has(workerKey(w))) return true;
      const node = this.nodes.get(w.nodeId);
      if (!node || node.left) return true;
      const pids = [
        ...node.status.workerLoad.filter((l) => l.index === w.worker).map((l) => l.pid),
        ...(this.reports.get(w.nodeId)?.report.workers.filter((l) => l.index === w.worker).map((l) => l.pid) ?? []),
      ];
      const replaced = pids.length > 0 && pids.every((pid) => pid !== w.pid);
      if (replaced) this.incidents.evaluated.delete(workerKey(w));
      return !replaced;
    });
  }

  private async meetings(now: number): Promise<OpsMeeting[]> {
    const rows: OpsMeeting[] = [];
    for (const [nodeId, { report, receivedAt }] of this.reports) {
      if (now - receivedAt > report.intervalMs * 3) continue;
      for (const meeting of report.meetings) {
        const seats = { lawyer: meeting.seats.lawyer.present, detainee: meeting.seats.detainee.present };
        if (!seats.lawyer && !seats.detainee) continue;
        const reports: Partial<Record<Seat, ClientHealth>> = {};
        for (const role of ['lawyer', 'detainee'] as const) {
          const entry = this.clientReports.get(`${meeting.meetingId}:${role}`);
          if (entry && now - entry.at <= this.options.clientReportMaxAgeMs) reports[role] = entry.report;
        }
        const directions = {
          seat_to_booth: directionHealth(meeting, 'seat_to_booth', reports, this.options.thresholds),
          booth_to_seat: directionHealth(meeting, 'booth_to_seat', reports, this.options.thresholds),
        };
        const place = await this.deps.places.of(meeting.meetingId, now);
        rows.push({
          meetingId: meeting.meetingId,
          nodeId,
          worker: meeting.worker,
          ...place,
          seats,
          state: worseState(directions.seat_to_booth.state, directions.booth_to_seat.state),
          directions,
        });
      }
    }
    for (const key of this.clientReports.keys()) {
      const entry = this.clientReports.get(key)!;
      if (now - entry.at > this.options.clientReportMaxAgeMs * 4) this.clientReports.delete(key);
    }
    return rows.sort((a, b) => a.slot.endsAt - b.slot.endsAt || a.meetingId.localeCompare(b.meetingId));
  }

  private recordSeries(meetings: OpsMeeting[], now: number): void {
    const live = new Set<string>();
    for (const m of meetings) {
      live.add(m.meetingId);
      const points = this.series.get(m.meetingId) ?? [];
      const s2b = m.directions.seat_to_booth;
      const b2s = m.directions.booth_to_seat;
      points.push([now, s2b.bitrateBps, Math.max(s2b.uplinkLoss, s2b.downlinkLoss), b2s.bitrateBps, Math.max(b2s.uplinkLoss, b2s.downlinkLoss)]);
      while (points.length > 0 && now - points[0]![0] > this.options.seriesMs) points.shift();
      this.series.set(m.meetingId, points);
    }
    for (const id of this.series.keys()) if (!live.has(id)) this.series.delete(id);
  }

  private updateMetrics(): void {
    const { metrics } = this.deps;
    metrics.meetingsActive.set(this.current.meetings.length);
    for (const direction of flowDirections) {
      for (const state of healthStates) {
        metrics.directions.set({ direction, state }, this.current.meetings.filter((m) => m.directions[direction].state === state).length);
      }
    }
    metrics.alertsActive.reset();
    for (const alert of this.current.alerts) metrics.alertsActive.inc({ rule: alert.rule, severity: alert.severity });
  }
}

function workerKey(w: { nodeId: string; worker: number; pid: number }): string {
  return `${w.nodeId}:${w.worker}:${w.pid}`;
}
