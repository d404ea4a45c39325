import { onLanguageChange, t } from '../common/i18n';
import { listDevices } from '../common/media/LocalMedia';
import { MicLevel } from '../common/media/MicLevel';
import { h } from '../common/ui/h';
import { mediaFailureText } from '../common/ui/mediaFailureText';
import type { SeatMedia } from './SeatMedia';

/**
 * Before the meeting opens: the lawyer sees the camera's picture, watches the microphone's level
 * move while speaking, may pick other devices, and confirms that both work. Advisory: the
 * meeting starts at its time either way.
 */
export class PreCallCheck {
  readonly element = h('section', { class: 'precheck', id: 'precheck', 'aria-labelledby': 'precheck-title' });
  private readonly preview = h('video', { id: 'precheck-preview', autoplay: true, playsinline: true, muted: true, disablepictureinpicture: true });
  private readonly meter = h('meter', { id: 'mic-level', min: 0, max: 1, low: 0.15, high: 0.85, optimum: 0.5, value: 0 });
  private readonly cameraSelect = h('select', { id: 'camera-select' });
  private readonly microphoneSelect = h('select', { id: 'microphone-select' });
  private readonly body = h('div', { class: 'precheck-body' });
  private micLevel: MicLevel | undefined;
  private meterTimer: ReturnType<typeof setInterval> | undefined;
  private verdict: 'pending' | 'ok' | 'problem' = 'pending';
  private readonly offLanguage: () => void;

  constructor(
    private readonly media: SeatMedia,
    /** A device was switched (the call, if any, sends the new track). */
    private readonly onSwitched: (kind: 'camera' | 'microphone', track: MediaStreamTrack) => void = () => undefined,
  ) {
    this.cameraSelect.addEventListener('change', () => void this.switchTo('camera', this.cameraSelect.value));
    this.microphoneSelect.addEventListener('change', () => void this.switchTo('microphone', this.microphoneSelect.value));
    this.offLanguage = onLanguageChange(() => this.render());
  }

  async start(): Promise<void> {
    this.render();
    await this.media.open();
    this.attach();
    await this.fillDeviceLists();
    this.render();
  }

  stop(): void {
    this.offLanguage();
    clearInterval(this.meterTimer);
    this.micLevel?.close();
    this.micLevel = undefined;
    this.preview.srcObject = null;
  }

  private attach(): void {
    this.preview.srcObject = this.media.camera ? new MediaStream([this.media.camera]) : null;
    this.micLevel?.close();
    clearInterval(this.meterTimer);
    if (this.media.microphone) {
      const level = new MicLevel(this.media.microphone);
      this.micLevel = level;
      this.meterTimer = setInterval(() => {
        this.meter.value = level.level();
        this.meter.dataset.level = this.meter.value.toFixed(2);
      }, 150);
    }
  }

  private async fillDeviceLists(): Promise<void> {
    const { cameras, microphones } = await listDevices().catch(() => ({ cameras: [], microphones: [] }));
    const fill = (select: HTMLSelectElement, devices: MediaDeviceInfo[], current: string | undefined, fallback: 'check.cameraN' | 'check.microphoneN') => {
      select.replaceChildren(
        ...devices.map((device, index) => h('option', { value: device.deviceId, selected: device.deviceId === current, translate: device.label ? 'no' : undefined }, device.label || t(fallback, { n: index + 1 }))),
      );
      select.disabled = devices.length < 2;
    };
    fill(this.cameraSelect, cameras, this.media.cameraId, 'check.cameraN');
    fill(this.microphoneSelect, microphones, this.media.microphoneId, 'check.microphoneN');
  }

  private async switchTo(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    try {
      const track = await this.media.switchTo(kind, deviceId);
      this.attach();
      this.onSwitched(kind, track);
    } catch (error) {
      this.media.failures = [...this.media.failures.filter((f) => f.device !== kind), { device: kind, reason: (error as { name?: string }).name === 'NotReadableError' ? 'busy' : 'other' }];
    }
    this.verdict = 'pending';
    this.render();
  }

  private render(): void {
    const failures = this.media.failures.map((failure) => h('p', { class: 'notice bad', role: 'alert' }, mediaFailureText(failure, 'lawyer')));
    const question =
      this.verdict === 'pending'
        ? h(
            'div',
            { class: 'precheck-question' },
            h('p', null, t('check.question')),
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', class: 'primary', id: 'precheck-ok', on: { click: () => this.answer('ok') } }, t('check.yes')),
              h('button', { type: 'button', id: 'precheck-problem', on: { click: () => this.answer('problem') } }, t('check.no')),
            ),
          )
        : this.verdict === 'ok'
          ? h('p', { class: 'notice ok', id: 'precheck-done', role: 'status' }, t('check.ready'))
          : h('p', { class: 'notice warn', id: 'precheck-help', role: 'status' }, t('check.help'));
    this.body.replaceChildren(
      h(
        'div',
        { class: 'precheck-media' },
        this.preview,
        h(
          'div',
          { class: 'precheck-controls' },
          h('label', { for: 'camera-select' }, t('check.camera')),
          this.cameraSelect,
          h('label', { for: 'microphone-select' }, t('check.microphone')),
          this.microphoneSelect,
          h('label', { for: 'mic-level' }, t('check.level')),
          this.meter,
        ),
      ),
      ...failures,
      question,
    );
    this.element.replaceChildren(h('h2', { id: 'precheck-title' }, t('check.title')), h('p', { class: 'muted' }, t('check.intro')), this.body);
    this.element.dataset.verdict = this.verdict;
  }

  private answer(verdict: 'ok' | 'problem'): void {
    this.verdict = verdict;
    this.render();
    (this.element.querySelector<HTMLElement>('#precheck-done, #precheck-help') ?? this.element).focus();
  }
}
