export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (event: Event) => void;
export interface Props {
  class?: string | false | (string | false | undefined)[];
  data?: Record<string, string | number | undefined>;
  /** Event listeners: { click: … }. */
  on?: Record<string, Handler>;
  [attribute: string]: unknown;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Build an element: `h('button', { class: 'primary', on: { click } }, t('book'))`. Attributes are
 * set as attributes (booleans add or remove them); no inline style or script is ever written, so
 * every screen runs under the strict Content Security Policy.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      else if (name === 'data') for (const [key, v] of Object.entries(value as Record<string, unknown>)) { if (v !== undefined) element.dataset[key] = String(v); }
      else if (name === 'on') for (const [event, handler] of Object.entries(value as Record<string, Handler>)) element.addEventListener(event, handler);
      else if (name === 'value' && 'value' in element) (element as HTMLInputElement).value = String(value);
      else if (name === 'checked' && element instanceof HTMLInputElement) element.checked = Boolean(value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** An SVG element (charts). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

/** Replace everything inside `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}
