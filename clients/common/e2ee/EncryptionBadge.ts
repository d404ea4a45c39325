import { t } from '../i18n';
import type { EncryptionState } from './EndToEndEncryption';

const tones: Record<EncryptionState, 'ok' | 'warn' | 'bad'> = {
  active: 'ok',
  negotiating: 'warn',
  off: 'bad',
  unavailable: 'bad',
  failed: 'bad',
};

/**
 * The encryption indicator for a call screen's header: "end-to-end encrypted" when every frame
 * is, a standing warning when the center's policy turned it off. `data-state` carries the state.
 */
export function createEncryptionBadge(): { element: HTMLElement; show(state: EncryptionState): void } {
  const element = document.createElement('span');
  element.id = 'e2ee-badge';
  element.className = 'e2ee-badge';
  element.setAttribute('role', 'status');
  element.hidden = true;
  return {
    element,
    show(state) {
      element.hidden = false;
      element.dataset.state = state;
      element.dataset.tone = tones[state];
      element.textContent = t(`e2ee.${state}`);
    },
  };
}
