import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry, Seat, Station } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatDate, formatTime, t } from '../common/i18n';
import { field, notice, select } from '../common/ui/forms';
import { withData } from '../common/ui/withData';
import { h, mount, type Child } from '../common/ui/h';
import { statusBadge } from '../common/ui/StatusBadge';
import { TodaysDesk } from './TodaysDesk';

const checks = ['identityVerified', 'licenceVerified', 'authorizationLetterVerified', 'noticeSigned'] as const;
type Check = (typeof checks)[number];

/**
 * The station officer's day: today's bookings at this station; check a lawyer in (ID card,
 * practising licence and authorization letter verified, notice signed) and assign the seat; the
 * seats' live status beside it.
 */
export class StationDesk extends TodaysDesk<Station & { seats: Seat[] }> {
  readonly element = h('div', { class: 'desk station-desk', id: 'station-desk' });
  private readonly list = h('section', { class: 'agenda', 'aria-labelledby': 'today-title' });
  private checkingIn: { id: string; ticks: Set<Check>; seatId: string; error: string; busy: boolean } | undefined;
  private done: { id: string; text: () => Child } | undefined;

  constructor(
    api: ApiClient,
    private readonly stationId: string,
  ) {
    super(api, `/stations/${stationId}`, { stationId });
    this.element.append(this.list, this.live.element);
  }

  render(): void {
    const parts: Node[] = [
      h('h1', { id: 'today-title' }, t('console.today.title'), ' ', this.site ? h('span', { class: 'muted', translate: 'no' }, this.site.name) : null),
      h('p', { class: 'muted' }, formatDate(Date.now(), this.entries?.[0]?.timeZone, true)),
    ];
    if (this.error) parts.push(notice('bad', this.error));
    if (this.done) parts.push(notice('ok', this.done.text(), 'check-in-done'));
    if (!this.entries) parts.push(h('p', { class: 'muted' }, t('app.loading')));
    else if (this.entries.length === 0) parts.push(h('p', { class: 'muted', id: 'no-bookings' }, t('console.today.none')));
    else parts.push(h('ul', { class: 'agenda-list' }, ...this.entries.map((entry) => this.row(entry))));
    mount(this.list, ...parts);
    this.live.render();
  }

  private row(entry: AgendaEntry): HTMLElement {
    const zone = entry.timeZone;
    const item = h(
      'li',
      { class: 'agenda-item', id: `booking-${entry.id}`, data: { status: entry.status } },
      h('div', { class: 'agenda-time' }, `${formatTime(entry.startsAt, zone)}–${formatTime(entry.endsAt, zone)}`),
      h(
        'div',
        { class: 'agenda-who' },
        h('strong', { translate: 'no' }, entry.lawyerName),
        h('span', { class: 'muted', translate: 'no' }, entry.lawyerFirm),
        h('span', null, t('console.today.client'), ' ', h('span', { translate: 'no' }, entry.detaineeName), ' · ', h('span', { translate: 'no' }, entry.centerName)),
      ),
      h('div', { class: 'agenda-seat' }, t('console.today.seat'), ' ', h('span', { translate: 'no' }, entry.seatLabel)),
      statusBadge(entry.status),
      this.action(entry),
    );
    if (this.checkingIn?.id === entry.id) item.append(this.checkInForm(entry));
    return item;
  }

  private action(entry: AgendaEntry): Node {
    const zone = entry.timeZone;
    if (entry.status === 'booked') {
      if (this.checkingIn?.id === entry.id) return h('span');
      return h(
        'button',
        {
          type: 'button',
          class: 'primary check-in',
          data: { booking: entry.id },
          on: {
            click: () => {
              this.checkingIn = { id: entry.id, ticks: new Set(), seatId: entry.seatId, error: '', busy: false };
              this.done = undefined;
              this.render();
              document.getElementById(`check-${entry.id}-identityVerified`)?.focus();
            },
          },
        },
        t('console.checkIn.start'),
      );
    }
    if (entry.checkIn) {
      return h('span', { class: 'muted' }, t('console.checkIn.doneAt', { time: formatTime(entry.checkIn.at, zone) }), ' · ', h('span', { translate: 'no' }, entry.checkIn.byName));
    }
    return h('span');
  }

  private checkInForm(entry: AgendaEntry): HTMLElement {
    const state = this.checkingIn!;
    const seats = (this.site?.seats ?? []).filter((s) => s.active);
    const boxes = checks.map((check) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          id: `check-${entry.id}-${check}`,
          name: check,
          checked: state.ticks.has(check),
          on: {
            change: (event: Event) => {
              if ((event.target as HTMLInputElement).checked) state.ticks.add(check);
              else state.ticks.delete(check);
              this.render();
              document.getElementById(`check-${entry.id}-${check}`)?.focus();
            },
          },
        }),
        ' ',
        t(`console.checkIn.${check}`),
      ),
    );
    const seatSelect = select(
      seats.map((s) => ({ value: s.id, label: s.label })),
      state.seatId,
      { id: `seat-${entry.id}`, translate: 'no', on: { change: (event: Event) => (state.seatId = (event.target as HTMLSelectElement).value) } },
    );
    const complete = state.ticks.size === checks.length;
    return h(
      'form',
      {
        class: 'check-in-form card',
        id: `check-in-${entry.id}`,
        on: {
          submit: (event: Event) => {
            event.preventDefault();
            void this.checkIn(entry);
          },
        },
      },
      h('fieldset', null, h('legend', null, ...withData('console.checkIn.legend', { name: entry.lawyerName })), ...boxes),
      field(t('console.checkIn.seat'), seatSelect),
      state.error ? notice('bad', state.error, 'check-in-error') : null,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', on: { click: () => ((this.checkingIn = undefined), this.render()) } }, t('app.cancel')),
        h('button', { type: 'submit', class: 'primary', id: `confirm-check-in-${entry.id}`, disabled: !complete || state.busy }, t('console.checkIn.confirm')),
      ),
      complete ? null : h('p', { class: 'hint' }, t('console.checkIn.allRequired')),
    );
  }

  private async checkIn(entry: AgendaEntry): Promise<void> {
    const state = this.checkingIn;
    if (!state) return;
    state.busy = true;
    this.render();
    try {
      const body = Object.fromEntries(checks.map((check) => [check, state.ticks.has(check)]));
      const updated = await this.api.post<AgendaEntry>(`/bookings/${entry.id}/check-in`, { ...body, ...(state.seatId && state.seatId !== entry.seatId ? { seatId: state.seatId } : {}) });
      const seat = this.site?.seats.find((s) => s.id === updated.seatId)?.label ?? updated.seatId;
      this.checkingIn = undefined;
      this.done = { id: entry.id, text: () => withData('console.checkIn.success', { name: entry.lawyerName, seat }) };
      await this.load();
    } catch (error) {
      state.busy = false;
      state.error = errorText(error, entry.timeZone);
      this.render();
    }
  }
}
