import { formatClock, onLanguageChange, t } from '../i18n';
import { h } from './h';

/**
 * Time left in the slot, ticking every second against the server's clock. `data-warning` carries
 * the seconds-left of the last warning the server sent (5 and 1 minutes by default).
 */
export class Countdown {
  readonly element = h('div', { class: 'countdown', id: 'countdown', 'aria-live': 'off' });
  private readonly label = h('span', { class: 'countdown-label' });
  private readonly value = h('span', { class: 'countdown-value', id: 'time-left' });
  private timer: ReturnType<typeof setInterval> | undefined;
  private endsAt = 0;

  constructor(private readonly serverNow: () => number) {
    this.element.append(this.label, this.value);
    onLanguageChange(() => this.tick());
  }

  run(endsAt: number): void {
    this.endsAt = endsAt;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 1000);
    this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get millisecondsLeft(): number {
    return Math.max(0, this.endsAt - this.serverNow());
  }

  private tick(): void {
    this.label.textContent = t('call.timeLeft');
    this.value.textContent = this.endsAt ? formatClock(this.millisecondsLeft) : '–';
    this.element.dataset.lastMinutes = String(this.millisecondsLeft <= 60_000 && this.endsAt > 0);
  }
}

/** The banner of a slot warning ("the meeting ends in 5 minutes"), announced to screen readers. */
export class SlotWarningBanner {
  readonly element = h('div', { class: 'slot-warning', id: 'slot-warning', role: 'alert', hidden: true });
  private secondsLeft: number | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly extra: () => Node | undefined = () => undefined) {
    onLanguageChange(() => this.render());
  }

  show(secondsLeft: number): void {
    this.secondsLeft = secondsLeft;
    document.body.dataset.warning = String(secondsLeft);
    this.render();
    clearTimeout(this.hideTimer);
    // The last-minute warning stays; earlier ones fade after half a minute (the countdown remains).
    if (secondsLeft > 90) this.hideTimer = setTimeout(() => this.hide(), 30_000);
  }

  /** Draw again (what the extra part shows changed). */
  refresh(): void {
    if (!this.element.hidden) this.render();
  }

  hide(): void {
    this.element.hidden = true;
    clearTimeout(this.hideTimer);
  }

  clear(): void {
    this.hide();
    this.secondsLeft = undefined;
    delete document.body.dataset.warning;
  }

  private render(): void {
    if (this.secondsLeft === undefined) return;
    const minutes = Math.max(1, Math.round(this.secondsLeft / 60));
    this.element.replaceChildren(h('span', null, minutes <= 1 ? t('call.warningLastMinute') : t('call.warningMinutes', { minutes })));
    const extra = this.extra();
    if (extra) this.element.append(extra);
    this.element.hidden = false;
  }
}
