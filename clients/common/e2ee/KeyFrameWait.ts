/**
 * Whether a video receiver's decoder is waiting for a key frame it can open: at the start, and
 * after any frame that did not open (the sender was still on keys this side does not hold, so the
 * decoder missed a frame and every delta frame after it is useless). While waiting, each frame
 * asks the sender for a key frame (through the SFU), at most once per interval. Chromium cannot
 * make its own sender emit a key frame when the keys change, so this request is what makes a
 * re-keyed stream decodable again at once instead of at the decoder's next timeout.
 */
export class KeyFrameWait {
  private waiting = true;
  private lastAsked = -Infinity;

  constructor(
    private readonly ask: () => void,
    private readonly intervalMs = 500,
    private readonly now: () => number = () => Date.now(),
  ) {}

  opened(isKeyFrame: boolean): void {
    if (isKeyFrame) this.waiting = false;
    else if (this.waiting) this.askThrottled();
  }

  rejected(): void {
    this.waiting = true;
    this.askThrottled();
  }

  private askThrottled(): void {
    const now = this.now();
    if (now - this.lastAsked < this.intervalMs) return;
    this.lastAsked = now;
    this.ask();
  }
}
