import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Alert } from '../protocol';
import type { AlertSender } from './AlertSender';
import { opsKeys } from './opsKeys';
import type { SignalingMetrics } from './signalingMetrics';

/**
 * Where alerts live: the active ones in a Redis hash, the raises and clears in a capped list.
 * Every instance evaluates the same figures; the hash decides which one raises (HSETNX) and which
 * one clears (HDEL), so each alert is sent once and published once to every instance's dashboards.
 */
export class AlertBook {
  constructor(
    private readonly redis: Redis,
    private readonly senders: AlertSender[],
    private readonly metrics: SignalingMetrics,
    private readonly log: Logger,
    private readonly historyLength: number,
  ) {}

  async active(): Promise<Alert[]> {
    const raw = await this.redis.hvals(opsKeys.activeAlerts);
    return raw.map((json) => JSON.parse(json) as Alert).sort((a, b) => b.raisedAt - a.raisedAt);
  }

  async history(count = this.historyLength): Promise<Alert[]> {
    const raw = await this.redis.lrange(opsKeys.alertHistory, 0, count - 1);
    return raw.map((json) => JSON.parse(json) as Alert);
  }

  async raise(alert: Alert): Promise<void> {
    const json = JSON.stringify(alert);
    if ((await this.redis.hsetnx(opsKeys.activeAlerts, alert.key, json)) !== 1) return;
    await this.record(alert, json);
    this.metrics.alertsRaised.inc({ rule: alert.rule, severity: alert.severity });
  }

  async clear(alert: Alert): Promise<void> {
    if ((await this.redis.hdel(opsKeys.activeAlerts, alert.key)) !== 1) return;
    await this.record(alert, JSON.stringify(alert));
  }

  private async record(alert: Alert, json: string): Promise<void> {
    await this.redis
      .multi()
      .lpush(opsKeys.alertHistory, json)
      .ltrim(opsKeys.alertHistory, 0, this.historyLength - 1)
      .publish(opsKeys.alerts, json)
      .exec();
    for (const sender of this.senders) {
      sender.send(alert).catch((error: unknown) => {
        this.metrics.alertDeliveryFailures.inc({ sender: sender.name });
        this.log.warn({ sender: sender.name, key: alert.key, err: (error as Error).message }, 'alert not delivered');
      });
    }
  }
}
