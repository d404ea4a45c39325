import { h, type Child } from './h';

let nextId = 0;
/** A fresh element id (labels need one to point at). */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled form field: the label points at the control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = uid('field');
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

export function select(options: { value: string; label: string }[], value: string | undefined, props: Record<string, unknown> = {}): HTMLSelectElement {
  return h('select', props, ...options.map((option) => h('option', { value: option.value, selected: option.value === value }, option.label)));
}

export function input(props: Record<string, unknown>): HTMLInputElement {
  return h('input', { type: 'text', ...props });
}

/** A message block; `alert` ones are announced at once. */
export function notice(tone: 'ok' | 'warn' | 'bad' | 'info', text: Child, id?: string): HTMLElement {
  return h('p', { class: `notice ${tone}`, role: tone === 'bad' ? 'alert' : 'status', id }, text);
}

/** A table with a caption (read by screen readers) and header cells. */
export function table(caption: Child, headers: string[], rows: Child[][], props: Record<string, unknown> = {}): HTMLTableElement {
  return h(
    'table',
    props,
    h('caption', null, caption),
    h('thead', null, h('tr', null, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((cell) => h('td', null, cell))))),
  );
}

/** Read a form's named controls as strings. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value;
  return values;
}
