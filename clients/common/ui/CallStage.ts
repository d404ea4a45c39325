import type { MeetingSession, RemoteMedia } from '../MeetingSession';
import { h } from './h';

/**
 * The picture of a call: the other side large, this side small, and a document when the lawyer
 * shows one. Video elements carry no controls (nothing to save, record or pop out). Remote
 * tracks are attached by source: camera, microphone, document.
 */
export class CallStage {
  readonly element: HTMLElement;
  readonly remoteVideo = h('video', { id: 'remote-video', data: { role: 'remote' }, autoplay: true, playsinline: true, muted: true, disablepictureinpicture: true });
  readonly remoteAudio = h('audio', { id: 'remote-audio', autoplay: true });
  readonly selfView = h('video', { id: 'self-view', data: { role: 'self' }, autoplay: true, playsinline: true, muted: true, disablepictureinpicture: true });
  readonly documentVideo = h('video', { id: 'document-video', data: { role: 'document' }, autoplay: true, playsinline: true, muted: true, disablepictureinpicture: true });
  private readonly streams = { camera: new MediaStream(), microphone: new MediaStream(), document: new MediaStream() };
  private readonly tracks = new Map<string, RemoteMedia>();

  constructor(extra: Node[] = []) {
    this.element = h('main', { class: 'stage', id: 'stage' }, this.remoteVideo, this.documentVideo, this.selfView, this.remoteAudio, ...extra);
    this.remoteVideo.srcObject = this.streams.camera;
    this.remoteAudio.srcObject = this.streams.microphone;
    this.documentVideo.srcObject = this.streams.document;
    this.documentVideo.hidden = true;
    for (const video of [this.remoteVideo, this.selfView, this.documentVideo]) video.addEventListener('contextmenu', (event) => event.preventDefault());
  }

  showSelf(track: MediaStreamTrack | undefined): void {
    this.selfView.srcObject = track ? new MediaStream([track]) : null;
    this.selfView.hidden = !track;
  }

  /** Follow a session's remote tracks until it ends. */
  attach(session: MeetingSession): void {
    this.clear();
    session.on('remoteTrack', (media) => {
      this.tracks.set(media.producerId, media);
      this.streams[media.source].addTrack(media.track);
      this.update();
    });
    session.on('remoteTrackEnded', (producerId) => {
      const media = this.tracks.get(producerId);
      if (!media) return;
      this.streams[media.source].removeTrack(media.track);
      this.tracks.delete(producerId);
      this.update();
    });
  }

  get showingDocument(): boolean {
    return this.streams.document.getVideoTracks().length > 0;
  }

  clear(): void {
    for (const media of this.tracks.values()) this.streams[media.source].removeTrack(media.track);
    this.tracks.clear();
    this.update();
  }

  private update(): void {
    const document = this.showingDocument;
    this.documentVideo.hidden = !document;
    this.element.classList.toggle('with-document', document);
    this.element.classList.toggle('with-peer-video', this.streams.camera.getVideoTracks().length > 0);
    // A new MediaStream track does not restart a paused element by itself.
    for (const element of [this.remoteVideo, this.documentVideo, this.remoteAudio]) void element.play().catch(() => undefined);
  }
}
