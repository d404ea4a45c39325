import type { NodeDirectory } from '@huijian/sfu-server/control';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { PersonSessions } from '../auth/PersonSessions';
import type { MeetingOpsHooks } from '../meetings/MeetingNamespace';
import type { MeetingStore } from '../store/MeetingStore';
import { AlertBook } from './AlertBook';
import { loadAlertRules } from './alertRules';
import type { AlertSender } from './AlertSender';
import { ClientHealthInbox } from './ClientHealthInbox';
import { LogAlertSender } from './LogAlertSender';
import { defaultThresholds } from './meetingHealth';
import { MeetingPlaces, type PlaceSource } from './MeetingPlaces';
import { MetricsServer } from './MetricsServer';
import { OpsFeed } from './OpsFeed';
import { mountOpsNamespace } from './OpsNamespace';
import { createSignalingMetrics } from './signalingMetrics';
import { WebhookAlertSender } from './WebhookAlertSender';

export interface OpsSettings {
  OPS_PUSH_INTERVAL_MS: number;
  OPS_ALERT_RULES?: string | undefined;
  OPS_ALERT_RULES_FILE?: string | undefined;
  OPS_ALERT_HISTORY: number;
  ALERT_SENDER: 'log' | 'webhook';
  ALERT_WEBHOOK_URL?: string | undefined;
  ALERT_WEBHOOK_TOKEN?: string | undefined;
  ALERT_WEBHOOK_TIMEOUT_MS: number;
  METRICS_HOST: string;
  METRICS_PORT: number;
}

/** The ops side of signaling, wired: metrics, the feed, alerts, the `/ops` namespace, `/metrics`. */
export function createOpsModule(deps: {
  redis: Redis;
  /** A connection of its own: it subscribes to the SFU's health and events and the ops channels. */
  subscriber: Redis;
  directory: NodeDirectory;
  meetings: MeetingStore;
  sessions: PersonSessions;
  places?: PlaceSource | undefined;
  settings: OpsSettings;
  log: Logger;
}) {
  const { settings, log } = deps;
  const metrics = createSignalingMetrics();
  const senders: AlertSender[] = [new LogAlertSender(log)];
  if (settings.ALERT_SENDER === 'webhook') {
    if (!settings.ALERT_WEBHOOK_URL) throw new Error('ALERT_SENDER=webhook needs ALERT_WEBHOOK_URL');
    senders.push(
      new WebhookAlertSender({
        url: settings.ALERT_WEBHOOK_URL,
        bearerToken: settings.ALERT_WEBHOOK_TOKEN,
        timeoutMs: settings.ALERT_WEBHOOK_TIMEOUT_MS,
        tries: 3,
        retryDelayMs: 500,
      }),
    );
  }
  const alerts = new AlertBook(deps.redis, senders, metrics, log, settings.OPS_ALERT_HISTORY);
  const feed = new OpsFeed(
    { redis: deps.redis, subscriber: deps.subscriber, directory: deps.directory, places: new MeetingPlaces(deps.meetings, deps.places), alerts, metrics, log },
    {
      pushIntervalMs: settings.OPS_PUSH_INTERVAL_MS,
      seriesMs: 5 * 60_000,
      clientReportMaxAgeMs: 15_000,
      rules: loadAlertRules(settings.OPS_ALERT_RULES, settings.OPS_ALERT_RULES_FILE),
      thresholds: defaultThresholds,
    },
  );
  const inbox = new ClientHealthInbox(deps.redis, metrics);
  const metricsServer = new MetricsServer(metrics.registry);
  const meetingHooks: MeetingOpsHooks = {
    connection: (outcome) => metrics.joins.inc(outcome.admitted ? { outcome: 'admitted', reason: 'ok' } : { outcome: 'refused', reason: outcome.code }),
    healthReport: (meetingId, role, payload) => inbox.accept(meetingId, role, payload).catch(() => false),
  };
  return {
    metrics,
    feed,
    meetingHooks,
    mount: (io: Server) => mountOpsNamespace(io, { feed, sessions: deps.sessions, metrics, log }),
    async start(): Promise<void> {
      await feed.start();
      const port = await metricsServer.listen(settings.METRICS_PORT, settings.METRICS_HOST);
      log.info({ metricsUrl: `http://${settings.METRICS_HOST}:${port}/metrics` }, 'metrics listening');
    },
    async stop(): Promise<void> {
      feed.stop();
      await metricsServer.close();
    },
  };
}
