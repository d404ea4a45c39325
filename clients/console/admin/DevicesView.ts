import type { ApiClient } from '../../common/api/ApiClient';
import type { Booth, Center, RegisteredDevice, Seat, Station } from '../../common/api/types';
import { errorText } from '../../common/errorText';
import { formatDate, formatTime, t } from '../../common/i18n';
import type { View } from '../../common/ui/AppShell';
import { field, input, notice, select, table } from '../../common/ui/forms';
import { h, mount } from '../../common/ui/h';

interface Unit {
  id: string;
  kind: 'seat' | 'booth';
  label: string;
  siteId: string;
  siteName: string;
}

/**
 * Terminals: every registered seat terminal and booth kiosk with whether it is connected now;
 * provision one (its credential and set-up link are shown once, here only), rotate a
 * credential, revoke a device (it is locked out at once).
 */
export class DevicesView implements View {
  readonly element = h('section', { id: 'devices', 'aria-labelledby': 'devices-title' });
  private devices: RegisteredDevice[] = [];
  private units: Unit[] = [];
  private error = '';
  private issued: { deviceId: string; link: string } | undefined;
  private confirmingRevoke: string | undefined;
  private choice = '';
  private label = '';
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly api: ApiClient) {}

  show(): void {
    void this.load(true);
    this.timer = setInterval(() => void this.load(false), 10_000);
  }

  hide(): void {
    clearInterval(this.timer);
  }

  private async load(withUnits: boolean): Promise<void> {
    try {
      this.devices = (await this.api.get<{ devices: RegisteredDevice[] }>('/devices')).devices;
      if (withUnits) this.units = await this.loadUnits();
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  private async loadUnits(): Promise<Unit[]> {
    const [stations, centers] = await Promise.all([this.api.get<Station[]>('/stations'), this.api.get<Center[]>('/centers')]);
    const seats = await Promise.all(stations.map((s) => this.api.get<Station & { seats: Seat[] }>(`/stations/${s.id}`)));
    const booths = await Promise.all(centers.map((c) => this.api.get<Center & { booths: Booth[] }>(`/centers/${c.id}`)));
    return [
      ...seats.flatMap((s) => s.seats.map((seat): Unit => ({ id: seat.id, kind: 'seat', label: seat.label, siteId: s.id, siteName: s.name }))),
      ...booths.flatMap((c) => c.booths.map((booth): Unit => ({ id: booth.id, kind: 'booth', label: booth.label, siteId: c.id, siteName: c.name }))),
    ];
  }

  render(): void {
    const registered = new Set(this.devices.map((d) => d.deviceId));
    const free = this.units.filter((u) => !registered.has(u.id));
    const parts: Node[] = [h('h1', { id: 'devices-title' }, t('admin.devices.title')), h('p', { class: 'muted' }, t('admin.devices.intro'))];
    if (this.error) parts.push(notice('bad', this.error, 'devices-error'));
    if (this.issued) {
      parts.push(
        h(
          'section',
          { class: 'card issued', id: 'issued', role: 'alert' },
          h('h2', null, t('admin.devices.issuedTitle', { id: this.issued.deviceId })),
          h('p', null, t('admin.devices.issuedBody')),
          h('code', { id: 'provisioned-link', class: 'secret', translate: 'no' }, this.issued.link),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', id: 'copy-link', on: { click: () => void navigator.clipboard?.writeText(this.issued?.link ?? '').catch(() => undefined) } }, t('admin.devices.copy')),
            h('button', { type: 'button', on: { click: () => ((this.issued = undefined), this.render()) } }, t('admin.devices.done')),
          ),
        ),
      );
    }
    const unitSelect = select(
      [{ value: '', label: t('admin.devices.choose') }, ...free.map((u) => ({ value: `${u.kind}:${u.id}`, label: `${u.siteName} · ${u.label} (${u.id})` }))],
      this.choice,
      { id: 'provision-unit', translate: 'no', on: { change: (e: Event) => (this.choice = (e.target as HTMLSelectElement).value) } },
    );
    parts.push(
      h(
        'form',
        { class: 'card', id: 'provision-form', on: { submit: (e: Event) => (e.preventDefault(), void this.provision()) } },
        h('h2', null, t('admin.devices.provisionTitle')),
        free.length === 0 ? h('p', { class: 'muted' }, t('admin.devices.allRegistered')) : null,
        field(t('admin.devices.unit'), unitSelect),
        field(t('admin.devices.label'), input({ id: 'provision-label', value: this.label, maxlength: 100, on: { input: (e: Event) => (this.label = (e.target as HTMLInputElement).value) } }), t('admin.devices.labelHint')),
        h('button', { type: 'submit', class: 'primary', id: 'provision' }, t('admin.devices.provision')),
      ),
    );
    const rows = this.devices.map((device) => [
      h('span', { translate: 'no' }, device.deviceId),
      t(device.kind === 'seat' ? 'admin.devices.seat' : 'admin.devices.booth'),
      h('span', { translate: 'no' }, device.label),
      h('span', { class: ['dot', device.online ? 'on' : 'off'], data: { online: String(Boolean(device.online)) } }, device.online ? t('console.live.online') : t('console.live.offline')),
      device.revokedAt ? h('span', { class: 'badge status-cancelled' }, t('admin.devices.revoked')) : h('span', { class: 'badge status-checked_in' }, t('admin.devices.active')),
      `${formatDate(device.provisionedAt)} ${formatTime(device.provisionedAt)}`,
      h('div', { class: 'actions' }, ...this.actions(device)),
    ]);
    parts.push(
      table(
        t('admin.devices.registered', { count: this.devices.length }),
        [t('admin.devices.id'), t('admin.devices.kind'), t('admin.devices.label'), t('admin.devices.connection'), t('admin.devices.state'), t('admin.devices.provisionedAt'), ''],
        rows,
        { class: 'devices-table', id: 'devices-table' },
      ),
    );
    mount(this.element, ...parts);
  }

  private actions(device: RegisteredDevice): Node[] {
    if (this.confirmingRevoke === device.deviceId) {
      return [
        h('span', null, t('admin.devices.revokeSure')),
        h('button', { type: 'button', on: { click: () => ((this.confirmingRevoke = undefined), this.render()) } }, t('app.cancel')),
        h('button', { type: 'button', class: 'danger', id: `revoke-yes-${device.deviceId}`, on: { click: () => void this.revoke(device.deviceId) } }, t('admin.devices.revoke')),
      ];
    }
    return [
      h('button', { type: 'button', id: `rotate-${device.deviceId}`, on: { click: () => void this.rotate(device) } }, device.revokedAt ? t('admin.devices.reenable') : t('admin.devices.rotate')),
      device.revokedAt ? null : h('button', { type: 'button', class: 'danger', id: `revoke-${device.deviceId}`, on: { click: () => ((this.confirmingRevoke = device.deviceId), this.render()) } }, t('admin.devices.revoke')),
    ].filter((n): n is HTMLButtonElement => n !== null);
  }

  private linkFor(kind: 'seat' | 'booth', credential: string): string {
    return `${location.origin}/${kind === 'seat' ? 'station' : 'booth'}/#credential=${credential}`;
  }

  private async provision(): Promise<void> {
    const [kind, deviceId] = this.choice.split(':') as ['seat' | 'booth', string];
    if (!deviceId) {
      this.error = t('admin.devices.chooseFirst');
      this.render();
      return;
    }
    const unit = this.units.find((u) => u.id === deviceId);
    try {
      const { credential } = await this.api.post<{ credential: string }>('/devices', {
        deviceId,
        kind,
        label: this.label.trim() || (unit ? `${unit.siteName} ${unit.label}` : deviceId),
        ...(unit ? { siteId: unit.siteId } : {}),
      });
      this.issued = { deviceId, link: this.linkFor(kind, credential) };
      this.choice = '';
      this.label = '';
      await this.load(false);
    } catch (error) {
      this.error = errorText(error);
      this.render();
    }
  }

  private async rotate(device: RegisteredDevice): Promise<void> {
    try {
      const { credential } = await this.api.post<{ credential: string }>(`/devices/${device.deviceId}/credential`);
      this.issued = { deviceId: device.deviceId, link: this.linkFor(device.kind, credential) };
      await this.load(false);
    } catch (error) {
      this.error = errorText(error);
      this.render();
    }
  }

  private async revoke(deviceId: string): Promise<void> {
    this.confirmingRevoke = undefined;
    try {
      await this.api.post(`/devices/${deviceId}/revoke`);
      await this.load(false);
    } catch (error) {
      this.error = errorText(error);
      this.render();
    }
  }
}
