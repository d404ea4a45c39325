import type { Logger } from 'pino';
import type { Namespace, Server } from 'socket.io';
import { z } from 'zod';
import type { PersonSession, PersonSessions } from '../auth/PersonSessions';
import { OPS_NAMESPACE, PROTOCOL_VERSION, type ErrorBody, type OpsServerEvents } from '../protocol';
import { SignalingError } from '../SignalingError';
import type { OpsFeed } from './OpsFeed';
import type { SignalingMetrics } from './signalingMetrics';

const opsHandshakeSchema = z.object({ protocol: z.number().int(), session: z.string().min(1).max(4096) });

interface OpsSocketData {
  person: PersonSession;
}

type OpsNamespaceServer = Namespace<Record<string, never>, OpsServerEvents, Record<string, never>, OpsSocketData>;

/**
 * The `/ops` namespace: people with the `ops` role (their session token in the handshake) get the
 * current picture first, then a push every interval and every alert. Nothing else: this
 * namespace has no media route, and any event an ops client sends is answered FORBIDDEN.
 */
export function mountOpsNamespace(io: Server, deps: { feed: OpsFeed; sessions: PersonSessions; metrics: SignalingMetrics; log: Logger }): OpsNamespaceServer {
  const nsp = io.of(OPS_NAMESPACE) as unknown as OpsNamespaceServer;
  const { feed, sessions, metrics, log } = deps;

  nsp.use((socket, next) => {
    try {
      const handshake = opsHandshakeSchema.safeParse(socket.handshake.auth);
      if (!handshake.success) throw new SignalingError('UNAUTHENTICATED', 'sign in first');
      if (handshake.data.protocol !== PROTOCOL_VERSION) throw new SignalingError('PROTOCOL_VERSION_MISMATCH', 'reload the page');
      const person = sessions.verify(handshake.data.session);
      if (person.role !== 'ops') throw new SignalingError('FORBIDDEN', 'the ops dashboard is for the ops role only');
      socket.data.person = person;
      next();
    } catch (error) {
      const body: ErrorBody =
        error instanceof SignalingError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'internal error' };
      log.info({ code: body.code, ip: socket.handshake.address }, 'ops connection refused');
      next(Object.assign(new Error(body.message), { data: body }));
    }
  });

  nsp.on('connection', (socket) => {
    const { person } = socket.data;
    metrics.opsConnections.inc();
    log.info({ user: person.sub }, 'ops dashboard connected');
    // The session's own end closes the connection.
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, person.exp * 1000 - Date.now()));
    expiry.unref();
    socket.onAny((...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (answer: { error: ErrorBody }) => void)({ error: { code: 'FORBIDDEN', message: 'the ops feed takes no requests' } });
    });
    // Late joiners get the whole picture first, then the pushes.
    let ready = false;
    const unsubscribePicture = feed.onPicture((picture) => ready && socket.emit('picture', picture));
    const unsubscribeAlert = feed.onAlert((alert) => ready && socket.emit('alert', alert));
    feed.snapshot().then(
      (snapshot) => {
        socket.emit('snapshot', snapshot);
        ready = true;
      },
      (error: unknown) => {
        log.warn({ err: (error as Error).message }, 'ops snapshot failed');
        socket.disconnect(true);
      },
    );
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      unsubscribePicture();
      unsubscribeAlert();
      metrics.opsConnections.dec();
    });
  });
  return nsp;
}
