import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry } from '../common/api/types';
import { errorText } from '../common/errorText';
import type { View } from '../common/ui/AppShell';
import { LiveUnits } from './LiveUnits';
import { todaysEntries } from './todaysEntries';

/**
 * An officer's desk over today's bookings at one site (a police station or a detention center):
 * the site and today's entries, reloaded every 10 s while the desk is shown, next to the site's
 * live terminals. The desk itself says how to render them.
 */
export abstract class TodaysDesk<Site> implements View {
  abstract readonly element: HTMLElement;
  protected readonly live: LiveUnits;
  protected site: Site | undefined;
  protected entries: AgendaEntry[] | undefined;
  protected error = '';
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    protected readonly api: ApiClient,
    private readonly sitePath: string,
    scope: { stationId: string } | { centerId: string },
  ) {
    this.live = new LiveUnits(api, scope, () => this.entries?.[0]?.timeZone);
  }

  show(): void {
    void this.load();
    this.live.start();
    this.timer = setInterval(() => void this.load(), 10_000);
  }

  hide(): void {
    clearInterval(this.timer);
    this.live.stop();
  }

  protected async load(): Promise<void> {
    try {
      const [site, entries] = await Promise.all([this.site ?? this.api.get<Site>(this.sitePath), todaysEntries(this.api)]);
      this.site = site;
      this.entries = entries;
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  abstract render(): void;
}
