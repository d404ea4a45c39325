import type { ApiClient } from '../api/ApiClient';
import { onLanguageChange, t, type MessageKey } from '../i18n';
import { h, mount } from './h';
import { languageSwitch } from './LanguageSwitch';

/** One screen of an app: it draws into its element and may poll while shown. */
export interface View {
  readonly element: HTMLElement;
  /** Draw (again): on show, after each data change and after a language switch. */
  render(): void;
  /** Shown: start loading and polling. */
  show?(): void;
  /** Hidden: stop polling. */
  hide?(): void;
}

export interface Route {
  /** Hash path, e.g. `#/bookings`. */
  path: string;
  label: MessageKey;
  view: (params: string[]) => View;
  /** Not in the navigation (detail pages). */
  hidden?: boolean;
  /** A pattern for paths with parameters: `#/bookings/(\w+)`. */
  pattern?: RegExp;
}

/**
 * The frame of the portal and the consoles: the app's name, the signed-in person, the language
 * button, sign-out, a navigation of the routes, and the current view. Hash routing; every view is
 * re-drawn after a language switch.
 */
export class AppShell {
  private current: View | undefined;
  private readonly main = h('main', { id: 'main', tabindex: '-1' });
  private readonly nav = h('nav', { class: 'app-nav' });
  private readonly header = h('header', { class: 'app-header' });
  private readonly skipLink = h('a', { class: 'skip-link', href: '#main' });

  constructor(
    private readonly api: ApiClient,
    private readonly appName: MessageKey,
    private readonly routes: Route[],
    private readonly root: HTMLElement = document.getElementById('app')!,
  ) {}

  start(): void {
    mount(this.root, this.skipLink, this.header, this.nav, this.main);
    window.addEventListener('hashchange', () => this.route());
    onLanguageChange(() => {
      this.renderFrame();
      this.current?.render();
    });
    this.renderFrame();
    this.route();
  }

  /** Go to a hash path. */
  go(path: string): void {
    if (location.hash === path) this.route();
    else location.hash = path;
  }

  private renderFrame(): void {
    const person = this.api.person;
    this.skipLink.textContent = t('app.skip');
    mount(
      this.header,
      h('span', { class: 'app-name' }, t(this.appName)),
      h('span', { class: 'spacer' }),
      person ? h('span', { class: 'person', id: 'person' }, h('span', { translate: 'no' }, person.displayName), ' · ', t(`role.${person.role}`)) : null,
      languageSwitch(),
      person ? h('button', { type: 'button', id: 'sign-out', on: { click: () => this.api.signOut() } }, t('app.signOut')) : null,
    );
    const active = this.match()?.route;
    this.nav.replaceChildren(
      ...this.routes
        .filter((r) => !r.hidden)
        .map((r) => h('a', { href: r.path, 'aria-current': r === active ? 'page' : undefined, id: `nav-${r.path.replace(/[^a-z]/g, '')}` }, t(r.label))),
    );
    document.title = `${active ? `${t(active.label)} · ` : ''}${t(this.appName)}`;
  }

  private match(): { route: Route; params: string[] } | undefined {
    const hash = location.hash || this.routes[0]!.path;
    for (const route of this.routes) {
      if (route.pattern) {
        const m = route.pattern.exec(hash);
        if (m) return { route, params: m.slice(1) };
      } else if (hash === route.path) {
        return { route, params: [] };
      }
    }
    return undefined;
  }

  private route(): void {
    const found = this.match() ?? { route: this.routes[0]!, params: [] };
    this.current?.hide?.();
    this.current = found.route.view(found.params);
    mount(this.main, this.current.element);
    this.renderFrame();
    this.current.render();
    this.current.show?.();
    this.main.focus({ preventScroll: true });
  }
}
