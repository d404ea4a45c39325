import { t } from '../common/i18n';
import type { View } from '../common/ui/AppShell';
import { h, mount } from '../common/ui/h';

/** Ops staff watch stream health on the ops dashboard, not here. */
export class OpsNote implements View {
  readonly element = h('section', { id: 'ops-note' });

  render(): void {
    mount(this.element, h('h1', null, t('console.ops.title')), h('p', null, t('console.ops.body')), h('p', null, h('a', { href: '/ops/' }, t('console.ops.link'))));
  }
}
