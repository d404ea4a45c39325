import { describe, expect, it } from 'vitest';
import { ReplayWindow } from './ReplayWindow';

describe('replay window', () => {
  it('accepts each counter once, in any order within the window', () => {
    const window = new ReplayWindow(16);
    for (const c of [5, 3, 4, 10, 6, 0]) expect(window.accept(c)).toBe(true);
    for (const c of [5, 3, 10, 0]) expect(window.accept(c)).toBe(false);
    expect(window.accept(2)).toBe(true);
  });

  it('refuses counters older than the window, and forgets slots it moved past', () => {
    const window = new ReplayWindow(16);
    expect(window.accept(1)).toBe(true);
    expect(window.accept(40)).toBe(true);
    expect(window.accept(24)).toBe(false); // 40 - 24 >= 16
    expect(window.accept(25)).toBe(true);
    expect(window.accept(57)).toBe(true); // 57 % 16 == 41 % 16 == 25 % 16: the slot was cleared when moving past
    expect(window.accept(41)).toBe(false);
  });
});
