import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { alarmChannel } from '../store/keys';

export type ConfidentialityAlarmType = 'e2ee_code_mismatch' | 'e2ee_key_exchange_failed' | 'sfu_guard_violation';

/**
 * Raises an alarm when a confidentiality check fails: an error log line carrying `alarm`, and a
 * message on the `huijian:alarms` channel for the ops feed. Never throws.
 */
export class ConfidentialityAlarm {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  async raise(type: ConfidentialityAlarmType, meetingId: string): Promise<void> {
    this.log.error({ alarm: type, meetingId }, 'confidentiality alarm');
    await this.redis.publish(alarmChannel, JSON.stringify({ type, meetingId, at: Date.now() })).catch((error: unknown) => {
      this.log.error({ err: error, alarm: type, meetingId }, 'alarm not published');
    });
  }
}
