import { describe, expect, it } from 'vitest';
import { assessQuality, ConnectionQuality, type QualityAssessment } from './ConnectionQuality';
import type { StatsSample } from './statsSample';

function sample(at: number, changes: { audio?: number; video?: number; lost?: number; frames?: number; freezes?: number; jitter?: number; rtt?: number; limit?: string; connected?: boolean } = {}): StatsSample {
  return {
    at,
    connected: changes.connected ?? true,
    inbound: {
      audioPackets: changes.audio ?? 0,
      videoPackets: changes.video ?? 0,
      packetsLost: changes.lost ?? 0,
      bytes: ((changes.audio ?? 0) + (changes.video ?? 0)) * 1000,
      framesDecoded: changes.frames ?? 0,
      freezeCount: changes.freezes ?? 0,
      frameWidth: 1280,
      frameHeight: 720,
      jitter: changes.jitter ?? 0.005,
    },
    outbound: { bytes: 0, qualityLimitationReason: changes.limit ?? 'none' },
    roundTripTime: changes.rtt ?? 0.02,
  };
}

/** Two seconds of a healthy 720p30 call: 100 audio and 400 video packets, 60 frames. */
const healthy = { audio: 100, video: 400, frames: 60 };
const after = (extra: Parameters<typeof sample>[1] = {}) => sample(2000, { ...healthy, ...extra });

describe('assessQuality', () => {
  it('a healthy interval is good, with its figures', () => {
    const result = assessQuality(sample(0), after(), true);
    expect(result.level).toBe('good');
    expect(result.reason).toBeUndefined();
    expect(result.figures.fps).toBe(30);
    expect(result.figures.lossPercent).toBe(0);
    expect(result.figures.rttMs).toBe(20);
  });

  it('names loss, latency, jitter, frame rate, freezes and encoder limits, at their levels', () => {
    const cases: [Parameters<typeof sample>[1], QualityAssessment['level'], string][] = [
      [{ lost: 15 }, 'degraded', 'packet_loss'], // 15 of 515 ≈ 2.9 %
      [{ lost: 60 }, 'poor', 'packet_loss'], // ≈ 10.7 %
      [{ rtt: 0.35 }, 'degraded', 'high_latency'],
      [{ rtt: 0.8 }, 'poor', 'high_latency'],
      [{ jitter: 0.05 }, 'degraded', 'jitter'],
      [{ jitter: 0.2 }, 'poor', 'jitter'],
      [{ frames: 30 }, 'degraded', 'low_frame_rate'],
      [{ frames: 10 }, 'poor', 'low_frame_rate'],
      [{ freezes: 1 }, 'degraded', 'freezes'],
      [{ limit: 'bandwidth' }, 'degraded', 'bandwidth'],
      [{ limit: 'cpu' }, 'degraded', 'cpu'],
    ];
    for (const [change, level, reason] of cases) {
      const result = assessQuality(sample(0), after(change), true);
      expect([result.level, result.reason], JSON.stringify(change)).toEqual([level, reason]);
    }
  });

  it('the worst finding wins', () => {
    const result = assessQuality(sample(0), after({ jitter: 0.05, lost: 60 }), true);
    expect([result.level, result.reason]).toEqual(['poor', 'packet_loss']);
  });

  it('no path to the SFU, or nothing arriving from a present peer, is lost', () => {
    expect(assessQuality(sample(0), after({ connected: false }), true)).toMatchObject({ level: 'lost', reason: 'disconnected' });
    expect(assessQuality(sample(0, healthy), sample(2000, healthy), true)).toMatchObject({ level: 'lost', reason: 'no_media' });
  });

  it('silence while the other side is away is no fault', () => {
    expect(assessQuality(sample(0), sample(2000), false).level).toBe('good');
  });
});

describe('ConnectionQuality (what the indicator shows)', () => {
  const level = (l: QualityAssessment['level']): QualityAssessment => ({ level: l, figures: assessQuality(sample(0), after(), true).figures });

  it('shows a worse level at once and a better one after two intervals', () => {
    const quality = new ConnectionQuality();
    expect(quality.update(level('good')).level).toBe('good');
    expect(quality.update(level('poor')).level).toBe('poor');
    expect(quality.update(level('good')).level).toBe('poor');
    expect(quality.update(level('good')).level).toBe('good');
    expect(quality.update(level('lost')).level).toBe('lost');
    expect(quality.update(level('degraded')).level).toBe('lost');
    expect(quality.update(level('good')).level).toBe('lost');
    expect(quality.update(level('good')).level).toBe('good');
  });
});
