import { localizePage, onLanguageChange, t, type MessageKey } from './common/i18n';
import { h, mount } from './common/ui/h';
import { languageSwitch } from './common/ui/LanguageSwitch';

/** The home page: every screen of the platform, and who it is for. */
const screens: [string, MessageKey, MessageKey][] = [
  ['/portal/', 'index.portal', 'index.portalWho'],
  ['/console/', 'index.console', 'index.consoleWho'],
  ['/station/', 'index.station', 'index.stationWho'],
  ['/booth/', 'index.booth', 'index.boothWho'],
];

function render(): void {
  mount(
    document.getElementById('app')!,
    h('header', { class: 'app-header' }, h('span', { class: 'app-name' }, t('app.name')), h('span', { class: 'spacer' }), languageSwitch()),
    h(
      'main',
      { class: 'landing' },
      h('h1', null, t('index.heading')),
      h('p', { class: 'lead' }, t('index.intro')),
      h('ul', { class: 'screens' }, ...screens.map(([href, name, who]) => h('li', null, h('a', { href }, t(name)), h('p', { class: 'muted' }, t(who))))),
      h('p', { class: 'muted' }, t('index.privacy')),
    ),
  );
  document.title = t('app.name');
}

localizePage();
onLanguageChange(render);
render();
