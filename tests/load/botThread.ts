/**
 * Worker-thread side of BotFleet: runs the seat bots it is given and answers snapshot requests.
 * Each thread loads the clip once and paces its bots with its own clock.
 */
import { parentPort } from 'node:worker_threads';
import { loadClip } from './clip/loadClip';
import { SeatBot, type BotSnapshot, type SeatBotOptions } from './SeatBot';

export type FleetRequest =
  | { type: 'join'; id: string; options: Omit<SeatBotOptions, 'clip'> }
  | { type: 'snapshot'; requestId: number }
  | { type: 'stop'; requestId: number };

export interface BotReport {
  id: string;
  role?: string;
  state: string;
  rejoins: number;
  joinMs?: number;
  firstVideoMs?: number;
  error?: string;
  snapshot: BotSnapshot;
}

export type FleetReply =
  | { type: 'joined'; id: string; report: BotReport }
  | { type: 'failed'; id: string; error: string }
  | { type: 'snapshot'; requestId: number; reports: BotReport[] }
  | { type: 'stopped'; requestId: number };

const port = parentPort!;
const clip = loadClip();
const bots = new Map<string, SeatBot>();

function report(id: string, bot: SeatBot): BotReport {
  return {
    id,
    role: bot.role,
    state: bot.state,
    rejoins: bot.rejoins,
    joinMs: bot.joinMs,
    firstVideoMs: bot.firstVideoMs,
    error: bot.lastError ? `${bot.lastError.code}: ${bot.lastError.message}` : undefined,
    snapshot: bot.snapshot(),
  };
}

port.on('message', (request: FleetRequest) => {
  if (request.type === 'join') {
    const bot = new SeatBot({ ...request.options, clip });
    bots.set(request.id, bot);
    bot.start().then(
      () => port.postMessage({ type: 'joined', id: request.id, report: report(request.id, bot) } satisfies FleetReply),
      (error: unknown) => port.postMessage({ type: 'failed', id: request.id, error: String(error) } satisfies FleetReply),
    );
  } else if (request.type === 'snapshot') {
    port.postMessage({ type: 'snapshot', requestId: request.requestId, reports: [...bots].map(([id, bot]) => report(id, bot)) } satisfies FleetReply);
  } else {
    void Promise.all([...bots.values()].map((bot) => bot.stop())).then(() => port.postMessage({ type: 'stopped', requestId: request.requestId } satisfies FleetReply));
  }
});
