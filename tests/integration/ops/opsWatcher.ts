import { io, type Socket } from 'socket.io-client';
import { PersonSessions } from '../../../signaling/src/auth/PersonSessions';
import type { PersonRole } from '../../../signaling/src/auth/PersonAccounts';
import type { KeyRing } from '../../../signaling/src/auth/KeyRing';
import { OPS_NAMESPACE, PROTOCOL_VERSION, type Alert, type ErrorBody, type OpsPicture, type OpsSnapshot } from '../../../signaling/src/protocol';
import { issuer } from '../../support/meetingFixtures';

/** A person's session token as `POST /api/auth/login` would issue it (same keys, staff audience). */
export function personSession(keys: KeyRing, role: PersonRole, username = `${role.replace('_', '-')}.test`): string {
  return new PersonSessions(keys, issuer, 'huijian-staff', 3600).issue({ username, displayName: `Test ${role}`, role, disabled: false }).token;
}

/** Connect to a namespace and resolve with the socket, or reject with the refusal's `{code}`. */
export async function connect(url: string, namespace: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(`${url}${namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: ErrorBody }) => {
      socket.close();
      reject(Object.assign(new Error(error.message), { code: error.data?.code ?? 'NO_CODE' }));
    });
  });
}

/** An ops dashboard without a screen: everything the `/ops` namespace sends, in order. */
export class OpsWatcher {
  snapshot: OpsSnapshot | undefined;
  readonly pictures: OpsPicture[] = [];
  readonly alerts: Alert[] = [];
  /** Every event name received, to prove nothing but the feed ever arrives. */
  readonly eventNames = new Set<string>();

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      this.eventNames.add(event);
      if (event === 'snapshot') this.snapshot = payload as OpsSnapshot;
      else if (event === 'picture') this.pictures.push(payload as OpsPicture);
      else if (event === 'alert') this.alerts.push(payload as Alert);
    });
  }

  static async open(url: string, session: string): Promise<OpsWatcher> {
    const socket = io(`${url}${OPS_NAMESPACE}`, { auth: { protocol: PROTOCOL_VERSION, session }, transports: ['websocket'], reconnection: false, forceNew: true });
    const watcher = new OpsWatcher(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error: Error & { data?: ErrorBody }) => reject(Object.assign(error, { code: error.data?.code })));
    });
    return watcher;
  }

  get latest(): OpsPicture | undefined {
    return this.pictures.at(-1) ?? this.snapshot;
  }

  close(): void {
    this.socket.close();
  }
}

/** The raw text of a `/metrics` endpoint. */
export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}
