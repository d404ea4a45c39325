import type { Alert } from '../protocol';

/** Delivers an alert when it is raised and again when it clears (`clearedAt` set). */
export interface AlertSender {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}
