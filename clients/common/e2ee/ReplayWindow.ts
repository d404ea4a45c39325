/**
 * Which counters of one key were already accepted: the highest, and the last `size` below it.
 * A frame seen before, or older than the window, is refused (the SFU or anyone on the path could
 * otherwise play back old frames). Audio and video of one sender share the counter, so the window
 * is wide enough for one stream to run a few seconds ahead of the other.
 */
export class ReplayWindow {
  private highest = -1;
  private readonly seen: Uint8Array;

  constructor(private readonly size = 4096) {
    this.seen = new Uint8Array(size);
  }

  /** Whether `counter` could still be accepted (checked before the costly decryption). */
  mayAccept(counter: number): boolean {
    if (counter > this.highest) return true;
    if (this.highest - counter >= this.size) return false;
    return this.seen[counter % this.size] === 0;
  }

  /** Record `counter` after its frame authenticated; false if it was taken meanwhile. */
  accept(counter: number): boolean {
    if (!this.mayAccept(counter)) return false;
    if (counter > this.highest) {
      const advance = counter - this.highest;
      if (advance >= this.size) this.seen.fill(0);
      else for (let c = this.highest + 1; c <= counter; c++) this.seen[c % this.size] = 0;
      this.highest = counter;
    }
    this.seen[counter % this.size] = 1;
    return true;
  }
}
