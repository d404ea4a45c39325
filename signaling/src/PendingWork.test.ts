import { describe, expect, it } from 'vitest';
import { PendingWork } from './PendingWork';

const after = (ms: number, fail = false) =>
  new Promise<void>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('failed')) : resolve()), ms));

describe('PendingWork', () => {
  it('settles once every tracked piece of work has, failures included', async () => {
    const pending = new PendingWork();
    pending.track(after(20));
    pending.track(after(40, true));
    expect(pending.size).toBe(2);
    expect(await pending.settled(1000)).toBe(true);
    expect(pending.size).toBe(0);
  });

  it('also waits for work tracked while it waits', async () => {
    const pending = new PendingWork();
    pending.track(after(20).then(() => pending.track(after(40))));
    const started = Date.now();
    expect(await pending.settled(1000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('gives up at the deadline', async () => {
    const pending = new PendingWork();
    pending.track(after(500));
    const started = Date.now();
    expect(await pending.settled(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(400);
    expect(pending.size).toBe(1);
  });
});
