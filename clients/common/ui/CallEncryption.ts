import { createEncryptionBadge } from '../e2ee/EncryptionBadge';
import type { CodeToCompare, EncryptionState } from '../e2ee/EndToEndEncryption';
import { ShortCodePanel } from '../e2ee/ShortCodePanel';
import { onLanguageChange } from '../i18n';
import type { MeetingSession } from '../MeetingSession';

/**
 * A terminal's view of end-to-end encryption: the badge ("end-to-end encrypted", or a standing
 * warning), the short code to read aloud (with match / mismatch on the station), and the frame
 * counters on `body` for support staff and tests (numbers only). One per screen; it follows each
 * meeting's session in turn and stays after a refusal (the badge says why no meeting started).
 */
export class CallEncryption {
  private readonly badgeView = createEncryptionBadge();
  readonly codePanel: ShortCodePanel;
  private state: EncryptionState | undefined;
  private code: CodeToCompare | undefined;
  private session: MeetingSession | undefined;

  constructor(canConfirm: boolean) {
    this.codePanel = new ShortCodePanel({ canConfirm, onVerdict: (match) => this.session!.confirmCode(match) });
    onLanguageChange(() => {
      if (this.state) this.badgeView.show(this.state);
      if (this.code) this.codePanel.show(this.code);
    });
  }

  get badge(): HTMLElement {
    return this.badgeView.element;
  }

  /** Follow a new meeting's session (a fresh badge and code). */
  follow(session: MeetingSession): void {
    this.session = session;
    this.state = this.code = undefined;
    this.badgeView.element.hidden = true;
    this.codePanel.hide();
    for (const key of ['e2ee', 'framesSealed', 'framesOpened', 'framesRejected']) delete document.body.dataset[key];
    session.on('encryption', (state) => {
      if (this.session !== session) return;
      this.state = state;
      this.badgeView.show(state);
      document.body.dataset.e2ee = state;
    });
    session.on('shortCode', (code) => {
      if (this.session !== session) return;
      this.code = code;
      this.codePanel.show(code);
    });
    session.on('frameStats', (stats) => {
      if (this.session !== session) return;
      document.body.dataset.framesSealed = String(stats.sealed.audio + stats.sealed.video);
      document.body.dataset.framesOpened = String(stats.opened.audio + stats.opened.video);
      document.body.dataset.framesRejected = String(Object.values(stats.rejected).reduce((a, b) => a + b, 0));
    });
  }

  /** The meeting is over: the code is no longer needed. */
  hideCode(): void {
    this.code = undefined;
    this.codePanel.hide();
  }

  /** Whether the badge has something to say outside a call (a refusal: no encryption possible). */
  get warnsOutsideCall(): boolean {
    return this.state === 'unavailable' || this.state === 'failed';
  }
}
