import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaRecovery, type RecoverableMedia } from './MediaRecovery';

function fakeMedia(overrides: Partial<RecoverableMedia> = {}) {
  const calls: string[] = [];
  const recovering: boolean[] = [];
  const media: RecoverableMedia = {
    restartIce: async (direction) => {
      calls.push(`restartIce:${direction}`);
    },
    rejoin: async () => {
      calls.push('rejoin');
    },
    withinSlot: () => true,
    onRecovering: (value) => recovering.push(value),
    ...overrides,
  };
  return { media, calls, recovering };
}

describe('MediaRecovery: ICE restart first, then a full rejoin within the slot', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a short disconnection that heals by itself restarts nothing', async () => {
    const { media, calls, recovering } = fakeMedia();
    const recovery = new MediaRecovery(media, { disconnectedGraceMs: 2000, iceRestartTimeoutMs: 8000 });
    recovery.onTransportState('recv', 'connected');
    recovery.onTransportState('recv', 'disconnected');
    await vi.advanceTimersByTimeAsync(1000);
    recovery.onTransportState('recv', 'connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([]);
    expect(recovering).toEqual([true, false]);
  });

  it('a lasting disconnection restarts ICE on the transport that is down, and recovers when it connects', async () => {
    const { media, calls, recovering } = fakeMedia();
    const recovery = new MediaRecovery(media, { disconnectedGraceMs: 2000, iceRestartTimeoutMs: 8000 });
    recovery.onTransportState('send', 'connected');
    recovery.onTransportState('recv', 'connected');
    recovery.onTransportState('recv', 'disconnected');
    await vi.advanceTimersByTimeAsync(2100);
    expect(calls).toEqual(['restartIce:recv']);
    recovery.onTransportState('recv', 'connected');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['restartIce:recv']);
    expect(recovering).toEqual([true, false]);
  });

  it('a failed transport is restarted at once; still down after the restart timeout, the session rejoins', async () => {
    const { media, calls } = fakeMedia();
    const recovery = new MediaRecovery(media, { disconnectedGraceMs: 2000, iceRestartTimeoutMs: 8000 });
    recovery.onTransportState('send', 'failed');
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(['restartIce:send']);
    await vi.advanceTimersByTimeAsync(8000);
    expect(calls).toEqual(['restartIce:send', 'rejoin']);
  });

  it('an ICE restart the SFU refuses goes straight to a rejoin', async () => {
    const { media, calls } = fakeMedia({
      restartIce: async () => {
        throw new Error('transport not found');
      },
    });
    const recovery = new MediaRecovery(media);
    recovery.onTransportState('recv', 'failed');
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual(['rejoin']);
  });

  it('never rejoins after the slot has ended', async () => {
    const { media, calls } = fakeMedia({ withinSlot: () => false });
    const recovery = new MediaRecovery(media, { disconnectedGraceMs: 2000, iceRestartTimeoutMs: 8000 });
    recovery.onTransportState('recv', 'failed');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['restartIce:recv']);
  });

  it('reset cancels a pending restart (the connection dropped; the session joins again anyway)', async () => {
    const { media, calls } = fakeMedia();
    const recovery = new MediaRecovery(media, { disconnectedGraceMs: 2000, iceRestartTimeoutMs: 8000 });
    recovery.onTransportState('recv', 'disconnected');
    recovery.reset();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual([]);
  });
});
