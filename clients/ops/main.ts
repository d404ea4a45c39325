import { OPS_NAMESPACE, PROTOCOL_VERSION, type Alert, type ErrorBody, type OpsPicture, type OpsServerEvents, type OpsSnapshot } from '@huijian/signaling/protocol';
import { io, type Socket } from 'socket.io-client';
import { language, setLanguage, tr } from './messages';
import { renderBoard, renderFilters, timeLeft, type BoardState, type Filters } from './OpsBoard';

/**
 * The ops dashboard: sign in (ops role), then the `/ops` feed. It receives numbers, states and
 * names only; it has no way to media (no transport, no consumer, no media element).
 */
const sessionKey = 'huijian.ops.session';
const seriesMs = 5 * 60_000;
const root = document.getElementById('app')!;
const status = document.getElementById('status')!;
let filters: Filters = { district: '', station: '', center: '' };
let state: BoardState | undefined;
let pushSeconds = 2;
let socket: Socket<OpsServerEvents, Record<string, never>> | undefined;

function setStatus(text: string, kind: 'ok' | 'warn' | 'error'): void {
  status.textContent = text;
  status.className = `status status-${kind}`;
}

function render(): void {
  document.title = tr('ops.title');
  document.getElementById('title')!.textContent = tr('ops.title');
  document.getElementById('sign-out')!.textContent = tr('ops.signOut');
  const lang = document.getElementById('lang') as HTMLButtonElement;
  lang.textContent = language === 'en' ? '中文' : 'English';
  if (!state) return;
  const filterBar = document.getElementById('filters')!;
  filterBar.replaceChildren(
    renderFilters(state.places, filters, (next) => {
      filters = next.district !== filters.district ? { district: next.district, station: '', center: '' } : next;
      render();
    }),
  );
  root.replaceChildren(renderBoard(state, filters));
}

function onSnapshot(snapshot: OpsSnapshot): void {
  pushSeconds = snapshot.pushIntervalMs / 1000;
  state = {
    meetings: snapshot.meetings,
    nodes: snapshot.nodes,
    alerts: snapshot.alerts,
    history: snapshot.history,
    series: new Map(Object.entries(snapshot.series)),
    places: snapshot.places,
  };
  setStatus(tr('ops.live', { seconds: pushSeconds }), 'ok');
  render();
}

function onPicture(picture: OpsPicture): void {
  if (!state) return;
  for (const m of picture.meetings) {
    const points = state.series.get(m.meetingId) ?? [];
    const s2b = m.directions.seat_to_booth;
    const b2s = m.directions.booth_to_seat;
    points.push([picture.at, s2b.bitrateBps, Math.max(s2b.uplinkLoss, s2b.downlinkLoss), b2s.bitrateBps, Math.max(b2s.uplinkLoss, b2s.downlinkLoss)]);
    while (points.length > 0 && picture.at - points[0]![0] > seriesMs) points.shift();
    state.series.set(m.meetingId, points);
  }
  const live = new Set(picture.meetings.map((m) => m.meetingId));
  for (const id of state.series.keys()) if (!live.has(id)) state.series.delete(id);
  Object.assign(state, { meetings: picture.meetings, nodes: picture.nodes, alerts: picture.alerts });
  render();
}

function onAlert(alert: Alert): void {
  if (!state) return;
  state.history = [alert, ...state.history].slice(0, 500);
  render();
}

function connect(session: string): void {
  setStatus(tr('ops.connecting'), 'warn');
  socket = io(`${location.origin}${OPS_NAMESPACE}`, { auth: { protocol: PROTOCOL_VERSION, session }, transports: ['websocket'] });
  socket.on('snapshot', onSnapshot);
  socket.on('picture', onPicture);
  socket.on('alert', onAlert);
  socket.on('disconnect', () => setStatus(tr('ops.disconnected'), 'warn'));
  socket.on('connect_error', (error: Error & { data?: ErrorBody }) => {
    const code = error.data?.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
      socket?.close();
      sessionStorage.removeItem(sessionKey);
      showSignIn(code === 'FORBIDDEN' ? tr('ops.notOps') : undefined);
    } else setStatus(tr('ops.disconnected'), 'warn');
  });
}

function showSignIn(problem?: string): void {
  state = undefined;
  document.getElementById('filters')!.replaceChildren();
  setStatus('', 'ok');
  const form = document.createElement('form');
  form.className = 'sign-in';
  const heading = document.createElement('h2');
  heading.textContent = tr('ops.signIn');
  const field = (name: string, label: string, type: string) => {
    const input = document.createElement('input');
    Object.assign(input, { name, type, required: true, autocomplete: type === 'password' ? 'current-password' : 'username' });
    const wrap = document.createElement('label');
    wrap.append(label, input);
    return wrap;
  };
  const message = document.createElement('p');
  message.className = 'problem';
  message.setAttribute('role', 'alert');
  message.textContent = problem ?? '';
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = tr('ops.signInButton');
  form.append(heading, field('username', tr('ops.username'), 'text'), field('password', tr('ops.password'), 'password'), message, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    button.disabled = true;
    fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: data.get('username'), password: data.get('password') }) })
      .then(async (response) => {
        const body = (await response.json()) as { token?: string; person?: { role: string } };
        if (!response.ok || !body.token) throw new Error(tr('ops.wrongPassword'));
        if (body.person?.role !== 'ops') throw new Error(tr('ops.notOps'));
        sessionStorage.setItem(sessionKey, body.token);
        root.replaceChildren();
        connect(body.token);
      })
      .catch((error: Error) => {
        message.textContent = error.message;
        button.disabled = false;
      });
  });
  root.replaceChildren(form);
}

document.getElementById('lang')!.addEventListener('click', () => {
  setLanguage(language === 'en' ? 'zh-CN' : 'en');
  if (state) setStatus(tr('ops.live', { seconds: pushSeconds }), 'ok');
  render();
  if (!state && !socket?.connected) showSignIn();
});
document.getElementById('sign-out')!.addEventListener('click', () => {
  socket?.close();
  sessionStorage.removeItem(sessionKey);
  showSignIn();
});
// The time left counts down between pushes.
setInterval(() => {
  for (const cell of document.querySelectorAll<HTMLElement>('.time-left')) cell.textContent = timeLeft(Number(cell.dataset.ends));
}, 1000);

document.documentElement.lang = language;
render();
const session = sessionStorage.getItem(sessionKey);
if (session) connect(session);
else showSignIn();
