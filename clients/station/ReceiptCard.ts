import type { PrivacyReceipt } from '@huijian/signaling/protocol';
import { fetchPrivacyReceipt, renderPrivacyReceipt } from '../common/e2ee/PrivacyReceiptCard';
import { onLanguageChange, t } from '../common/i18n';
import { h } from '../common/ui/h';

/** How long the end screen waits for the server to seal the receipt. */
const FINAL_WITHIN_MS = 20_000;
const RETRY_MS = 2000;

/**
 * The meeting's privacy receipt on the seat's end screen (read with this terminal's device
 * credential): fetched again until the server has sealed it, drawn again on a language switch.
 */
export class ReceiptCard {
  readonly element = h('div', { class: 'receipt-slot' });
  private receipt: PrivacyReceipt | undefined;
  private failed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly offLanguage: () => void;

  constructor(
    private readonly meetingId: string,
    private readonly credential: string,
  ) {
    this.offLanguage = onLanguageChange(() => this.render());
    void this.load(Date.now() + FINAL_WITHIN_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.offLanguage();
  }

  private async load(deadline: number): Promise<void> {
    try {
      this.receipt = await fetchPrivacyReceipt(this.meetingId, this.credential);
      this.failed = false;
    } catch {
      this.failed = !this.receipt;
    }
    this.render();
    if (!this.receipt?.final && Date.now() < deadline) this.timer = setTimeout(() => void this.load(deadline), RETRY_MS);
  }

  private render(): void {
    if (this.receipt) this.element.replaceChildren(renderPrivacyReceipt(this.receipt));
    else if (this.failed) this.element.replaceChildren(h('section', { class: 'privacy-receipt', id: 'privacy-receipt' }, t('receipt.unavailable')));
  }
}
