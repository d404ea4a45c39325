import type { ApiClient } from '../../common/api/ApiClient';
import type { BookingPolicy, Center } from '../../common/api/types';
import { errorText } from '../../common/errorText';
import { formatLocalDate, t } from '../../common/i18n';
import type { View } from '../../common/ui/AppShell';
import { notice, table } from '../../common/ui/forms';
import { h, mount, type Child } from '../../common/ui/h';

/** The booking rules in force: the default and each detention center's own, in plain words. */
export class RulesView implements View {
  readonly element = h('section', { id: 'rules', 'aria-labelledby': 'rules-title' });
  private policies: { default: BookingPolicy; centers: Record<string, BookingPolicy> } | undefined;
  private centers: Center[] = [];
  private error = '';

  constructor(private readonly api: ApiClient) {}

  show(): void {
    void (async () => {
      try {
        [this.policies, this.centers] = await Promise.all([this.api.get<{ default: BookingPolicy; centers: Record<string, BookingPolicy> }>('/policies'), this.api.get<Center[]>('/centers')]);
      } catch (error) {
        this.error = errorText(error);
      }
      this.render();
    })();
  }

  render(): void {
    const parts: Node[] = [h('h1', { id: 'rules-title' }, t('admin.rules.title')), h('p', { class: 'muted' }, t('admin.rules.intro'))];
    if (this.error) parts.push(notice('bad', this.error));
    if (this.policies) {
      parts.push(this.policyTable(t('admin.rules.default'), this.policies.default, 'rules-default'));
      for (const center of this.centers) {
        const policy = this.policies.centers[center.id];
        if (policy) parts.push(this.policyTable(h('span', { translate: 'no' }, center.name), policy, `rules-${center.id}`));
      }
    }
    mount(this.element, ...parts);
  }

  private policyTable(caption: Node | string, p: BookingPolicy, id: string): HTMLElement {
    const weekdays = p.workingWeekdays.map((d) => t(`weekday.${d as 1 | 2 | 3 | 4 | 5 | 6 | 7}`)).join(' ');
    const rows: [string, Child][] = [
      // An IANA zone name is data, not text in the page's language.
      [t('admin.rules.timeZone'), h('code', { translate: 'no' }, p.timeZone)],
      [t('admin.rules.slots'), t('admin.rules.slotsValue', { times: p.slotTimes.join(' '), minutes: p.slotMinutes })],
      [t('admin.rules.workingDays'), weekdays],
      [t('admin.rules.ahead'), t('admin.rules.aheadValue', { min: p.minWorkingDaysAhead, max: p.horizonDays })],
      [t('admin.rules.limits'), t('admin.rules.limitsValue', { run: p.maxConsecutiveMinutes, day: p.maxMinutesPerDay })],
      [t('admin.rules.arrive'), t('admin.rules.minutesBefore', { minutes: p.arriveEarlyMinutes })],
      [t('admin.rules.checkIn'), t('admin.rules.minutesBefore', { minutes: p.checkInOpensMinutesBefore })],
      [t('admin.rules.late'), t('admin.rules.minutesAfter', { minutes: p.lateVoidMinutes })],
      [t('admin.rules.cancel'), t('admin.rules.hoursBefore', { hours: p.cancelMinHoursAhead })],
      [t('admin.rules.noShows'), t('admin.rules.noShowsValue', { count: p.noShowLimit, days: p.noShowWindowDays })],
      [t('admin.rules.reminder'), t('admin.rules.hoursBefore', { hours: p.reminderHoursBefore })],
      [t('admin.rules.holidays'), p.holidays.length ? p.holidays.map(formatLocalDate).join(t('app.listSeparator')) : t('admin.rules.none')],
    ];
    return h('div', { class: 'card', id }, table(caption, [t('admin.rules.rule'), t('admin.rules.value')], rows.map(([name, value]) => [name, value]), { class: 'rules-table' }));
  }
}
