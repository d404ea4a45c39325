import { createHmac } from 'node:crypto';
import type { IceServer } from '../protocol';

export interface TurnSettings {
  /** `turn:` / `turns:` URLs of the TURN servers that share `secret`. */
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** How long a credential stays valid after its meeting's slot ends. */
  ttlSeconds: number;
}

/**
 * Time-limited TURN credentials per meeting, by the TURN REST API convention that coturn checks
 * with `use-auth-secret`: username `<expiry unix seconds>:<meetingId>`, credential
 * base64(HMAC-SHA1(secret, username)). No state: the TURN server recomputes the credential.
 */
export class TurnCredentials {
  constructor(
    private readonly settings: TurnSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The TURN entry for a seat of `meetingId`; valid until the slot ends (`slotEndsAt`, epoch ms) plus the TTL. */
  forMeeting(meetingId: string, slotEndsAt: number): IceServer {
    const expiry = Math.floor(Math.max(slotEndsAt, this.now()) / 1000) + this.settings.ttlSeconds;
    const username = `${expiry}:${meetingId}`;
    return { urls: [...this.settings.urls], username, credential: turnRestCredential(this.settings.secret, username) };
  }
}

export function turnRestCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}
