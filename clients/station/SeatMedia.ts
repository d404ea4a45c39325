import { openDocumentSource, type DocumentSourceKind } from '../common/media/DocumentSource';
import { openDevice, openLocalTracks, rememberDevices, rememberedDevices, type MediaFailure } from '../common/media/LocalMedia';

/**
 * The seat's own media: camera and microphone (opened once for the pre-call check and kept for
 * the call), the device choice, and the document being shown. The page owns these tracks; the
 * session only sends them.
 */
export class SeatMedia {
  camera: MediaStreamTrack | undefined;
  microphone: MediaStreamTrack | undefined;
  document: MediaStreamTrack | undefined;
  failures: MediaFailure[] = [];
  private opening: Promise<void> | undefined;

  /** Open camera and microphone unless open already. */
  open(): Promise<void> {
    if (this.camera?.readyState === 'live' || this.microphone?.readyState === 'live') return Promise.resolve();
    this.opening ??= (async () => {
      const tracks = await openLocalTracks();
      this.camera = tracks.camera;
      this.microphone = tracks.microphone;
      this.failures = tracks.failures;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Use another camera or microphone from now on (remembered on this terminal). */
  async switchTo(kind: 'camera' | 'microphone', deviceId: string): Promise<MediaStreamTrack> {
    const track = await openDevice(kind, deviceId);
    const old = this[kind];
    if (old) {
      track.enabled = old.enabled;
      old.stop();
    }
    this[kind] = track;
    this.failures = this.failures.filter((f) => f.device !== kind);
    const choice = rememberedDevices();
    rememberDevices({ ...choice, [kind === 'camera' ? 'cameraId' : 'microphoneId']: track.getSettings().deviceId ?? deviceId });
    return track;
  }

  async showDocument(source: DocumentSourceKind): Promise<MediaStreamTrack> {
    const track = await openDocumentSource(source);
    this.stopDocument();
    this.document = track;
    return track;
  }

  stopDocument(): void {
    this.document?.stop();
    this.document = undefined;
  }

  get cameraId(): string | undefined {
    return this.camera?.getSettings().deviceId;
  }

  get microphoneId(): string | undefined {
    return this.microphone?.getSettings().deviceId;
  }

  /** Stop every track (the meeting is over; the camera light goes off). */
  release(): void {
    for (const track of [this.camera, this.microphone, this.document]) track?.stop();
    this.camera = this.microphone = this.document = undefined;
  }
}
