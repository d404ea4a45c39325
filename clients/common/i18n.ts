import { en } from './messages/en';
import { zhCN, type MessageKey } from './messages/zh-CN';

export type { MessageKey };

/**
 * Every string on every screen comes from a message catalogue: zh-CN by default, English on
 * request (`?lang=en`, or the language button), remembered on this browser. Switching re-renders
 * the screen in place; nothing is ever shown in two languages at once.
 */
const catalogues = { 'zh-CN': zhCN, en } as const;

export type Language = keyof typeof catalogues;
export const languages: readonly Language[] = ['zh-CN', 'en'];

function pickLanguage(): Language {
  const requested = new URLSearchParams(location.search).get('lang');
  if (requested === 'en' || requested === 'zh-CN') localStorage.setItem('lang', requested);
  return localStorage.getItem('lang') === 'en' ? 'en' : 'zh-CN';
}

/** The language in force (a live binding: it changes with setLanguage). */
export let language: Language = pickLanguage();

const listeners = new Set<() => void>();

/** Switch every screen of this browser to `next`, now and on later visits. */
export function setLanguage(next: Language): void {
  if (next === language) return;
  language = next;
  localStorage.setItem('lang', next);
  localizePage();
  for (const listener of [...listeners]) listener();
}

/** Run `listener` after each language switch (to re-render what code wrote); returns the unsubscribe. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type MessageParams = Record<string, string | number>;

/** The message for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: MessageParams): string {
  const template: string = catalogues[language][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Is `key` a message of the catalogue? (for keys built from codes the server sends) */
export function hasMessage(key: string): key is MessageKey {
  return key in catalogues[language];
}

/** Fill every element carrying data-i18n (text) or data-i18n-label / -title / -placeholder (attributes). */
export function localizePage(root: ParentNode = document): void {
  document.documentElement.lang = language;
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n as MessageKey);
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel as MessageKey));
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) element.title = t(element.dataset.i18nTitle as MessageKey);
  for (const element of root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) element.placeholder = t(element.dataset.i18nPlaceholder as MessageKey);
}

const locale = () => (language === 'zh-CN' ? 'zh-CN' : 'en-GB');

/** 09:30, in `timeZone` (the detention center's). */
export function formatTime(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).format(epochMs);
}

/** 12月9日 周三 / Wed 9 Dec (with the year: 2026年12月9日 周三 / Wed 9 Dec 2026), in `timeZone`. */
export function formatDate(epochMs: number, timeZone?: string, withYear = false): string {
  const parts = new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: language === 'zh-CN' ? 'numeric' : 'short',
    year: 'numeric',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  if (language === 'zh-CN') return `${withYear ? `${part('year')}年` : ''}${part('month')}月${part('day')}日 ${part('weekday')}`;
  return `${part('weekday')} ${part('day')} ${part('month')}${withYear ? ` ${part('year')}` : ''}`;
}

/** A local date string YYYY-MM-DD (as the API takes it) shown as a date, read in the given zone. */
export function formatLocalDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return formatDate(Date.UTC(y, m - 1, d, 12), 'UTC');
}

/** 12/9 / 9 Dec: a local date (YYYY-MM-DD) as day and month only (chart axes). */
export function formatDayMonth(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: language === 'zh-CN' ? 'numeric' : 'short', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d, 12));
}

/** 09:00–10:00 on 12月9日 周三, in the center's zone. */
export function formatSlot(startsAt: number, endsAt: number, timeZone?: string): string {
  return t('time.slot', { date: formatDate(startsAt, timeZone), start: formatTime(startsAt, timeZone), end: formatTime(endsAt, timeZone) });
}

/** 4:05 or 1:02:05 (a countdown). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours > 0 ? String(minutes).padStart(2, '0') : String(minutes);
  return `${hours > 0 ? `${hours}:` : ''}${mm}:${String(seconds).padStart(2, '0')}`;
}

/** "in 5 min" / "5 分钟后" style, rounded up to whole minutes. */
export function formatMinutesFromNow(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes >= 120) return t('time.inHours', { hours: Math.round(minutes / 60) });
  return t('time.inMinutes', { minutes });
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: fractionDigits, minimumFractionDigits: fractionDigits }).format(value);
}

export function formatPercent(ratio: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}
