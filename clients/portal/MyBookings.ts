import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatSlot, t } from '../common/i18n';
import { localDate } from '../common/localDate';
import type { View } from '../common/ui/AppShell';
import { notice } from '../common/ui/forms';
import { h, mount } from '../common/ui/h';
import { statusBadge } from '../common/ui/StatusBadge';

const open = new Set(['booked', 'checked_in', 'in_meeting']);

/** "My bookings": what is coming, then what has been, each with its state; details one tap away. */
export class MyBookings implements View {
  readonly element = h('section', { class: 'my-bookings', id: 'my-bookings', 'aria-labelledby': 'my-bookings-title' });
  private entries: AgendaEntry[] | undefined;
  private error = '';

  constructor(private readonly api: ApiClient) {}

  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.entries = await this.api.get<AgendaEntry[]>('/agenda', { from: localDate('Asia/Shanghai', -60), to: localDate('Asia/Shanghai', 30) });
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  render(): void {
    const parts: Node[] = [h('h1', { id: 'my-bookings-title' }, t('portal.bookings.title'))];
    if (this.error) parts.push(notice('bad', this.error));
    if (!this.entries) parts.push(h('p', { class: 'muted' }, t('app.loading')));
    else {
      const upcoming = this.entries.filter((e) => open.has(e.status));
      const past = this.entries.filter((e) => !open.has(e.status)).reverse();
      parts.push(h('h2', null, t('portal.bookings.upcoming')), upcoming.length ? this.list(upcoming, 'upcoming') : h('p', { class: 'muted' }, t('portal.bookings.noneUpcoming')));
      parts.push(h('a', { href: '#/book', class: 'button primary', id: 'book-another' }, t('portal.bookings.bookNew')));
      parts.push(h('h2', null, t('portal.bookings.past')), past.length ? this.list(past, 'past') : h('p', { class: 'muted' }, t('portal.bookings.nonePast')));
    }
    mount(this.element, ...parts);
  }

  private list(entries: AgendaEntry[], id: string): HTMLElement {
    return h(
      'ul',
      { class: 'booking-list', id: `bookings-${id}` },
      ...entries.map((entry) =>
        h(
          'li',
          { class: 'booking-card', data: { booking: entry.id, status: entry.status } },
          h('a', { href: `#/bookings/${entry.id}`, class: 'booking-link' }, h('span', { class: 'when' }, formatSlot(entry.startsAt, entry.endsAt, entry.timeZone))),
          statusBadge(entry.status),
          h('p', { class: 'where' }, h('span', { translate: 'no' }, entry.stationName), ' → ', h('span', { translate: 'no' }, entry.centerName)),
          h('p', { class: 'who muted' }, t('portal.bookings.client'), ' ', h('span', { translate: 'no' }, entry.detaineeName)),
        ),
      ),
    );
  }
}
