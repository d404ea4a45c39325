/**
 * One timer for every paced sender in the process: thousands of bots share a single 5 ms tick
 * instead of each owning its own intervals.
 */
export class PacingClock {
  private readonly subscribers = new Set<(now: number) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tickMs = 5) {}

  subscribe(onTick: (now: number) => void): () => void {
    this.subscribers.add(onTick);
    this.timer ??= setInterval(() => {
      const now = performance.now();
      for (const subscriber of this.subscribers) subscriber(now);
    }, this.tickMs);
    return () => {
      this.subscribers.delete(onTick);
      if (this.subscribers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }
}

export const sharedPacingClock = new PacingClock();
