import { language, t } from '../i18n';
import type { CodeToCompare } from './EndToEndEncryption';
import { shortCodeText } from './shortCode';

export interface ShortCodePanelOptions {
  /** The lawyer's screen has the two verdict buttons; the booth only shows the code. */
  canConfirm: boolean;
  onVerdict?: (match: boolean) => Promise<void>;
}

/**
 * The short code to read aloud: four large digits and three pictures with their names in the
 * screen's language. On the station, "match" / "differ" buttons; a mismatch ends the meeting.
 * `data-exchange` names the key exchange shown; `data-confirmed` is set once confirmed.
 */
export class ShortCodePanel {
  readonly element: HTMLElement;
  private readonly digits: HTMLElement;
  private readonly symbols: HTMLElement;
  private readonly note: HTMLElement;
  private readonly buttons: HTMLElement;

  constructor(private readonly options: ShortCodePanelOptions) {
    this.element = element('section', 'short-code');
    this.element.id = 'short-code';
    this.element.hidden = true;
    this.element.setAttribute('aria-live', 'polite');
    this.element.append(element('h2', 'short-code-title', t('code.title')));
    this.digits = element('div', 'short-code-digits');
    this.symbols = element('ol', 'short-code-symbols');
    this.note = element('p', 'short-code-note');
    this.buttons = element('div', 'short-code-buttons');
    this.element.append(this.digits, this.symbols, this.note, this.buttons);
    if (options.canConfirm) {
      const match = button('code-match', t('code.match'), 'ok');
      const differ = button('code-mismatch', t('code.mismatch'), 'bad');
      match.onclick = () => void this.verdict(true);
      differ.onclick = () => void this.verdict(false);
      this.buttons.append(match, differ);
    }
  }

  show({ exchangeId, code, confirmed }: CodeToCompare): void {
    const el = this.element;
    el.hidden = false;
    el.dataset.exchange = exchangeId;
    el.toggleAttribute('data-confirmed', confirmed);
    el.setAttribute('aria-label', `${t('code.title')}: ${shortCodeText(code, language)}`);
    this.digits.textContent = code.digits;
    this.symbols.replaceChildren(
      ...code.symbols.map((symbol) => {
        const item = element('li', 'short-code-symbol');
        item.append(element('span', 'emoji', symbol.emoji), element('span', 'name', language === 'en' ? symbol.en : symbol.zh));
        return item;
      }),
    );
    this.note.textContent = confirmed ? t('code.confirmed') : this.options.canConfirm ? t('code.compareLawyer') : t('code.compareBooth');
    this.buttons.hidden = confirmed || !this.options.canConfirm;
  }

  hide(): void {
    this.element.hidden = true;
  }

  private async verdict(match: boolean): Promise<void> {
    if (!this.options.onVerdict) return;
    const buttons = [...this.buttons.querySelectorAll('button')];
    for (const b of buttons) b.disabled = true;
    this.note.textContent = t('code.confirming');
    try {
      await this.options.onVerdict(match);
    } catch {
      this.note.textContent = t('code.failed');
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function button(id: string, text: string, tone: 'ok' | 'bad'): HTMLButtonElement {
  const el = document.createElement('button');
  el.id = id;
  el.type = 'button';
  el.dataset.tone = tone;
  el.textContent = text;
  return el;
}
