import { h, svg } from './h';

export interface Bar {
  label: string;
  value: number;
}

/**
 * A small SVG bar chart (no library, no inline style): vertical bars for a series over time or
 * horizontal bars for a ranking. The figures are also in a table for screen readers.
 */
export function barChart(options: { title: string; bars: Bar[]; orientation?: 'vertical' | 'horizontal'; format?: (value: number) => string; id?: string }): HTMLElement {
  const { title, bars, orientation = 'vertical', format = (v) => String(v) } = options;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const figure = h('figure', { class: ['chart', orientation], id: options.id });
  let chart: SVGSVGElement;
  if (orientation === 'vertical') {
    const width = Math.max(320, bars.length * 28 + 40);
    const height = 180;
    const plotHeight = 140;
    const barWidth = Math.max(6, (width - 40) / Math.max(1, bars.length) - 6);
    chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart-svg', translate: 'no' });
    chart.append(svg('line', { x1: 30, y1: plotHeight + 5, x2: width - 5, y2: plotHeight + 5, class: 'axis' }));
    chart.append(svg('text', { x: 26, y: 12, class: 'tick', 'text-anchor': 'end' }, format(max)));
    chart.append(svg('text', { x: 26, y: plotHeight + 5, class: 'tick', 'text-anchor': 'end' }, '0'));
    bars.forEach((bar, index) => {
      const x = 36 + index * (barWidth + 6);
      const barHeight = (bar.value / max) * (plotHeight - 10);
      const rect = svg('rect', { x, y: plotHeight + 5 - barHeight, width: barWidth, height: Math.max(0, barHeight), class: 'bar', rx: 2 });
      rect.append(svg('title', {}, `${bar.label}: ${format(bar.value)}`));
      chart.append(rect);
      if (bars.length <= 16 || index % Math.ceil(bars.length / 16) === 0) {
        chart.append(svg('text', { x: x + barWidth / 2, y: height - 8, class: 'tick', 'text-anchor': 'middle' }, bar.label));
      }
    });
  } else {
    const rowHeight = 26;
    const width = 400;
    const labelWidth = 150;
    const height = bars.length * rowHeight + 10;
    chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart-svg', translate: 'no' });
    bars.forEach((bar, index) => {
      const y = 5 + index * rowHeight;
      const barWidth = ((width - labelWidth - 60) * bar.value) / max;
      chart.append(svg('text', { x: labelWidth - 8, y: y + 16, class: 'tick', 'text-anchor': 'end' }, bar.label));
      const rect = svg('rect', { x: labelWidth, y: y + 4, width: Math.max(0, barWidth), height: rowHeight - 10, class: 'bar', rx: 2 });
      rect.append(svg('title', {}, `${bar.label}: ${format(bar.value)}`));
      chart.append(rect);
      chart.append(svg('text', { x: labelWidth + barWidth + 6, y: y + 16, class: 'value' }, format(bar.value)));
    });
  }
  const data = h(
    'table',
    { class: 'visually-hidden', translate: 'no' },
    h('caption', null, title),
    h('tbody', null, ...bars.map((bar) => h('tr', null, h('th', { scope: 'row' }, bar.label), h('td', null, format(bar.value))))),
  );
  figure.append(h('figcaption', null, title), chart, data);
  return figure;
}
