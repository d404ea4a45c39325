import type { ApiClient } from '../../common/api/ApiClient';
import type { Statistics } from '@huijian/signaling/protocol';
import { errorText } from '../../common/errorText';
import { formatDayMonth, formatNumber, formatPercent, t } from '../../common/i18n';
import { localDate } from '../../common/localDate';
import type { View } from '../../common/ui/AppShell';
import { barChart } from '../../common/ui/BarChart';
import { field, input, notice } from '../../common/ui/forms';
import { h, mount } from '../../common/ui/h';

/**
 * Statistics for supervisors: meetings, no-shows, remote share, seat and booth use over a range of
 * dates, with charts per day, station and center, and the same figures as a CSV download.
 */
export class StatisticsView implements View {
  readonly element = h('section', { id: 'statistics', 'aria-labelledby': 'statistics-title' });
  private from = localDate('Asia/Shanghai', -29);
  private to = localDate('Asia/Shanghai', 0);
  private stats: Statistics | undefined;
  private error = '';

  constructor(private readonly api: ApiClient) {}

  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.stats = await this.api.get<Statistics>('/stats', { from: this.from, to: this.to });
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  render(): void {
    const from = input({ id: 'stats-from', type: 'date', value: this.from, on: { change: (e: Event) => (this.from = (e.target as HTMLInputElement).value) } });
    const to = input({ id: 'stats-to', type: 'date', value: this.to, on: { change: (e: Event) => (this.to = (e.target as HTMLInputElement).value) } });
    const parts: Node[] = [
      h('h1', { id: 'statistics-title' }, t('admin.stats.title')),
      h(
        'form',
        { class: 'row range', on: { submit: (e: Event) => (e.preventDefault(), void this.load()) } },
        field(t('admin.stats.from'), from),
        field(t('admin.stats.to'), to),
        h('button', { type: 'submit', class: 'primary', id: 'stats-show' }, t('admin.stats.show')),
        h('button', { type: 'button', id: 'stats-csv', on: { click: () => void this.download() } }, t('admin.stats.csv')),
      ),
    ];
    if (this.error) parts.push(notice('bad', this.error));
    const s = this.stats;
    if (s) {
      const rate = (value: number | null) => (value === null ? '–' : formatPercent(value));
      const cards: [string, string, string][] = [
        ['bookings', t('admin.stats.bookings'), formatNumber(s.totals.bookings)],
        ['meetings', t('admin.stats.meetings'), formatNumber(s.totals.meetings)],
        ['no-show-rate', t('admin.stats.noShowRate'), rate(s.totals.noShowRate)],
        ['remote-share', t('admin.stats.remoteShare'), rate(s.totals.remoteShare)],
        ['seat-use', t('admin.stats.seatUse'), rate(s.totals.seatUtilisation)],
        ['booth-use', t('admin.stats.boothUse'), rate(s.totals.boothUtilisation)],
        ['wait', t('admin.stats.wait'), s.totals.averageWaitHours === null ? '–' : t('admin.stats.hours', { hours: formatNumber(s.totals.averageWaitHours, 1) })],
      ];
      parts.push(
        h('div', { class: 'stat-cards' }, ...cards.map(([id, label, value]) => h('div', { class: 'stat-card', id: `stat-${id}` }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value)))),
        barChart({
          id: 'chart-days',
          title: t('admin.stats.perDay'),
          bars: s.byDay.map((d) => ({ label: formatDayMonth(d.date), value: d.meetings })),
        }),
        h(
          'div',
          { class: 'chart-row' },
          barChart({ id: 'chart-stations', title: t('admin.stats.perStation'), orientation: 'horizontal', bars: s.byStation.map((r) => ({ label: r.name, value: r.meetings })) }),
          barChart({
            id: 'chart-centers',
            title: t('admin.stats.boothUsePerCenter'),
            orientation: 'horizontal',
            bars: s.byCenter.map((r) => ({ label: r.name, value: r.utilisation ?? 0 })),
            format: (v) => formatPercent(v),
          }),
        ),
      );
    }
    mount(this.element, ...parts);
  }

  private async download(): Promise<void> {
    try {
      const csv = await this.api.text('/stats.csv', { from: this.from, to: this.to });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = h('a', { href: url, download: `huijian-${this.from}-${this.to}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.error = errorText(error);
      this.render();
    }
  }
}
