import type { DeviceAssignment } from '@huijian/signaling/protocol';
import { takeDeviceCredential } from '../common/deviceCredential';
import { errorText } from '../common/errorText';
import { formatTime, onLanguageChange, t } from '../common/i18n';
import { openLocalTracks, type MediaFailure } from '../common/media/LocalMedia';
import type { MeetingSession } from '../common/MeetingSession';
import { MeetingTerminal } from '../common/MeetingTerminal';
import { QualityMonitor } from '../common/QualityMonitor';
import { CallEncryption } from '../common/ui/CallEncryption';
import { CallStage } from '../common/ui/CallStage';
import { Countdown, SlotWarningBanner } from '../common/ui/Countdown';
import { followCall } from '../common/ui/followCall';
import { h, mount } from '../common/ui/h';
import { mediaFailureText } from '../common/ui/mediaFailureText';
import { QualityIndicator } from '../common/ui/QualityIndicator';
import { TerminalHeader } from '../common/ui/TerminalHeader';

/** After the end, the kiosk returns to its idle screen by itself. */
const END_SCREEN_MS = 60_000;
/** A camera or microphone that failed is tried again this often (staff may have fixed it). */
const MEDIA_RETRY_MS = 10_000;

/**
 * The detainee's screen in the booth: nothing to operate. It shows the center's idle screen,
 * joins by itself when the meeting opens, shows the lawyer large with the lawyer's name, the time
 * left and the connection quality in large type, and leaves by itself at the end. A failed camera
 * or microphone is reported to staff on screen. No control can record, save or share anything.
 */
export class KioskScreen {
  private readonly root = document.getElementById('app')!;
  private readonly header = new TerminalHeader('booth.title');
  private readonly encryption = new CallEncryption(false);
  private terminal: MeetingTerminal | undefined;
  private local: { camera?: MediaStreamTrack; microphone?: MediaStreamTrack } = {};
  private failures: MediaFailure[] = [];
  private call: KioskCall | undefined;
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
    lockDown();
    onLanguageChange(() => this.render());
    const credential = takeDeviceCredential();
    if (!credential) {
      this.message(t('terminal.unregistered'));
      return;
    }
    const terminal = new MeetingTerminal({ credential, openMedia: () => this.openMedia() });
    this.terminal = terminal;
    terminal.on('online', (online) => this.header.setOnline(online));
    terminal.on('phase', () => this.render());
    terminal.start();
    this.render();
  }

  private async openMedia(): Promise<{ camera?: MediaStreamTrack; microphone?: MediaStreamTrack }> {
    const tracks = await openLocalTracks();
    this.local = { ...(tracks.camera ? { camera: tracks.camera } : {}), ...(tracks.microphone ? { microphone: tracks.microphone } : {}) };
    this.failures = tracks.failures;
    if (this.failures.length > 0) this.scheduleMediaRetry();
    return this.local;
  }

  /** Try a failed camera or microphone again; once it works, send it. */
  private scheduleMediaRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(async () => {
      const state = this.terminal?.state;
      if (state?.phase !== 'meeting') return;
      const tracks = await openLocalTracks();
      for (const device of ['camera', 'microphone'] as const) {
        const track = tracks[device];
        if (track && !this.local[device]) {
          this.local[device] = track;
          await state.session.setMedia(device, track);
        } else {
          track?.stop();
        }
      }
      this.failures = tracks.failures.filter((f) => !this.local[f.device]);
      this.call?.showFailures(this.failures);
      if (this.failures.length > 0) this.scheduleMediaRetry();
    }, MEDIA_RETRY_MS);
  }

  private releaseMedia(): void {
    clearTimeout(this.retryTimer);
    for (const track of Object.values(this.local)) track.stop();
    this.local = {};
    this.failures = [];
  }

  private render(): void {
    const state = this.terminal?.state;
    if (!state) return;
    document.body.dataset.phase = state.phase;
    if (state.phase === 'meeting') document.body.dataset.meeting = state.assignment.meetingId;
    if (state.phase !== 'idle' && state.assignment) this.header.setPlace(state.assignment.centerName, state.assignment.timeZone);
    if (state.phase !== 'meeting') {
      this.call?.dispose();
      this.call = undefined;
    }
    if (state.phase !== 'ended') clearTimeout(this.endTimer);
    switch (state.phase) {
      case 'idle':
        this.releaseMedia();
        document.body.dataset.state = 'idle';
        return this.showIdle();
      case 'assigned':
        document.body.dataset.state = 'assigned';
        return this.showAssigned(state.assignment);
      case 'meeting':
        if (!this.call || this.call.session !== state.session) {
          this.call?.dispose();
          this.encryption.follow(state.session);
          this.call = new KioskCall(state.assignment, state.session, this.terminal!, this.local.camera, this.encryption);
        }
        this.call.showFailures(this.failures);
        mount(this.root, this.call.element);
        return this.call.render();
      case 'ended':
        this.releaseMedia();
        document.body.dataset.state = 'ended';
        document.body.dataset.endReason = state.reason;
        this.encryption.hideCode();
        clearTimeout(this.endTimer);
        this.endTimer = setTimeout(() => this.terminal?.dismissEnd(), END_SCREEN_MS);
        // A failed security check is staff's business: say so on the screen they will look at.
        return this.big(
          t('kiosk.ended.title'),
          state.reason === 'code_mismatch' || state.reason === 'key_exchange_failed' ? t(`ended.${state.reason}`) : t('kiosk.ended.body'),
          'kiosk-ended',
        );
      case 'refused':
        this.releaseMedia();
        document.body.dataset.state = 'refused';
        document.body.dataset.error = state.error.code;
        this.message(`${t('kiosk.refused')} ${errorText(state.error)}`);
        if (this.encryption.warnsOutsideCall) document.getElementById('kiosk-message')?.prepend(this.encryption.badge);
        return;
    }
  }

  private showIdle(): void {
    this.big(t('kiosk.idle.title'), t('kiosk.idle.body'), 'kiosk-idle');
  }

  private showAssigned(assignment: DeviceAssignment): void {
    this.big(
      t('kiosk.assigned.title'),
      t('kiosk.assigned.body', { time: formatTime(assignment.startsAt, assignment.timeZone) }),
      'kiosk-assigned',
      h('p', { class: 'kiosk-lawyer', id: 'kiosk-lawyer', translate: 'no' }, assignment.lawyerName),
    );
  }

  private big(title: string, body: string, id: string, extra?: Node): void {
    mount(this.root, this.header.element, h('main', { class: 'kiosk-message', id }, h('h1', null, title), extra, h('p', { class: 'lead' }, body)));
  }

  private message(text: string): void {
    mount(this.root, this.header.element, h('main', { class: 'kiosk-message', id: 'kiosk-message' }, h('p', { class: 'staff-alert', role: 'alert' }, text)));
  }
}

/** The call on the kiosk: the lawyer full-screen, name, time left and quality in large type. */
class KioskCall {
  readonly element: HTMLElement;
  private readonly stage: CallStage;
  private readonly countdown: Countdown;
  private readonly warning = new SlotWarningBanner();
  private readonly quality = new QualityIndicator();
  private readonly monitor: QualityMonitor;
  private readonly status = h('p', { class: 'kiosk-status', id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly staffAlert = h('p', { class: 'staff-alert', id: 'staff-alert', role: 'alert', hidden: true });
  private readonly peerName: HTMLElement;
  private peerPresent = false;
  private state = 'connecting';
  private failures: MediaFailure[] = [];
  private readonly offLanguage: () => void;

  constructor(
    private readonly assignment: DeviceAssignment,
    readonly session: MeetingSession,
    terminal: MeetingTerminal,
    camera: MediaStreamTrack | undefined,
    encryption: CallEncryption,
  ) {
    this.countdown = new Countdown(() => terminal.serverNow());
    this.monitor = new QualityMonitor(session, () => this.peerPresent);
    this.peerName = h('p', { class: 'kiosk-peer', id: 'peer-name' });
    const overlay = h('div', { class: 'kiosk-overlay' }, h('div', { class: 'kiosk-who' }, this.peerName, this.status), encryption.badge, this.countdown.element, this.quality.element);
    this.stage = new CallStage([overlay, encryption.codePanel.element, this.warning.element, this.staffAlert]);
    this.element = h('div', { class: 'call kiosk-call', id: 'call' }, this.stage.element);
    this.stage.showSelf(camera);
    this.stage.attach(session);
    followCall(session, { countdown: this.countdown, warning: this.warning, monitor: this.monitor, quality: this.quality }, {
      state: (state) => {
        this.state = state;
        this.render();
      },
      peer: (present) => {
        this.peerPresent = present;
        this.render();
      },
    });
    this.offLanguage = onLanguageChange(() => this.render());
  }

  showFailures(failures: MediaFailure[]): void {
    this.failures = failures;
    this.render();
  }

  dispose(): void {
    this.offLanguage();
    this.monitor.stop();
    this.countdown.stop();
    this.warning.clear();
    this.stage.clear();
  }

  render(): void {
    this.peerName.replaceChildren(h('span', { class: 'label' }, t('kiosk.lawyer')), ' ', h('span', { translate: 'no' }, this.assignment.lawyerName));
    this.status.textContent =
      this.state === 'reconnecting' ? t('call.reconnecting') : this.state === 'connecting' ? t('call.connecting') : this.peerPresent ? t('kiosk.inProgress') : t('kiosk.waitingLawyer');
    this.staffAlert.hidden = this.failures.length === 0;
    this.staffAlert.textContent = this.failures.map((failure) => mediaFailureText(failure, 'staff')).join(' ');
    if (this.failures.length > 0) document.body.dataset.mediaFailure = this.failures.map((f) => `${f.device}:${f.reason}`).join(',');
    else delete document.body.dataset.mediaFailure;
  }
}

/**
 * A kiosk offers nothing to operate: no context menu, no text selection or dragging, no save or
 * print shortcuts, no picture-in-picture. (Kiosk mode itself is the browser's: see docs/clients.md.)
 */
function lockDown(): void {
  document.addEventListener('contextmenu', (event) => event.preventDefault());
  document.addEventListener('dragstart', (event) => event.preventDefault());
  document.addEventListener('selectstart', (event) => event.preventDefault());
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && ['s', 'p', 'o', 'u'].includes(event.key.toLowerCase())) event.preventDefault();
  });
}
