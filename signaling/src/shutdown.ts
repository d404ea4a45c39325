import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { Server as SocketServer } from 'socket.io';
import type { PendingWork } from './PendingWork';

export interface ShutdownParts {
  httpServer: HttpServer | HttpsServer;
  io: SocketServer;
  /** Seat releases and other work started by disconnects. */
  pending: PendingWork;
  /** Run last, in order, each bounded by a few seconds: flush outboxes, close Redis clients. */
  closers: { name: string; close: () => Promise<unknown> }[];
  log: Logger;
}

export interface ShutdownOptions {
  /** How long to wait for pending work once every client is told to go. */
  drainTimeoutMs: number;
}

const stepTimeoutMs = 3000;
/** Past the drain timeout, how long closing may take before the process exits 1 anyway. */
export const closingMarginMs = 15_000;

/** Wait for one closing step, at most a few seconds; a failure or a timeout is logged, not fatal. */
async function bounded(name: string, step: Promise<unknown>, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), stepTimeoutMs)));
  const outcome = await Promise.race([step.then(() => 'closed' as const, (error: unknown) => error), timeout]);
  clearTimeout(timer);
  if (outcome !== 'closed') log.warn({ name, outcome: outcome instanceof Error ? outcome.message : outcome }, 'closing did not finish cleanly');
}

/**
 * Graceful stop of a signaling instance, on SIGTERM or SIGINT:
 * 1. stop taking connections (the listening socket closes; a load balancer's next probe fails);
 * 2. tell every connected client `serverDraining`, then close its connection: Socket.IO clients
 *    reconnect by themselves, through the load balancer, to another instance, and join again;
 * 3. wait for the disconnects' seat releases (bounded by `drainTimeoutMs`);
 * 4. close Socket.IO, flush outboxes and Redis clients (`quit` sends what is queued), flush logs;
 * 5. exit 0 (or 1 if all of it outlasts the drain timeout plus `closingMarginMs`: something hangs).
 * Signaling never carries media: a drained seat's transports close when its seat is released, and
 * its rejoin elsewhere creates new ones; the other seat's transports stay up.
 */
export function stopGracefullyOnSignals(parts: ShutdownParts, options: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      parts.log.warn({ signal }, 'signaling already stopping');
      return;
    }
    stopping = true;
    const exit = (code: number) => process.exit(code);
    const deadlineMs = options.drainTimeoutMs + closingMarginMs;
    const hard = setTimeout(() => {
      parts.log.error({ deadlineMs }, 'signaling did not stop in time; exiting');
      parts.log.flush();
      exit(1);
    }, deadlineMs);
    hard.unref();
    void drain(parts, signal, options.drainTimeoutMs).then(
      () => exit(0),
      (error: unknown) => {
        parts.log.error({ err: error }, 'signaling stop failed');
        parts.log.flush();
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function drain(parts: ShutdownParts, signal: NodeJS.Signals, drainTimeoutMs: number): Promise<void> {
  const { httpServer, io, pending, closers, log } = parts;
  const started = Date.now();
  const listenerClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
  httpServer.closeIdleConnections();

  let clients = 0;
  for (const nsp of io._nsps.values()) {
    for (const socket of nsp.sockets.values()) {
      // `local`: written to this connection now. A plain emit goes through the Redis streams adapter
      // first (connection-state recovery gives every packet an offset) and would arrive after the close.
      nsp.local.to(socket.id).emit('serverDraining' as never, {} as never);
      // Closing the transport (not a Socket.IO disconnect) makes the client reconnect by itself;
      // engine.io sends the event queued above first.
      socket.conn.close();
      clients++;
    }
  }
  log.info({ signal, clients }, 'signaling draining: clients told to reconnect elsewhere');

  const drained = await pending.settled(drainTimeoutMs);
  if (!drained) log.warn({ pending: pending.size, drainTimeoutMs }, 'signaling drain deadline passed; closing anyway');

  await new Promise<void>((resolve) => void io.close(() => resolve()));
  httpServer.closeAllConnections();
  // A client that never answers the WebSocket close would hold this until ws's own timeout.
  await bounded('connections', listenerClosed, log);
  for (const { name, close } of closers) await bounded(name, close(), log);
  log.info({ clients, drained, ms: Date.now() - started }, 'signaling stopped');
  log.flush();
}
