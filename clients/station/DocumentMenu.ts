import { onLanguageChange, t } from '../common/i18n';
import { documentCameras, type DocumentSourceKind } from '../common/media/DocumentSource';
import { listDevices } from '../common/media/LocalMedia';
import { h } from '../common/ui/h';

/**
 * "Show a document": a second camera (a document camera on the desk) or a screen or window of
 * this terminal, sent to the detainee only. While showing, a small preview and a stop button.
 */
export class DocumentMenu {
  readonly element = h('div', { class: 'document-menu' });
  private readonly button = h('button', { type: 'button', id: 'share-document', 'aria-haspopup': 'menu', 'aria-expanded': 'false' });
  private readonly menu = h('div', { class: 'menu', id: 'document-sources', role: 'menu', hidden: true });
  private readonly preview = h('video', { id: 'document-preview', autoplay: true, playsinline: true, muted: true, hidden: true, disablepictureinpicture: true });
  private sharing = false;
  private error: string | undefined;
  private readonly errorLine = h('p', { class: 'notice bad', id: 'document-error', role: 'alert', hidden: true });

  constructor(
    private readonly faceCameraId: () => string | undefined,
    private readonly start: (source: DocumentSourceKind) => Promise<MediaStreamTrack>,
    private readonly stop: () => Promise<void>,
  ) {
    this.button.addEventListener('click', () => void (this.sharing ? this.stopSharing() : this.toggleMenu()));
    this.element.append(this.button, this.menu, this.preview, this.errorLine);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.closeMenu();
    });
    onLanguageChange(() => this.render());
    this.render();
  }

  private async toggleMenu(): Promise<void> {
    if (!this.menu.hidden) {
      this.closeMenu();
      return;
    }
    const { cameras } = await listDevices().catch(() => ({ cameras: [] as MediaDeviceInfo[] }));
    const items: [Node[], DocumentSourceKind][] = [
      [[document.createTextNode(t('document.screen'))], { kind: 'screen' }],
      ...documentCameras(cameras, this.faceCameraId()).map((camera, index): [Node[], DocumentSourceKind] => [
        [document.createTextNode(t('document.camera')), h('span', { translate: 'no' }, camera.label || String(index + 1))],
        { kind: 'camera', deviceId: camera.deviceId },
      ]),
    ];
    this.menu.replaceChildren(
      ...items.map(([label, source], index) =>
        h('button', { type: 'button', role: 'menuitem', id: `document-source-${index}`, data: { source: source.kind }, on: { click: () => void this.choose(source) } }, ...label),
      ),
    );
    this.menu.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    this.menu.querySelector<HTMLButtonElement>('button')?.focus();
  }

  private closeMenu(): void {
    this.menu.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  private async choose(source: DocumentSourceKind): Promise<void> {
    this.closeMenu();
    this.error = undefined;
    try {
      const track = await this.start(source);
      this.sharing = true;
      this.preview.srcObject = new MediaStream([track]);
      this.preview.hidden = false;
      // The browser's own "stop sharing" ends the track.
      track.addEventListener('ended', () => void this.stopSharing());
    } catch (error) {
      this.error = (error as { name?: string }).name === 'NotAllowedError' ? t('document.denied') : t('document.failed');
    }
    this.render();
  }

  async stopSharing(): Promise<void> {
    if (!this.sharing) return;
    this.sharing = false;
    this.preview.srcObject = null;
    this.preview.hidden = true;
    this.render();
    await this.stop();
  }

  private render(): void {
    this.button.textContent = this.sharing ? t('document.stop') : t('document.show');
    this.button.classList.toggle('active', this.sharing);
    this.element.dataset.sharing = String(this.sharing);
    this.errorLine.hidden = !this.error;
    this.errorLine.textContent = this.error ?? '';
  }
}
