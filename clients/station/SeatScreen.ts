import type { DeviceAssignment, MeetingEndReason } from '@huijian/signaling/protocol';
import { takeDeviceCredential } from '../common/deviceCredential';
import { errorText } from '../common/errorText';
import { formatMinutesFromNow, formatSlot, formatTime, onLanguageChange, t } from '../common/i18n';
import type { MeetingSession } from '../common/MeetingSession';
import { MeetingTerminal, type TerminalPhase } from '../common/MeetingTerminal';
import { QualityMonitor } from '../common/QualityMonitor';
import { CallEncryption } from '../common/ui/CallEncryption';
import { CallStage } from '../common/ui/CallStage';
import { Countdown, SlotWarningBanner } from '../common/ui/Countdown';
import { followCall } from '../common/ui/followCall';
import { h, mount } from '../common/ui/h';
import { languageSwitch } from '../common/ui/LanguageSwitch';
import { mediaFailureText } from '../common/ui/mediaFailureText';
import { QualityIndicator } from '../common/ui/QualityIndicator';
import { TerminalHeader } from '../common/ui/TerminalHeader';
import { DocumentMenu } from './DocumentMenu';
import { FollowUpForm } from './FollowUpForm';
import { PreCallCheck } from './PreCallCheck';
import { ReceiptCard } from './ReceiptCard';
import { SeatMedia } from './SeatMedia';

/** The end screen leaves by itself after this long if nobody touches it. */
const END_SCREEN_MS = 10 * 60_000;

/**
 * The lawyer's screen at the station seat: waiting for check-in; the assignment with a pre-call
 * camera and microphone check; the call (the detainee large, self-view small, mute, camera,
 * show a document, countdown with warnings, connection quality); the end with the follow-up.
 */
export class SeatScreen {
  private readonly root = document.getElementById('app')!;
  private readonly media = new SeatMedia();
  private readonly header = new TerminalHeader('station.title', [languageSwitch()]);
  private readonly encryption = new CallEncryption(true);
  private receipt: ReceiptCard | undefined;
  private terminal: MeetingTerminal | undefined;
  private credential = '';
  private precheck: PreCallCheck | undefined;
  private call: SeatCall | undefined;
  private followUp: FollowUpForm | undefined;
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  private assignedTicker: ReturnType<typeof setInterval> | undefined;

  start(): void {
    document.body.dataset.phase = 'starting';
    onLanguageChange(() => this.render());
    const credential = takeDeviceCredential();
    if (!credential) {
      this.showMessage('unregistered', t('terminal.unregistered'), 'bad');
      return;
    }
    this.credential = credential;
    const terminal = new MeetingTerminal({
      credential,
      openMedia: async () => {
        await this.media.open();
        return {
          ...(this.media.microphone ? { microphone: this.media.microphone } : {}),
          ...(this.media.camera ? { camera: this.media.camera } : {}),
        };
      },
    });
    this.terminal = terminal;
    terminal.on('online', (online) => this.header.setOnline(online));
    terminal.on('phase', () => this.render());
    terminal.start();
    this.render();
  }

  private render(): void {
    const state = this.terminal?.state;
    if (!state) return;
    document.body.dataset.phase = state.phase;
    if (state.phase === 'meeting') document.body.dataset.meeting = state.assignment.meetingId;
    const assignment = state.phase === 'idle' ? undefined : state.assignment;
    if (assignment) this.header.setPlace(assignment.stationName, assignment.timeZone);
    if (state.phase !== 'assigned') this.leavePrecheck();
    if (state.phase !== 'meeting') this.leaveCall();
    if (state.phase !== 'ended') this.leaveEnd();
    switch (state.phase) {
      case 'idle':
        this.media.release();
        return this.showIdle();
      case 'assigned':
        return this.showAssigned(state.assignment, state.opensAt);
      case 'meeting':
        return this.showCall(state.assignment, state.session);
      case 'ended':
        return this.showEnd(state.assignment, state.reason, state.byMe);
      case 'refused':
        this.media.release();
        document.body.dataset.error = state.error.code;
        this.showMessage('refused', `${t('terminal.refused')} ${errorText(state.error)}`, 'bad');
        // No meeting because this browser cannot encrypt: the badge says so too.
        if (this.encryption.warnsOutsideCall) document.getElementById('terminal-message')?.prepend(this.encryption.badge);
        return;
    }
  }

  private showMessage(kind: string, text: string, tone: 'ok' | 'warn' | 'bad'): void {
    document.body.dataset.state = kind;
    mount(this.root, this.header.element, h('main', { class: 'terminal-message', id: 'terminal-message' }, h('p', { class: `notice ${tone}`, role: 'alert' }, text)));
  }

  private showIdle(): void {
    document.body.dataset.state = 'idle';
    mount(
      this.root,
      this.header.element,
      h(
        'main',
        { class: 'idle', id: 'idle' },
        h('h1', null, t('seat.idle.title')),
        h('p', { class: 'lead' }, t('seat.idle.body')),
        h('ul', { class: 'bring' }, h('li', null, t('bring.id')), h('li', null, t('bring.licence')), h('li', null, t('bring.letter'))),
      ),
    );
  }

  private showAssigned(assignment: DeviceAssignment, opensAt: number): void {
    document.body.dataset.state = 'assigned';
    const zone = assignment.timeZone;
    const startsIn = h('p', { class: 'starts-in', id: 'starts-in', 'aria-live': 'polite' });
    const updateStartsIn = () => {
      const now = this.terminal!.serverNow();
      startsIn.textContent =
        opensAt > now ? t('seat.assigned.opensAt', { time: formatTime(opensAt, zone), relative: formatMinutesFromNow(opensAt - now) }) : t('seat.assigned.connecting');
    };
    updateStartsIn();
    clearInterval(this.assignedTicker);
    this.assignedTicker = setInterval(updateStartsIn, 15_000);
    if (!this.precheck) {
      this.precheck = new PreCallCheck(this.media);
      void this.precheck.start();
    }
    mount(
      this.root,
      this.header.element,
      h(
        'main',
        { class: 'assigned', id: 'assignment' },
        h(
          'section',
          { class: 'assignment-card', 'aria-labelledby': 'assignment-title' },
          h('h1', { id: 'assignment-title' }, t('seat.assigned.title')),
          h(
            'dl',
            null,
            h('dt', null, t('meeting.lawyer')),
            h('dd', { id: 'assignment-lawyer', translate: 'no' }, assignment.lawyerName),
            h('dt', null, t('meeting.detainee')),
            h('dd', { id: 'assignment-detainee', translate: 'no' }, assignment.detaineeName),
            h('dt', null, t('meeting.slot')),
            h('dd', { id: 'assignment-slot' }, formatSlot(assignment.startsAt, assignment.endsAt, zone)),
            h('dt', null, t('meeting.center')),
            h('dd', { translate: 'no' }, assignment.centerName),
          ),
          startsIn,
        ),
        this.precheck.element,
      ),
    );
  }

  private showCall(assignment: DeviceAssignment, session: MeetingSession): void {
    if (!this.call || this.call.session !== session) {
      this.call?.dispose();
      this.encryption.follow(session);
      this.call = new SeatCall(assignment, session, this.media, this.terminal!, this.encryption);
    }
    mount(this.root, this.header.element, this.call.element);
    this.call.render();
  }

  private showEnd(assignment: DeviceAssignment, reason: MeetingEndReason, byMe: boolean): void {
    document.body.dataset.state = 'ended';
    document.body.dataset.endReason = reason;
    this.media.release();
    this.encryption.hideCode();
    if (!this.followUp) {
      this.followUp = new FollowUpForm(assignment.bookingId, this.credential);
      this.receipt = new ReceiptCard(assignment.meetingId, this.credential);
      clearTimeout(this.endTimer);
      this.endTimer = setTimeout(() => this.terminal?.dismissEnd(), END_SCREEN_MS);
    }
    const why =
      reason === 'code_mismatch' || reason === 'key_exchange_failed'
        ? t(`ended.${reason}`)
        : byMe
          ? t('end.byMe')
          : reason === 'replaced'
            ? t('end.replaced')
            : reason === 'cancelled'
              ? t('end.cancelled')
              : reason === 'ended_by_peer'
                ? t('end.byPeer')
                : t('end.slot');
    const failedCheck = reason === 'code_mismatch' || reason === 'key_exchange_failed';
    mount(
      this.root,
      this.header.element,
      h(
        'main',
        { class: 'ended', id: 'end-screen' },
        h('h1', null, t('end.title')),
        h('p', { class: failedCheck ? 'lead notice bad' : 'lead', id: 'end-reason', role: failedCheck ? 'alert' : undefined }, why),
        this.followUp.element,
        this.receipt?.element,
        h('button', { type: 'button', id: 'end-done', on: { click: () => this.terminal?.dismissEnd() } }, t('end.done')),
      ),
    );
  }

  private leavePrecheck(): void {
    clearInterval(this.assignedTicker);
    this.precheck?.stop();
    this.precheck = undefined;
  }

  private leaveCall(): void {
    this.call?.dispose();
    this.call = undefined;
  }

  private leaveEnd(): void {
    clearTimeout(this.endTimer);
    this.followUp?.dispose();
    this.followUp = undefined;
    this.receipt?.dispose();
    this.receipt = undefined;
    delete document.body.dataset.endReason;
  }
}

/** The call itself, on the seat. */
class SeatCall {
  readonly element: HTMLElement;
  private readonly stage = new CallStage();
  private readonly countdown: Countdown;
  private readonly warning: SlotWarningBanner;
  private readonly quality = new QualityIndicator();
  private readonly monitor: QualityMonitor;
  private readonly status = h('span', { class: 'call-status', id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly controls = h('div', { class: 'controls', role: 'toolbar' });
  private readonly documentMenu: DocumentMenu;
  private readonly notice = h('p', { class: 'notice', id: 'call-notice', role: 'alert', hidden: true });
  private readonly confirmEnd = h('dialog', { id: 'confirm-end', 'aria-labelledby': 'confirm-end-title' });
  private peerPresent = false;
  private state = 'connecting';
  private extendState: 'none' | 'asking' | 'refused' | 'done' = 'none';
  private readonly offLanguage: () => void;

  constructor(
    private readonly assignment: DeviceAssignment,
    readonly session: MeetingSession,
    private readonly media: SeatMedia,
    private readonly terminal: MeetingTerminal,
    encryption: CallEncryption,
  ) {
    this.countdown = new Countdown(() => terminal.serverNow());
    this.warning = new SlotWarningBanner(() => this.extendButton());
    this.monitor = new QualityMonitor(session, () => this.peerPresent);
    this.documentMenu = new DocumentMenu(
      () => media.cameraId,
      async (source) => {
        const track = await media.showDocument(source);
        await session.setMedia('document', track);
        return track;
      },
      async () => {
        media.stopDocument();
        await session.setMedia('document', undefined);
      },
    );
    const top = h(
      'header',
      { class: 'call-bar' },
      h('div', { class: 'people' }, h('span', { class: 'peer-name', translate: 'no', id: 'peer-name' }, assignment.detaineeName), this.status),
      h('div', { class: 'e2ee-slot', id: 'e2ee-slot' }, encryption.badge),
      this.quality.element,
      this.countdown.element,
    );
    this.element = h('div', { class: 'call seat-call', id: 'call' }, top, this.warning.element, this.stage.element, this.notice, this.controls, this.confirmEnd);
    this.stage.element.append(encryption.codePanel.element);
    this.stage.showSelf(media.camera);
    this.stage.attach(session);
    followCall(session, { countdown: this.countdown, warning: this.warning, monitor: this.monitor, quality: this.quality }, {
      state: (state) => {
        this.state = state;
        this.renderStatus();
      },
      peer: (present) => {
        this.peerPresent = present;
        this.renderStatus();
      },
      extended: (endsAt) => {
        this.extendState = 'done';
        this.say(t('call.extended', { time: formatTime(endsAt, assignment.timeZone) }), 'ok');
      },
    });
    this.offLanguage = onLanguageChange(() => this.render());
  }

  dispose(): void {
    this.offLanguage();
    this.monitor.stop();
    this.countdown.stop();
    this.warning.clear();
    this.stage.clear();
    void this.documentMenu.stopSharing();
  }

  render(): void {
    this.renderStatus();
    this.renderControls();
    this.renderConfirm();
  }

  private renderStatus(): void {
    const text =
      this.state === 'reconnecting'
        ? t('call.reconnecting')
        : this.state === 'connecting'
          ? t('call.connecting')
          : this.peerPresent
            ? t('call.inProgress')
            : t('call.waitingPeer');
    this.status.textContent = text;
    this.status.dataset.tone = this.state === 'joined' && this.peerPresent ? 'ok' : 'warn';
    const failures = this.media.failures.map((f) => mediaFailureText(f, 'lawyer')).join(' ');
    if (failures) this.say(failures, 'bad');
  }

  private renderControls(): void {
    const microphoneOn = this.media.microphone?.enabled ?? false;
    const cameraOn = this.cameraSending;
    this.controls.replaceChildren(
      h(
        'button',
        { type: 'button', id: 'mute', 'aria-pressed': String(!microphoneOn), disabled: !this.media.microphone, class: !microphoneOn && 'off', on: { click: () => this.toggleMicrophone() } },
        microphoneOn ? t('call.mute') : t('call.unmute'),
      ),
      h(
        'button',
        { type: 'button', id: 'camera-toggle', 'aria-pressed': String(!cameraOn), disabled: !this.media.camera, class: !cameraOn && 'off', on: { click: () => void this.toggleCamera() } },
        cameraOn ? t('call.cameraOff') : t('call.cameraOn'),
      ),
      this.documentMenu.element,
      h('button', { type: 'button', id: 'end-meeting', class: 'danger', on: { click: () => this.confirmEnd.showModal() } }, t('call.end')),
    );
  }

  private cameraSending = true;

  private toggleMicrophone(): void {
    const microphone = this.media.microphone;
    if (!microphone) return;
    microphone.enabled = !microphone.enabled;
    this.renderControls();
    document.getElementById('mute')?.focus();
  }

  private async toggleCamera(): Promise<void> {
    this.cameraSending = !this.cameraSending;
    this.stage.showSelf(this.cameraSending ? this.media.camera : undefined);
    this.renderControls();
    document.getElementById('camera-toggle')?.focus();
    await this.session.setMedia('camera', this.cameraSending ? this.media.camera : undefined);
  }

  private extendButton(): Node | undefined {
    if (this.extendState === 'done') return undefined;
    if (this.extendState === 'refused') return h('span', { class: 'muted', id: 'extend-refused' }, t('call.extendRefused'));
    return h(
      'button',
      {
        type: 'button',
        id: 'extend',
        disabled: this.extendState === 'asking',
        on: {
          click: () => {
            this.extendState = 'asking';
            this.warning.refresh();
            this.session.extend().catch(() => {
              this.extendState = 'refused';
              this.warning.refresh();
            });
          },
        },
      },
      t('call.extend'),
    );
  }

  private renderConfirm(): void {
    this.confirmEnd.replaceChildren(
      h('h2', { id: 'confirm-end-title' }, t('call.endConfirmTitle')),
      h('p', null, t('call.endConfirmBody')),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', id: 'confirm-end-cancel', on: { click: () => this.confirmEnd.close() } }, t('call.endCancel')),
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            id: 'confirm-end-yes',
            on: {
              click: () => {
                this.confirmEnd.close();
                void this.terminal.endMeeting();
              },
            },
          },
          t('call.endYes'),
        ),
      ),
    );
  }

  private say(text: string, tone: 'ok' | 'warn' | 'bad'): void {
    this.notice.textContent = text;
    this.notice.dataset.tone = tone;
    this.notice.hidden = false;
  }
}
