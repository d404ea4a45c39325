import type { ApiClient } from '../common/api/ApiClient';
import type { AvailableSlot, BookingPolicy, Center, Detainee, Station } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatLocalDate, formatTime, t } from '../common/i18n';
import type { View } from '../common/ui/AppShell';
import { field, input, notice, select } from '../common/ui/forms';
import { h, mount } from '../common/ui/h';
import { localDate } from '../common/localDate';


/**
 * Book a meeting: find the client at their detention center (exact name and case reference; no
 * browsing), then free slots by date and station, then book one. A slot lost to someone faster
 * comes back with the alternatives the server proposes.
 */
export class SlotFinder implements View {
  readonly element = h('section', { class: 'slot-finder', id: 'slot-finder', 'aria-labelledby': 'slot-finder-title' });
  private centers: Center[] = [];
  private stations: Station[] = [];
  private policies: { default: BookingPolicy; centers: Record<string, BookingPolicy> } | undefined;
  private centerId = '';
  private name = '';
  private caseReference = '';
  private client: Detainee | undefined;
  private stationId = '';
  private date = '';
  private slots: AvailableSlot[] | undefined;
  private message: { tone: 'bad' | 'warn' | 'info'; text: string } | undefined;
  private busy = false;

  constructor(
    private readonly api: ApiClient,
    private readonly onBooked: (bookingId: string) => void,
  ) {}

  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.centers, this.stations, this.policies] = await Promise.all([
        this.api.get<Center[]>('/centers'),
        this.api.get<Station[]>('/stations'),
        this.api.get<{ default: BookingPolicy; centers: Record<string, BookingPolicy> }>('/policies'),
      ]);
      this.centers = this.centers.filter((c) => c.active);
      this.stations = this.stations.filter((s) => s.active);
      this.centerId ||= this.centers[0]?.id ?? '';
    } catch (error) {
      this.message = { tone: 'bad', text: errorText(error) };
    }
    this.render();
  }

  private get timeZone(): string {
    return this.policies?.centers[this.centerId]?.timeZone ?? this.policies?.default.timeZone ?? 'Asia/Shanghai';
  }

  render(): void {
    const centerSelect = select(
      this.centers.map((c) => ({ value: c.id, label: c.name })),
      this.centerId,
      { id: 'center', name: 'center', translate: 'no', on: { change: (e: Event) => ((this.centerId = (e.target as HTMLSelectElement).value), (this.client = undefined), (this.slots = undefined), this.render()) } },
    );
    const nameInput = input({ id: 'client-name', value: this.name, required: true, autocomplete: 'off', on: { input: (e: Event) => (this.name = (e.target as HTMLInputElement).value) } });
    const caseInput = input({ id: 'case-reference', value: this.caseReference, required: true, autocomplete: 'off', on: { input: (e: Event) => (this.caseReference = (e.target as HTMLInputElement).value) } });
    const clientForm = h(
      'form',
      { class: 'card', id: 'client-form', on: { submit: (e: Event) => (e.preventDefault(), void this.findClient()) } },
      h('h2', null, t('portal.find.clientStep')),
      field(t('portal.find.center'), centerSelect),
      h('div', { class: 'row' }, field(t('portal.find.clientName'), nameInput), field(t('portal.find.caseReference'), caseInput, t('portal.find.caseHint'))),
      h('button', { type: 'submit', class: 'primary', id: 'find-client', disabled: this.busy }, t('portal.find.findClient')),
      this.client
        ? notice('ok', [t('portal.find.clientFound'), ' ', h('strong', { translate: 'no', id: 'client-found' }, this.client.name), ` · ${t(`stage.${this.client.procedureStage}`)}`])
        : null,
    );
    const parts: Node[] = [h('h1', { id: 'slot-finder-title' }, t('portal.find.title')), clientForm];
    if (this.client) parts.push(this.slotForm());
    if (this.message) parts.push(notice(this.message.tone, this.message.text, 'finder-message'));
    if (this.slots) parts.push(this.slotList(this.slots, t('portal.find.results')));
    mount(this.element, ...parts);
  }

  private slotForm(): HTMLElement {
    this.date ||= localDate(this.timeZone);
    const stationSelect = select(
      [{ value: '', label: t('portal.find.anyStation') }, ...this.stations.map((s) => ({ value: s.id, label: s.name }))],
      this.stationId,
      { id: 'station', translate: 'no', on: { change: (e: Event) => (this.stationId = (e.target as HTMLSelectElement).value) } },
    );
    const dateInput = input({ id: 'date', type: 'date', value: this.date, required: true, on: { change: (e: Event) => (this.date = (e.target as HTMLInputElement).value) } });
    return h(
      'form',
      { class: 'card', id: 'slot-form', on: { submit: (e: Event) => (e.preventDefault(), void this.search()) } },
      h('h2', null, t('portal.find.slotStep')),
      h('div', { class: 'row' }, field(t('portal.find.station'), stationSelect), field(t('portal.find.date'), dateInput, t('portal.find.dateHint'))),
      h('button', { type: 'submit', class: 'primary', id: 'find-slots', disabled: this.busy }, t('portal.find.search')),
    );
  }

  private slotList(slots: AvailableSlot[], caption: string): HTMLElement {
    if (slots.length === 0) return notice('info', t('portal.find.none'), 'no-slots');
    const byDate = new Map<string, AvailableSlot[]>();
    for (const slot of slots) byDate.set(slot.date, [...(byDate.get(slot.date) ?? []), slot]);
    const zone = this.timeZone;
    return h(
      'section',
      { class: 'slots', id: 'slots', 'aria-label': caption },
      ...[...byDate].map(([date, day]) =>
        h(
          'div',
          { class: 'slot-day' },
          h('h3', null, formatLocalDate(date)),
          h(
            'ul',
            { class: 'slot-list' },
            ...day.map((slot) =>
              h(
                'li',
                { class: 'slot', data: { startsAt: slot.startsAt, station: slot.stationId } },
                h('span', { class: 'slot-time' }, `${formatTime(slot.startsAt, zone)}–${formatTime(slot.endsAt, zone)}`),
                h('span', { class: 'slot-station', translate: 'no' }, slot.stationName),
                h('span', { class: 'slot-free muted' }, t('portal.find.free', { seats: slot.freeSeats })),
                h('button', { type: 'button', class: 'primary book', disabled: this.busy, on: { click: () => void this.book(slot) } }, t('portal.find.book')),
              ),
            ),
          ),
        ),
      ),
    );
  }

  private async findClient(): Promise<void> {
    this.message = undefined;
    this.client = undefined;
    this.slots = undefined;
    try {
      this.client = await this.api.get<Detainee>('/detainees/lookup', { centerId: this.centerId, name: this.name.trim(), caseReference: this.caseReference.trim() });
    } catch (error) {
      this.message = { tone: 'bad', text: (error as { code?: string }).code === 'NOT_FOUND' ? t('portal.find.noClient') : errorText(error) };
    }
    this.render();
  }

  private async search(): Promise<void> {
    if (!this.client) return;
    this.message = undefined;
    this.busy = true;
    this.render();
    try {
      this.slots = await this.api.get<AvailableSlot[]>('/slots', { detaineeId: this.client.id, stationId: this.stationId || undefined, date: this.date, days: 7, limit: 60 });
    } catch (error) {
      this.slots = undefined;
      this.message = { tone: 'bad', text: errorText(error) };
    }
    this.busy = false;
    this.render();
    document.getElementById('slots')?.querySelector<HTMLButtonElement>('button')?.focus();
  }

  private async book(slot: AvailableSlot): Promise<void> {
    if (!this.client) return;
    this.busy = true;
    this.message = undefined;
    this.render();
    try {
      const booking = await this.api.post<{ id: string }>('/bookings', { detaineeId: this.client.id, stationId: slot.stationId, startsAt: slot.startsAt });
      this.onBooked(booking.id);
      return;
    } catch (error) {
      this.message = { tone: 'bad', text: errorText(error, this.timeZone) };
      const alternatives = (error as { details?: { alternatives?: AvailableSlot[] } }).details?.alternatives;
      if (alternatives) this.slots = alternatives;
    }
    this.busy = false;
    this.render();
    document.getElementById('finder-message')?.scrollIntoView({ block: 'center' });
  }
}

