import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry, Booth, Center } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatDate, formatTime, t } from '../common/i18n';
import { localDate } from '../common/localDate';
import { field, input, notice } from '../common/ui/forms';
import { withData } from '../common/ui/withData';
import { h, mount, type Child } from '../common/ui/h';
import { statusBadge } from '../common/ui/StatusBadge';
import { TodaysDesk } from './TodaysDesk';

/**
 * The detention officer's day, by booth: who comes when, a "detainee seated" action once the
 * lawyer is checked in (the booth kiosk then joins by itself), the booths' live status, and the
 * day's in-person meeting count for the statistics.
 */
export class CenterDesk extends TodaysDesk<Center & { booths: Booth[] }> {
  readonly element = h('div', { class: 'desk center-desk', id: 'center-desk' });
  private readonly schedule = h('section', { class: 'agenda', 'aria-labelledby': 'schedule-title' });
  private readonly inPerson = h('section', { class: 'card in-person', id: 'in-person', 'aria-labelledby': 'in-person-title' });
  private message: { tone: 'ok' | 'bad'; text: () => Child } | undefined;
  private busy = new Set<string>();
  private inPersonCount = '';
  private inPersonMessage: { tone: 'ok' | 'bad'; text: string } | undefined;

  constructor(
    api: ApiClient,
    private readonly centerId: string,
  ) {
    super(api, `/centers/${centerId}`, { centerId });
    this.element.append(this.schedule, h('div', { class: 'side' }, this.live.element, this.inPerson));
  }

  render(): void {
    const zone = this.entries?.[0]?.timeZone;
    const parts: Node[] = [
      h('h1', { id: 'schedule-title' }, t('console.schedule.title'), ' ', this.site ? h('span', { class: 'muted', translate: 'no' }, this.site.name) : null),
      h('p', { class: 'muted' }, formatDate(Date.now(), zone, true)),
    ];
    if (this.error) parts.push(notice('bad', this.error));
    if (this.message) parts.push(notice(this.message.tone, this.message.text(), 'seating-message'));
    if (!this.entries || !this.site) parts.push(h('p', { class: 'muted' }, t('app.loading')));
    else {
      for (const booth of this.site.booths) {
        const mine = this.entries.filter((e) => e.boothId === booth.id);
        parts.push(
          h(
            'section',
            { class: 'booth-schedule', id: `booth-${booth.id}`, 'aria-labelledby': `booth-${booth.id}-title` },
            h('h2', { id: `booth-${booth.id}-title`, translate: 'no' }, booth.label),
            mine.length === 0 ? h('p', { class: 'muted' }, t('console.schedule.empty')) : h('ul', { class: 'agenda-list' }, ...mine.map((entry) => this.row(entry))),
          ),
        );
      }
    }
    mount(this.schedule, ...parts);
    this.live.render();
    this.renderInPerson();
  }

  private row(entry: AgendaEntry): HTMLElement {
    const zone = entry.timeZone;
    return h(
      'li',
      { class: 'agenda-item', id: `booking-${entry.id}`, data: { status: entry.status } },
      h('div', { class: 'agenda-time' }, `${formatTime(entry.startsAt, zone)}–${formatTime(entry.endsAt, zone)}`),
      h(
        'div',
        { class: 'agenda-who' },
        h('strong', { translate: 'no' }, entry.detaineeName),
        h('span', null, t('console.schedule.lawyer'), ' ', h('span', { translate: 'no' }, entry.lawyerName), ' · ', h('span', { translate: 'no' }, entry.stationName)),
      ),
      statusBadge(entry.status),
      this.action(entry),
    );
  }

  private action(entry: AgendaEntry): Node {
    const zone = entry.timeZone;
    if (entry.status === 'booked') return h('span', { class: 'muted' }, t('console.schedule.waitingCheckIn'));
    if (entry.status === 'checked_in') {
      return h(
        'button',
        { type: 'button', class: 'primary seat-detainee', data: { booking: entry.id }, disabled: this.busy.has(entry.id), on: { click: () => void this.seat(entry) } },
        t('console.schedule.seated'),
      );
    }
    if (entry.seating) return h('span', { class: 'muted' }, t('console.schedule.seatedAt', { time: formatTime(entry.seating.at, zone) }));
    return h('span');
  }

  private async seat(entry: AgendaEntry): Promise<void> {
    this.busy.add(entry.id);
    this.render();
    try {
      await this.api.post(`/bookings/${entry.id}/seating`, {});
      this.message = { tone: 'ok', text: () => withData('console.schedule.seatedDone', { name: entry.detaineeName, booth: entry.boothLabel }) };
      await this.load();
    } catch (error) {
      const text = errorText(error, entry.timeZone);
      this.message = { tone: 'bad', text: () => text };
      this.render();
    } finally {
      this.busy.delete(entry.id);
    }
  }

  private renderInPerson(): void {
    const date = localDate(this.entries?.[0]?.timeZone ?? 'Asia/Shanghai');
    const count = input({ id: 'in-person-count', type: 'number', min: 0, max: 10000, inputmode: 'numeric', value: this.inPersonCount, on: { input: (e: Event) => (this.inPersonCount = (e.target as HTMLInputElement).value) } });
    mount(
      this.inPerson,
      h('h2', { id: 'in-person-title' }, t('console.inPerson.title')),
      h('p', { class: 'muted' }, t('console.inPerson.hint')),
      h(
        'form',
        {
          on: {
            submit: (event: Event) => {
              event.preventDefault();
              void this.saveInPerson(date);
            },
          },
        },
        field(t('console.inPerson.count'), count),
        h('button', { type: 'submit', id: 'in-person-save' }, t('app.save')),
      ),
      this.inPersonMessage ? notice(this.inPersonMessage.tone, this.inPersonMessage.text) : null,
    );
  }

  private async saveInPerson(date: string): Promise<void> {
    const meetings = Number(this.inPersonCount);
    if (!Number.isInteger(meetings) || meetings < 0) {
      this.inPersonMessage = { tone: 'bad', text: t('console.inPerson.invalid') };
    } else {
      try {
        await this.api.put('/stats/in-person', { centerId: this.centerId, date, meetings });
        this.inPersonMessage = { tone: 'ok', text: t('console.inPerson.saved') };
      } catch (error) {
        this.inPersonMessage = { tone: 'bad', text: errorText(error) };
      }
    }
    this.renderInPerson();
  }
}
