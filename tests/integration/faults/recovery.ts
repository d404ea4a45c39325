import type { SeatBot } from '../../load/SeatBot';

/**
 * Milliseconds from `since` (performance.now() at the fault) until `bot` has received `packets`
 * more video packets than it had at the fault, polled every 20 ms; rejects after `timeoutMs`.
 * A handful of packets in flight at the fault stay below the threshold.
 */
export async function videoBackAfter(bot: SeatBot, since: { at: number; videoPackets: number }, timeoutMs: number, packets = 30): Promise<number> {
  const deadline = since.at + timeoutMs;
  for (;;) {
    const now = performance.now();
    if (bot.snapshot().video.received >= since.videoPackets + packets) return now - since.at;
    if (now > deadline) throw new Error(`${bot.role ?? 'bot'}: video did not come back within ${timeoutMs} ms (state ${bot.state}, rejoins ${bot.rejoins}, last error ${JSON.stringify(bot.lastError)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The mark `videoBackAfter` measures from: now, and what the bot has received so far. */
export function faultMark(bot: SeatBot): { at: number; videoPackets: number } {
  return { at: performance.now(), videoPackets: bot.snapshot().video.received };
}
