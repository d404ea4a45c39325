import type { QualityAssessment } from '../ConnectionQuality';
import { onLanguageChange, t } from '../i18n';
import { h } from './h';

/**
 * Connection quality as bars and a word (good, degraded, poor, lost) with the reason; the figures
 * behind it in the tooltip. `data-level` and `data-reason` say the same for tests and styles.
 */
export class QualityIndicator {
  readonly element = h('div', { class: 'quality', id: 'quality', role: 'status', data: { level: 'unknown' } });
  private readonly bars = h('span', { class: 'quality-bars', 'aria-hidden': 'true' }, h('i'), h('i'), h('i'), h('i'));
  private readonly label = h('span', { class: 'quality-label' });
  private last: QualityAssessment | undefined;

  constructor() {
    this.element.append(this.bars, this.label);
    onLanguageChange(() => this.render());
    this.render();
  }

  show(assessment: QualityAssessment | undefined): void {
    this.last = assessment;
    this.render();
  }

  private render(): void {
    const assessment = this.last;
    this.element.dataset.level = assessment?.level ?? 'unknown';
    if (assessment?.reason) this.element.dataset.reason = assessment.reason;
    else delete this.element.dataset.reason;
    if (!assessment) {
      this.label.textContent = t('quality.unknown');
      this.element.title = '';
      return;
    }
    const level = t(`quality.${assessment.level}`);
    this.label.textContent = assessment.reason ? `${level} · ${t(`quality.reason.${assessment.reason}`)}` : level;
    const f = assessment.figures;
    this.element.title = t('quality.figures', {
      loss: f.lossPercent.toFixed(1),
      rtt: f.rttMs === undefined ? '–' : Math.round(f.rttMs),
      jitter: Math.round(f.jitterMs),
      fps: Math.round(f.fps),
      width: f.width,
      height: f.height,
    });
  }
}
