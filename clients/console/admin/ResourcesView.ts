import type { ApiClient } from '../../common/api/ApiClient';
import type { Booth, Center, Detainee, District, Lawyer, ProcedureStage, Seat, Station } from '../../common/api/types';
import { errorText } from '../../common/errorText';
import { t, type MessageKey } from '../../common/i18n';
import type { View } from '../../common/ui/AppShell';
import { field, formValues, input, notice, select, table } from '../../common/ui/forms';
import { h, mount } from '../../common/ui/h';

type Tab = 'stations' | 'centers' | 'lawyers' | 'detainees';
const stages: ProcedureStage[] = ['investigation', 'prosecution_review', 'trial', 'appeal', 'execution'];

interface FieldSpec {
  name: string;
  label: MessageKey;
  options?: { value: string; label: string }[];
  type?: string;
  pattern?: string;
  optional?: boolean;
}

/**
 * Resources: stations and their seats, detention centers and their booths, lawyers (and their
 * portal sign-in), detainees per center. Add, relabel by re-adding, take out of service; nothing
 * is ever deleted (history and statistics keep their references).
 */
export class ResourcesView implements View {
  readonly element = h('section', { id: 'resources', 'aria-labelledby': 'resources-title' });
  private tab: Tab = 'stations';
  private districts: District[] = [];
  private stations: (Station & { seats: Seat[] })[] = [];
  private centers: (Center & { booths: Booth[] })[] = [];
  private lawyers: Lawyer[] = [];
  private detainees: Detainee[] = [];
  private detaineeCenter = '';
  private message: { tone: 'ok' | 'bad'; text: string } | undefined;

  constructor(private readonly api: ApiClient) {}

  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [districts, stations, centers, lawyers] = await Promise.all([
        this.api.get<District[]>('/districts'),
        this.api.get<Station[]>('/stations'),
        this.api.get<Center[]>('/centers'),
        this.api.get<Lawyer[]>('/lawyers'),
      ]);
      this.districts = districts;
      this.lawyers = lawyers;
      this.stations = await Promise.all(stations.map((s) => this.api.get<Station & { seats: Seat[] }>(`/stations/${s.id}`)));
      this.centers = await Promise.all(centers.map((c) => this.api.get<Center & { booths: Booth[] }>(`/centers/${c.id}`)));
      this.detaineeCenter ||= this.centers[0]?.id ?? '';
      this.detainees = this.detaineeCenter ? await this.api.get<Detainee[]>('/detainees', { centerId: this.detaineeCenter }) : [];
    } catch (error) {
      this.message = { tone: 'bad', text: errorText(error) };
    }
    this.render();
  }

  render(): void {
    const tabs: [Tab, MessageKey][] = [
      ['stations', 'admin.resources.stations'],
      ['centers', 'admin.resources.centers'],
      ['lawyers', 'admin.resources.lawyers'],
      ['detainees', 'admin.resources.detainees'],
    ];
    const tabBar = h(
      'div',
      { class: 'tabs', role: 'tablist' },
      ...tabs.map(([tab, label]) =>
        h('button', { type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-selected': String(this.tab === tab), on: { click: () => ((this.tab = tab), (this.message = undefined), this.render()) } }, t(label)),
      ),
    );
    const body = this.tab === 'stations' ? this.stationsTab() : this.tab === 'centers' ? this.centersTab() : this.tab === 'lawyers' ? this.lawyersTab() : this.detaineesTab();
    mount(
      this.element,
      h('h1', { id: 'resources-title' }, t('admin.resources.title')),
      tabBar,
      this.message ? notice(this.message.tone, this.message.text, 'resources-message') : null,
      h('div', { role: 'tabpanel', 'aria-labelledby': `tab-${this.tab}` }, ...body),
    );
  }

  private activeToggle(path: string, active: boolean): HTMLButtonElement {
    return h(
      'button',
      { type: 'button', class: 'small', on: { click: () => void this.save('patch', path, { active: !active }) } },
      active ? t('admin.resources.retire') : t('admin.resources.restore'),
    );
  }

  private state(active: boolean): string {
    return active ? t('admin.resources.inService') : t('admin.resources.retired');
  }

  private districtOptions() {
    return this.districts.map((d) => ({ value: d.id, label: d.name }));
  }

  private stationsTab(): Node[] {
    const rows = this.stations.map((s) => [
      h('span', { translate: 'no' }, s.name),
      h('span', { translate: 'no' }, s.address),
      h('ul', { class: 'inline' }, ...s.seats.map((seat) => h('li', null, h('span', { translate: 'no' }, seat.label), ' ', h('span', { class: 'muted', translate: 'no' }, `(${seat.id})`), ' ', seat.active ? '' : `· ${t('admin.resources.retired')} `, this.activeToggle(`/seats/${seat.id}`, seat.active)))),
      this.state(s.active),
      this.activeToggle(`/stations/${s.id}`, s.active),
    ]);
    return [
      table(t('admin.resources.stations'), [t('admin.resources.name'), t('admin.resources.address'), t('admin.resources.seats'), t('admin.resources.state'), ''], rows, { id: 'stations-table' }),
      this.addForm('add-station', 'admin.resources.addStation', '/stations', [
        { name: 'id', label: 'admin.resources.id', pattern: '[a-z0-9][a-z0-9-]{0,47}' },
        { name: 'name', label: 'admin.resources.name' },
        { name: 'districtId', label: 'admin.resources.district', options: this.districtOptions() },
        { name: 'address', label: 'admin.resources.address' },
        { name: 'phone', label: 'admin.resources.phone', optional: true },
      ]),
      this.addForm('add-seat', 'admin.resources.addSeat', (v) => `/stations/${v.stationId}/seats`, [
        { name: 'stationId', label: 'admin.resources.station', options: this.stations.map((s) => ({ value: s.id, label: s.name })) },
        { name: 'id', label: 'admin.resources.seatId', pattern: '[a-z0-9][a-z0-9-]{0,47}' },
        { name: 'label', label: 'admin.resources.label' },
      ]),
    ];
  }

  private centersTab(): Node[] {
    const rows = this.centers.map((c) => [
      h('span', { translate: 'no' }, c.name),
      h('span', { translate: 'no' }, c.address),
      h('ul', { class: 'inline' }, ...c.booths.map((booth) => h('li', null, h('span', { translate: 'no' }, booth.label), ' ', h('span', { class: 'muted', translate: 'no' }, `(${booth.id})`), ' ', booth.active ? '' : `· ${t('admin.resources.retired')} `, this.activeToggle(`/booths/${booth.id}`, booth.active)))),
      this.state(c.active),
      this.activeToggle(`/centers/${c.id}`, c.active),
    ]);
    return [
      table(t('admin.resources.centers'), [t('admin.resources.name'), t('admin.resources.address'), t('admin.resources.booths'), t('admin.resources.state'), ''], rows, { id: 'centers-table' }),
      this.addForm('add-center', 'admin.resources.addCenter', '/centers', [
        { name: 'id', label: 'admin.resources.id', pattern: '[a-z0-9][a-z0-9-]{0,47}' },
        { name: 'name', label: 'admin.resources.name' },
        { name: 'districtId', label: 'admin.resources.district', options: this.districtOptions() },
        { name: 'address', label: 'admin.resources.address' },
        { name: 'phone', label: 'admin.resources.phone', optional: true },
      ]),
      this.addForm('add-booth', 'admin.resources.addBooth', (v) => `/centers/${v.centerId}/booths`, [
        { name: 'centerId', label: 'admin.resources.center', options: this.centers.map((c) => ({ value: c.id, label: c.name })) },
        { name: 'id', label: 'admin.resources.boothId', pattern: '[a-z0-9][a-z0-9-]{0,47}' },
        { name: 'label', label: 'admin.resources.label' },
      ]),
    ];
  }

  private lawyersTab(): Node[] {
    const rows = this.lawyers.map((l) => [h('span', { translate: 'no' }, l.name), h('span', { translate: 'no' }, l.firm), h('span', { translate: 'no' }, l.phone), t(l.locale === 'en' ? 'language.en' : 'language.zh-CN'), this.state(l.active), this.activeToggle(`/lawyers/${l.id}`, l.active)]);
    return [
      table(t('admin.resources.lawyers'), [t('admin.resources.name'), t('admin.resources.firm'), t('admin.resources.phone'), t('admin.resources.locale'), t('admin.resources.state'), ''], rows, { id: 'lawyers-table' }),
      this.addForm('add-lawyer', 'admin.resources.addLawyer', '/lawyers', [
        { name: 'id', label: 'admin.resources.id', pattern: '[a-z0-9][a-z0-9-]{0,47}' },
        { name: 'name', label: 'admin.resources.name' },
        { name: 'firm', label: 'admin.resources.firm' },
        { name: 'licenceNumber', label: 'admin.resources.licence', pattern: '[0-9A-Za-z]{6,32}' },
        { name: 'phone', label: 'admin.resources.phone', pattern: '\\+?[0-9]{6,20}' },
        { name: 'locale', label: 'admin.resources.locale', options: [{ value: 'zh-CN', label: t('language.zh-CN') }, { value: 'en', label: t('language.en') }] },
      ]),
      this.addForm('add-account', 'admin.resources.addAccount', (v) => `/lawyers/${v.lawyerId}/account`, [
        { name: 'lawyerId', label: 'admin.resources.lawyer', options: this.lawyers.map((l) => ({ value: l.id, label: l.name })) },
        { name: 'username', label: 'admin.resources.username', pattern: '[a-z0-9._-]{3,64}' },
        { name: 'password', label: 'admin.resources.password', type: 'password' },
      ]),
    ];
  }

  private detaineesTab(): Node[] {
    const centerSelect = select(
      this.centers.map((c) => ({ value: c.id, label: c.name })),
      this.detaineeCenter,
      { id: 'detainee-center', translate: 'no', on: { change: (e: Event) => ((this.detaineeCenter = (e.target as HTMLSelectElement).value), void this.load()) } },
    );
    const rows = this.detainees.map((d) => [
      h('span', { translate: 'no' }, d.name),
      h('span', { translate: 'no' }, d.caseReference ?? ''),
      t(`stage.${d.procedureStage}`),
      this.state(d.active ?? true),
      this.activeToggle(`/detainees/${d.id}`, d.active ?? true),
    ]);
    return [
      field(t('admin.resources.center'), centerSelect),
      table(t('admin.resources.detainees'), [t('admin.resources.name'), t('admin.resources.caseReference'), t('admin.resources.stage'), t('admin.resources.state'), ''], rows, { id: 'detainees-table' }),
      this.addForm('add-detainee', 'admin.resources.addDetainee', '/detainees', [
        { name: 'centerId', label: 'admin.resources.center', options: this.centers.map((c) => ({ value: c.id, label: c.name })) },
        { name: 'id', label: 'admin.resources.id', pattern: '[a-z0-9][a-z0-9-]{0,47}' },
        { name: 'name', label: 'admin.resources.name' },
        { name: 'caseReference', label: 'admin.resources.caseReference' },
        { name: 'charge', label: 'admin.resources.charge', optional: true },
        { name: 'procedureStage', label: 'admin.resources.stage', options: stages.map((s) => ({ value: s, label: t(`stage.${s}`) })) },
      ]),
    ];
  }

  private addForm(id: string, title: MessageKey, path: string | ((values: Record<string, string>) => string), fields: FieldSpec[]): HTMLElement {
    const controls = fields.map((spec) => {
      const control = spec.options
        ? select(spec.options, spec.options[0]?.value, { name: spec.name, id: `${id}-${spec.name}`, translate: 'no' })
        : input({ name: spec.name, id: `${id}-${spec.name}`, type: spec.type ?? 'text', required: !spec.optional, pattern: spec.pattern, autocomplete: 'off' });
      return field(t(spec.label), control);
    });
    return h(
      'details',
      { class: 'card add-form' },
      h('summary', null, t(title)),
      h(
        'form',
        {
          id,
          on: {
            submit: (event: Event) => {
              event.preventDefault();
              const values = formValues(event.target as HTMLFormElement);
              const target = typeof path === 'string' ? path : path(values);
              const body = Object.fromEntries(Object.entries(values).filter(([key, value]) => value !== '' && !['stationId', 'lawyerId'].includes(key) && !(key === 'centerId' && target.includes('/booths'))));
              void this.save('post', target, body);
            },
          },
        },
        h('div', { class: 'grid' }, ...controls),
        h('button', { type: 'submit', class: 'primary' }, t('app.add')),
      ),
    );
  }

  private async save(method: 'post' | 'patch', path: string, body: Record<string, unknown>): Promise<void> {
    try {
      await (method === 'post' ? this.api.post(path, body) : this.api.patch(path, body));
      this.message = { tone: 'ok', text: t('admin.resources.saved') };
      await this.load();
    } catch (error) {
      this.message = { tone: 'bad', text: errorText(error) };
      this.render();
    }
  }
}
