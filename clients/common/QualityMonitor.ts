import { assessQuality, ConnectionQuality, type QualityAssessment } from './ConnectionQuality';
import { Emitter } from './Emitter';
import { sampleOf, type StatsSample } from './statsSample';

/** What the monitor reads: a session's transport statistics. */
export interface StatsSource {
  getStats(): Promise<{ send?: RTCStatsReport; recv?: RTCStatsReport }>;
}

/**
 * Reads a session's getStats every interval and reports the connection quality (good, degraded,
 * poor, lost, with the reason). Numbers only, read locally; nothing is sent anywhere.
 */
export class QualityMonitor extends Emitter<{ quality: [assessment: QualityAssessment] }> {
  private timer: ReturnType<typeof setInterval> | undefined;
  private previous: StatsSample | undefined;
  private readonly smoothing = new ConnectionQuality();
  private reading = false;

  constructor(
    private readonly source: StatsSource,
    /** Whether the other side is present (media should arrive). */
    private readonly expectMedia: () => boolean,
    private readonly intervalMs = 2000,
  ) {
    super();
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.read(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.previous = undefined;
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const { send, recv } = await this.source.getStats();
      const reports = [send, recv].filter((r): r is RTCStatsReport => r !== undefined);
      if (reports.length === 0) {
        this.previous = undefined;
        return;
      }
      const sample = sampleOf(reports);
      if (this.previous) this.emit('quality', this.smoothing.update(assessQuality(this.previous, sample, this.expectMedia())));
      this.previous = sample;
    } catch {
      this.previous = undefined;
    } finally {
      this.reading = false;
    }
  }
}
