import { language, setLanguage } from '../i18n';
import { h } from './h';

/**
 * The button that switches the screen's language. Its label names the other language in that
 * language (as language pickers do), marked with its own `lang`.
 */
export function languageSwitch(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'language-switch', id: 'language-switch' });
  const render = () => {
    const other = language === 'zh-CN' ? 'en' : 'zh-CN';
    button.textContent = other === 'en' ? 'English' : '中文';
    button.lang = other;
    button.dataset.target = other;
  };
  button.addEventListener('click', () => {
    setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN');
    render();
  });
  render();
  return button;
}
