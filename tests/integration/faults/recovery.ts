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

/**
 * Watch `bot`'s incoming video for `durationMs` (20 ms samples) and return the longest stretch
 * with no new packet, and whether video was flowing at the end. For faults where media does not
 * stop at the fault itself but when the client reacts to it (a dropped signaling connection).
 */
export async function longestVideoGap(bot: SeatBot, durationMs: number): Promise<{ gapMs: number; flowingAtEnd: boolean }> {
  const end = performance.now() + durationMs;
  let last = bot.snapshot().video.received;
  let lastChange = performance.now();
  let gapMs = 0;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    const now = performance.now();
    const received = bot.snapshot().video.received;
    if (received !== last) {
      gapMs = Math.max(gapMs, now - lastChange);
      last = received;
      lastChange = now;
    }
  }
  return { gapMs: Math.max(gapMs, performance.now() - lastChange), flowingAtEnd: performance.now() - lastChange < 200 };
}
