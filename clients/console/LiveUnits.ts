import type { ApiClient } from '../common/api/ApiClient';
import type { UnitStatus } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatTime, onLanguageChange, t } from '../common/i18n';
import { notice } from '../common/ui/forms';
import { h, mount } from '../common/ui/h';

/**
 * Live status of the site's seat terminals or booth kiosks, refreshed every few seconds: online
 * or not, and free, assigned to a meeting, or in it (and whether the other side is there).
 */
export class LiveUnits {
  readonly element = h('section', { class: 'live-units', id: 'live-units', 'aria-labelledby': 'live-units-title', 'aria-live': 'polite' });
  private units: UnitStatus[] | undefined;
  private error = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly offLanguage: () => void;

  constructor(
    private readonly api: ApiClient,
    private readonly site: { stationId: string } | { centerId: string },
    private readonly timeZone: () => string | undefined,
    private readonly intervalMs = 4000,
  ) {
    this.offLanguage = onLanguageChange(() => this.render());
  }

  start(): void {
    void this.load();
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.load(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.offLanguage();
  }

  get statuses(): UnitStatus[] {
    return this.units ?? [];
  }

  private async load(): Promise<void> {
    try {
      this.units = (await this.api.get<{ units: UnitStatus[] }>('/live/units', this.site)).units;
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  render(): void {
    const kind = 'stationId' in this.site ? 'seat' : 'booth';
    const title = h('h2', { id: 'live-units-title' }, t(kind === 'seat' ? 'console.live.seats' : 'console.live.booths'));
    if (!this.units) {
      mount(this.element, title, this.error ? notice('bad', this.error) : h('p', { class: 'muted' }, t('app.loading')));
      return;
    }
    const zone = this.timeZone();
    mount(
      this.element,
      title,
      this.error ? notice('warn', t('console.live.stale')) : null,
      h(
        'ul',
        { class: 'unit-list' },
        ...this.units.map((unit) =>
          h(
            'li',
            { class: ['unit', `unit-${unit.state}`, !unit.online && 'unit-offline'], id: `unit-${unit.id}`, data: { state: unit.state, online: String(unit.online) } },
            h('span', { class: 'unit-label', translate: 'no' }, unit.label),
            h('span', { class: ['dot', unit.online ? 'on' : 'off'] }, unit.online ? t('console.live.online') : t('console.live.offline')),
            h(
              'span',
              { class: 'unit-state' },
              !unit.active
                ? t('console.live.outOfService')
                : unit.state === 'free'
                  ? t('console.live.free')
                  : unit.state === 'assigned'
                    ? t('console.live.assigned', { time: formatTime(unit.startsAt ?? 0, zone) })
                    : unit.peerPresent
                      ? t('console.live.inMeeting')
                      : t('console.live.waitingPeer'),
            ),
          ),
        ),
      ),
    );
  }
}
