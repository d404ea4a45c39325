import { formatDate, formatTime, onLanguageChange, t, type MessageKey } from '../i18n';
import { h } from './h';

/**
 * The top line of a terminal: what it is, where (the station or center, once known), the local
 * time in the center's zone, and whether the terminal is connected to the platform.
 */
export class TerminalHeader {
  readonly element: HTMLElement;
  private readonly title = h('span', { class: 'title' });
  private readonly place = h('span', { class: 'place', id: 'terminal-place', translate: 'no' });
  private readonly clock = h('time', { class: 'clock', id: 'clock' });
  private readonly online = h('span', { class: 'online', id: 'terminal-online', role: 'status', data: { online: 'false' } });
  private timeZone: string | undefined;
  private connected = false;

  constructor(
    private readonly titleKey: MessageKey,
    extra: Node[] = [],
  ) {
    this.element = h('header', { class: 'terminal-header' }, h('div', { class: 'where' }, this.title, this.place), this.online, this.clock, ...extra);
    // Where this terminal stands, as its last assignment said: the idle screen shows it too.
    const remembered = TerminalHeader.rememberedPlace();
    this.place.textContent = remembered.name ?? '';
    this.timeZone = remembered.timeZone;
    onLanguageChange(() => this.render());
    setInterval(() => this.renderClock(), 10_000);
    this.render();
  }

  setPlace(name: string, timeZone: string | undefined): void {
    this.place.textContent = name;
    if (timeZone) this.timeZone = timeZone;
    localStorage.setItem('terminalPlace', JSON.stringify({ name, timeZone: this.timeZone }));
    this.renderClock();
  }

  static rememberedPlace(): { name?: string; timeZone?: string } {
    try {
      const value = JSON.parse(localStorage.getItem('terminalPlace') ?? '{}') as { name?: unknown; timeZone?: unknown };
      return { ...(typeof value.name === 'string' ? { name: value.name } : {}), ...(typeof value.timeZone === 'string' ? { timeZone: value.timeZone } : {}) };
    } catch {
      return {};
    }
  }

  setOnline(online: boolean): void {
    this.connected = online;
    this.render();
  }

  private render(): void {
    this.title.textContent = t(this.titleKey);
    this.online.dataset.online = String(this.connected);
    this.online.textContent = this.connected ? t('terminal.online') : t('terminal.offline');
    this.renderClock();
  }

  private renderClock(): void {
    const now = Date.now();
    this.clock.textContent = `${formatDate(now, this.timeZone)} ${formatTime(now, this.timeZone)}`;
    this.clock.dateTime = new Date(now).toISOString();
  }
}
