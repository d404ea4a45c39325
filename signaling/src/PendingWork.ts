/**
 * Work started by an event that must finish before the process exits, such as releasing the seat
 * of a socket that just disconnected. Shutdown waits for it (within a deadline).
 */
export class PendingWork {
  private readonly running = new Set<Promise<void>>();

  /** Keep track of `work` until it settles; its outcome stays the caller's business. */
  track(work: Promise<unknown>): void {
    const settled: Promise<void> = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolve true once nothing is pending (including work added meanwhile), false if `timeoutMs` passes first. */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
      await Promise.race([Promise.all(this.running), timeout]);
      clearTimeout(timer);
    }
    return true;
  }
}
