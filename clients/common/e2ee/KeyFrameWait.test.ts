import { describe, expect, it } from 'vitest';
import { KeyFrameWait } from './KeyFrameWait';

describe('KeyFrameWait', () => {
  function setup() {
    let clock = 0;
    const asked: number[] = [];
    const wait = new KeyFrameWait(() => asked.push(clock), 500, () => clock);
    return { wait, asked, advance: (ms: number) => (clock += ms) };
  }

  it('asks nothing when the stream starts with a key frame and goes on with delta frames', () => {
    const { wait, asked, advance } = setup();
    wait.opened(true);
    for (let i = 0; i < 30; i++, advance(33)) wait.opened(false);
    expect(asked).toEqual([]);
  });

  it('a stream that starts with delta frames asks for a key frame, at most every 500 ms, until one opens', () => {
    const { wait, asked, advance } = setup();
    for (let i = 0; i < 40; i++, advance(33)) wait.opened(false);
    expect(asked).toEqual([0, 528, 1056]);
    wait.opened(true);
    advance(1000);
    wait.opened(false);
    expect(asked).toHaveLength(3);
  });

  it('a frame that does not open (the sender on other keys) asks at once, and the delta frames after it keep asking', () => {
    const { wait, asked, advance } = setup();
    wait.opened(true);
    advance(10_000);
    wait.rejected();
    expect(asked).toEqual([10_000]);
    advance(100);
    wait.opened(false); // opens under the new keys, but the decoder has no key frame
    expect(asked).toHaveLength(1);
    advance(500);
    wait.opened(false);
    expect(asked).toEqual([10_000, 10_600]);
    wait.opened(true);
    advance(600);
    wait.opened(false);
    expect(asked).toHaveLength(2);
  });
});
