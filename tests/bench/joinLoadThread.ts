import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';
import { MEETING_NAMESPACE } from '@huijian/signaling/protocol';

/** One load thread of joins.bench.ts: `concurrency` loops of connect through the gate (+ join), then disconnect. */
const { url, auths, concurrency, durationMs, withJoin } = workerData as {
  url: string;
  auths: Record<string, unknown>[];
  concurrency: number;
  durationMs: number;
  withJoin: boolean;
};

const latencies: number[] = [];
const refusals: Record<string, number> = {};
let next = 0;
const end = performance.now() + durationMs;

async function once(auth: Record<string, unknown>): Promise<void> {
  const started = performance.now();
  const socket = io(`${url}${MEETING_NAMESPACE}`, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) => reject(new Error(error.data?.code ?? error.message)));
    });
    if (withJoin) {
      const ack = (await socket.timeout(10_000).emitWithAck('join', {})) as { error?: { code: string } };
      if (ack?.error) throw new Error(ack.error.code);
    }
    latencies.push(performance.now() - started);
  } catch (error) {
    const code = (error as Error).message;
    refusals[code] = (refusals[code] ?? 0) + 1;
  } finally {
    socket.disconnect();
  }
}

await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) await once(auths[next++ % auths.length]!);
  }),
);
parentPort!.postMessage({ latencies, refusals });
