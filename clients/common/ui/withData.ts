import { t, type MessageKey, type MessageParams } from '../i18n';
import { h } from './h';

/**
 * A message whose placeholders are partly data (names, labels, replies): those go in as
 * `translate="no"` spans, so the page marks them as data, not as text in the page's language.
 */
export function withData(key: MessageKey, data: Record<string, string>, params: MessageParams = {}): (string | HTMLElement)[] {
  return t(key, params)
    .split(/(\{\w+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name !== undefined && name in data ? h('span', { translate: 'no' }, data[name]!) : part;
    });
}
