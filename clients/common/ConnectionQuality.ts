import type { StatsSample } from './statsSample';

export type QualityLevel = 'good' | 'degraded' | 'poor' | 'lost';

/** Why the quality is not good: the first of these that applies, worst level first. */
export type QualityReason =
  | 'disconnected'
  | 'no_media'
  | 'packet_loss'
  | 'high_latency'
  | 'jitter'
  | 'low_frame_rate'
  | 'freezes'
  | 'bandwidth'
  | 'cpu';

export interface QualityFigures {
  lossPercent: number;
  rttMs: number | undefined;
  jitterMs: number;
  fps: number;
  width: number;
  height: number;
  inboundKbps: number;
  outboundKbps: number;
}

export interface QualityAssessment {
  level: QualityLevel;
  reason?: QualityReason;
  figures: QualityFigures;
}

/** Limits for degraded and poor; a figure beyond them names the reason. */
export const qualityThresholds = {
  lossPercent: { degraded: 2, poor: 8 },
  rttMs: { degraded: 300, poor: 600 },
  jitterMs: { degraded: 40, poor: 100 },
  fps: { degraded: 18, poor: 8 },
} as const;

const rank: Record<QualityLevel, number> = { good: 0, degraded: 1, poor: 2, lost: 3 };

/**
 * Judge the interval between two samples. `expectMedia`: the other side is present, so media
 * should be arriving (without it, silence is not a fault).
 */
export function assessQuality(previous: StatsSample, current: StatsSample, expectMedia: boolean): QualityAssessment {
  const seconds = Math.max(0.001, (current.at - previous.at) / 1000);
  const received = current.inbound.audioPackets + current.inbound.videoPackets - (previous.inbound.audioPackets + previous.inbound.videoPackets);
  const lost = Math.max(0, current.inbound.packetsLost - previous.inbound.packetsLost);
  const frames = current.inbound.framesDecoded - previous.inbound.framesDecoded;
  const figures: QualityFigures = {
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    rttMs: current.roundTripTime === undefined ? undefined : current.roundTripTime * 1000,
    jitterMs: current.inbound.jitter * 1000,
    fps: frames / seconds,
    width: current.inbound.frameWidth,
    height: current.inbound.frameHeight,
    inboundKbps: (8 * (current.inbound.bytes - previous.inbound.bytes)) / seconds / 1000,
    outboundKbps: (8 * (current.outbound.bytes - previous.outbound.bytes)) / seconds / 1000,
  };
  if (!current.connected) return { level: 'lost', reason: 'disconnected', figures };
  if (expectMedia && received <= 0) return { level: 'lost', reason: 'no_media', figures };

  let level: QualityLevel = 'good';
  let reason: QualityReason | undefined;
  const consider = (candidate: QualityLevel, why: QualityReason) => {
    if (rank[candidate] > rank[level]) {
      level = candidate;
      reason = why;
    }
  };
  const higherIsWorse = (value: number | undefined, limits: { degraded: number; poor: number }, why: QualityReason) => {
    if (value === undefined) return;
    if (value >= limits.poor) consider('poor', why);
    else if (value >= limits.degraded) consider('degraded', why);
  };
  higherIsWorse(figures.lossPercent, qualityThresholds.lossPercent, 'packet_loss');
  higherIsWorse(figures.rttMs, qualityThresholds.rttMs, 'high_latency');
  if (expectMedia) higherIsWorse(figures.jitterMs, qualityThresholds.jitterMs, 'jitter');
  const videoFlowing = current.inbound.videoPackets > previous.inbound.videoPackets;
  if (expectMedia && videoFlowing) {
    if (figures.fps < qualityThresholds.fps.poor) consider('poor', 'low_frame_rate');
    else if (figures.fps < qualityThresholds.fps.degraded) consider('degraded', 'low_frame_rate');
    if (current.inbound.freezeCount > previous.inbound.freezeCount) consider('degraded', 'freezes');
  }
  const limitation = current.outbound.qualityLimitationReason;
  if (limitation === 'bandwidth' || limitation === 'cpu') consider('degraded', limitation);
  return reason ? { level, reason, figures } : { level, figures };
}

/**
 * The quality a screen shows: a worse level at once, a better one only after it held for two
 * intervals, so the indicator does not flicker.
 */
export class ConnectionQuality {
  private shown: QualityAssessment | undefined;
  private better: { level: QualityLevel; count: number } | undefined;

  update(assessment: QualityAssessment): QualityAssessment {
    const shown = this.shown;
    if (!shown || rank[assessment.level] >= rank[shown.level]) {
      this.better = undefined;
      this.shown = assessment;
      return assessment;
    }
    this.better = this.better?.level === assessment.level ? { level: assessment.level, count: this.better.count + 1 } : { level: assessment.level, count: 1 };
    if (this.better.count >= 2) {
      this.better = undefined;
      this.shown = assessment;
      return assessment;
    }
    this.shown = { ...shown, figures: assessment.figures };
    return this.shown;
  }
}
