import type { Alert, DirectionHealth, FlowDirection, HealthReason, OpsMeeting, OpsNode, OpsPlaces, SeriesPoint } from '@huijian/signaling/protocol';
import { tr, type OpsMessageKey } from './messages';
import { sparkline } from './sparkline';

/** What the board shows; main.ts keeps it current from the feed. */
export interface BoardState {
  meetings: OpsMeeting[];
  nodes: OpsNode[];
  alerts: Alert[];
  history: Alert[];
  series: Map<string, SeriesPoint[]>;
  places: OpsPlaces;
}

export interface Filters {
  district: string;
  station: string;
  center: string;
}

type Child = Node | string;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') element.className = value;
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const hhmm = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const mbps = (bps: number) => `${(bps / 1e6).toFixed(2)} Mb/s`;

export function timeLeft(endsAt: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((endsAt - now) / 1000));
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, '0')}`;
}

export function reasonText(reason: HealthReason): string {
  const where = tr(`ops.where.${reason.where}` as OpsMessageKey);
  const v = reason.value;
  const value =
    v === undefined ? '' : reason.code === 'loss' || reason.code === 'audio_concealed' ? percent(v) : reason.code === 'freeze' ? (v / 1000).toFixed(1) : String(Math.round(v));
  return tr(`ops.reason.${reason.code}` as OpsMessageKey, { where, value });
}

function stateBadge(state: DirectionHealth['state']): HTMLElement {
  return h('span', { class: `state state-${state}` }, tr(`ops.state.${state}` as OpsMessageKey));
}

function directionCell(meeting: OpsMeeting, direction: FlowDirection, series: SeriesPoint[]): HTMLElement {
  const d = meeting.directions[direction];
  const bitrateIndex = direction === 'seat_to_booth' ? 1 : 3;
  const bitrates = series.map((p) => p[bitrateIndex]);
  const losses = series.map((p) => p[bitrateIndex + 1]);
  const figures = [mbps(d.bitrateBps), `${tr('ops.loss')} ${percent(Math.max(d.uplinkLoss, d.downlinkLoss))}`];
  if (d.rttMs !== undefined) figures.push(`RTT ${d.rttMs} ms`);
  const cell = h(
    'td',
    { class: `direction direction-${d.state}`, 'data-direction': direction },
    h('div', { class: 'direction-head' }, stateBadge(d.state), h('span', { class: 'figures' }, figures.join(' · '))),
  );
  if (d.received && d.received.height > 0) {
    cell.append(h('div', { class: 'received' }, tr('ops.received', { width: d.received.width, height: d.received.height, fps: Math.round(d.received.fps) })));
  }
  if (d.reasons.length > 0) cell.append(h('ul', { class: 'reasons' }, ...d.reasons.map((r) => h('li', { class: `reason reason-${r.state}` }, reasonText(r)))));
  cell.append(
    h(
      'div',
      { class: 'sparks' },
      sparkline(bitrates, { className: 'spark-bitrate', label: `${tr('ops.bitrate')} 5 min` }),
      sparkline(losses, { className: 'spark-loss', max: 0.1, label: `${tr('ops.loss')} 5 min` }),
    ),
  );
  return cell;
}

export function visibleMeetings(meetings: OpsMeeting[], filters: Filters): OpsMeeting[] {
  return meetings.filter(
    (m) =>
      (!filters.district || m.district?.id === filters.district) &&
      (!filters.station || m.station.id === filters.station) &&
      (!filters.center || m.center.id === filters.center),
  );
}

function alertPlace(alert: Alert, meetings: Map<string, OpsMeeting>): string {
  const meeting = alert.subject.meetingId ? meetings.get(alert.subject.meetingId) : undefined;
  const parts: string[] = [];
  if (meeting) parts.push(`${meeting.station.name} → ${meeting.center.name}`);
  if (alert.subject.direction) parts.push(tr(alert.subject.direction === 'seat_to_booth' ? 'ops.col.seatToBooth' : 'ops.col.boothToSeat'));
  if (!meeting && alert.subject.nodeId) parts.push(alert.subject.worker === undefined ? alert.subject.nodeId : `${alert.subject.nodeId} #${alert.subject.worker}`);
  return parts.join(' · ');
}

function alertValue(alert: Alert): string {
  if (alert.value === undefined) return '';
  if (alert.rule === 'loss') return percent(alert.value);
  if (alert.rule === 'rtt') return `${Math.round(alert.value)} ms`;
  if (alert.rule === 'freeze') return `${(alert.value / 1000).toFixed(1)} s`;
  if (alert.rule === 'worker_down') return `pid ${alert.value}`;
  return String(alert.value);
}

function alertRow(alert: Alert, meetings: Map<string, OpsMeeting>, withCleared: boolean): HTMLTableRowElement {
  const row = h(
    'tr',
    { class: `alert alert-${alert.severity}`, 'data-rule': alert.rule },
    h('td', {}, h('span', { class: `severity severity-${alert.severity}` }, tr(`ops.severity.${alert.severity}` as OpsMessageKey))),
    h('td', {}, tr(`ops.rule.${alert.rule}` as OpsMessageKey), ' ', h('span', { class: 'muted' }, alertValue(alert))),
    h('td', {}, alertPlace(alert, meetings)),
    h('td', {}, clock(alert.raisedAt)),
  );
  if (withCleared) row.append(h('td', {}, alert.clearedAt ? clock(alert.clearedAt) : '—'));
  return row;
}

function table(headers: OpsMessageKey[], rows: HTMLElement[], empty: OpsMessageKey, className: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, tr(empty));
  return h('table', { class: className }, h('thead', {}, h('tr', {}, ...headers.map((k) => h('th', { scope: 'col' }, tr(k))))), h('tbody', {}, ...rows));
}

function nodeRows(nodes: OpsNode[]): HTMLElement[] {
  return nodes.flatMap((node) => {
    const status = !node.alive ? 'down' : node.draining ? 'draining' : 'alive';
    const head = h(
      'tr',
      { class: `node node-${status}` },
      h('th', { scope: 'row' }, node.nodeId),
      h('td', {}, '—'),
      h('td', {}, String(node.meetings)),
      h('td', {}, `${Math.round(node.workers.reduce((a, w) => a + w.cpuRatio, 0) * 100)}%`),
      h('td', {}, `${Math.round(node.workers.reduce((a, w) => a + w.rssBytes, 0) / 2 ** 20)} MiB`),
      h('td', {}, h('span', { class: `node-status status-${status}` }, tr(`ops.node.${status}` as OpsMessageKey))),
    );
    const workers = node.workers.map((w) =>
      h(
        'tr',
        { class: 'worker' },
        h('td', {}, ''),
        h('td', {}, `#${w.index} · pid ${w.pid}`),
        h('td', {}, String(w.meetings)),
        h('td', {}, `${Math.round(w.cpuRatio * 100)}%`),
        h('td', {}, `${Math.round(w.rssBytes / 2 ** 20)} MiB`),
        h('td', {}, ''),
      ),
    );
    return [head, ...workers];
  });
}

/** The whole board for `state` under `filters`. */
export function renderBoard(state: BoardState, filters: Filters): HTMLElement {
  const meetings = visibleMeetings(state.meetings, filters);
  const byId = new Map(state.meetings.map((m) => [m.meetingId, m]));
  const shown = (a: Alert) => !a.subject.meetingId || !byId.has(a.subject.meetingId) || meetings.some((m) => m.meetingId === a.subject.meetingId);
  const meetingRows = meetings.map((m) =>
    h(
      'tr',
      { class: `meeting meeting-${m.state}`, 'data-meeting': m.meetingId },
      h('th', { scope: 'row' }, m.station.name),
      h('td', {}, m.center.name),
      h('td', {}, `${hhmm(m.slot.startsAt)}–${hhmm(m.slot.endsAt)}`),
      h('td', { class: 'time-left', 'data-ends': String(m.slot.endsAt) }, timeLeft(m.slot.endsAt)),
      directionCell(m, 'seat_to_booth', state.series.get(m.meetingId) ?? []),
      directionCell(m, 'booth_to_seat', state.series.get(m.meetingId) ?? []),
    ),
  );
  return h(
    'div',
    { class: 'board' },
    h(
      'section',
      { class: 'alerts', 'aria-labelledby': 'alerts-h' },
      h('h2', { id: 'alerts-h' }, tr('ops.alerts'), ' ', h('span', { class: 'count' }, String(state.alerts.filter(shown).length))),
      table(['ops.col.severity', 'ops.col.alert', 'ops.col.station', 'ops.col.raised'], state.alerts.filter(shown).map((a) => alertRow(a, byId, false)), 'ops.noAlerts', 'alert-table'),
    ),
    h(
      'section',
      { class: 'meetings', 'aria-labelledby': 'meetings-h' },
      h('h2', { id: 'meetings-h' }, tr('ops.meetings'), ' ', h('span', { class: 'count' }, String(meetings.length))),
      table(['ops.col.station', 'ops.col.center', 'ops.col.slot', 'ops.col.timeLeft', 'ops.col.seatToBooth', 'ops.col.boothToSeat'], meetingRows, 'ops.noMeetings', 'meeting-table'),
    ),
    h(
      'section',
      { class: 'nodes', 'aria-labelledby': 'nodes-h' },
      h('h2', { id: 'nodes-h' }, tr('ops.nodes')),
      table(['ops.col.node', 'ops.col.worker', 'ops.col.meetings', 'ops.col.cpu', 'ops.col.memory', 'ops.col.status'], nodeRows(state.nodes), 'ops.noMeetings', 'node-table'),
    ),
    h(
      'section',
      { class: 'history', 'aria-labelledby': 'history-h' },
      h('h2', { id: 'history-h' }, tr('ops.history')),
      table(['ops.col.severity', 'ops.col.alert', 'ops.col.station', 'ops.col.raised', 'ops.col.cleared'], state.history.filter(shown).slice(0, 50).map((a) => alertRow(a, byId, true)), 'ops.noHistory', 'history-table'),
    ),
  );
}

/** Filter selects for districts, stations and centers (stations and centers narrow to the chosen district). */
export function renderFilters(places: OpsPlaces, filters: Filters, onChange: (next: Filters) => void): HTMLElement {
  const select = (key: keyof Filters, label: OpsMessageKey, options: { id: string; name: string }[]) => {
    const element = h('select', { name: key, id: `filter-${key}` }, h('option', { value: '' }, tr('ops.filter.all')), ...options.map((o) => h('option', { value: o.id }, o.name)));
    element.value = filters[key];
    element.addEventListener('change', () => onChange({ ...filters, [key]: element.value }));
    return h('label', { class: 'filter' }, tr(label), element);
  };
  const inDistrict = <T extends { districtId: string }>(items: T[]) => (filters.district ? items.filter((i) => i.districtId === filters.district) : items);
  return h(
    'div',
    { class: 'filters', role: 'group' },
    select('district', 'ops.filter.district', places.districts),
    select('station', 'ops.filter.station', inDistrict(places.stations)),
    select('center', 'ops.filter.center', inDistrict(places.centers)),
  );
}
