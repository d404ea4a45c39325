import { Emitter } from '../Emitter';
import type { SenderKey } from './FrameCipher';
import type { FrameStats, FrameTransformOptions, FrameWorkerReport, FrameWorkerRequest } from './frameStats';

/** How this browser lets a page transform encoded frames, if at all. */
export type TransformSupport = 'script' | 'legacy';

export function transformSupport(): TransformSupport | undefined {
  if (typeof RTCRtpScriptTransform === 'function') return 'script';
  if (typeof RTCRtpSender !== 'undefined' && 'createEncodedStreams' in RTCRtpSender.prototype) return 'legacy';
  return undefined;
}

interface EncodedStreams {
  readable: ReadableStream;
  writable: WritableStream;
}

type FrameProtectionEvents = {
  stats: [stats: FrameStats];
  keysApplied: [exchangeId: string];
};

/**
 * The page's side of frame encryption: one worker for all of the page's senders and receivers
 * (so one sending key has one counter), attached to each RTCRtpSender before it is negotiated and
 * to each RTCRtpReceiver before its first frame. Keys go to the worker as non-extractable
 * CryptoKeys and never leave the browser.
 */
export class FrameProtection extends Emitter<FrameProtectionEvents> {
  private readonly worker: Worker;
  private attached = 0;

  constructor(readonly support: TransformSupport) {
    super();
    this.worker = new Worker(new URL('./frameWorker.ts', import.meta.url), { type: 'module', name: 'e2ee-frames' });
    this.worker.onmessage = ({ data }: MessageEvent<FrameWorkerReport>) => {
      if (data.type === 'stats') this.emit('stats', data.stats);
      else this.emit('keysApplied', data.exchangeId);
    };
  }

  /** RTCPeerConnection settings the legacy API needs (mediasoup-client `additionalSettings`). */
  get peerConnectionSettings(): RTCConfiguration {
    return this.support === 'legacy' ? ({ encodedInsertableStreams: true } as RTCConfiguration) : {};
  }

  /** Senders and receivers attached so far. */
  get attachedCount(): number {
    return this.attached;
  }

  protectSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void {
    this.attach(sender, { direction: 'send', kind });
  }

  protectReceiver(receiver: RTCRtpReceiver, kind: 'audio' | 'video'): void {
    this.attach(receiver, { direction: 'receive', kind });
  }

  applyKeys(exchangeId: string, send: SenderKey, receive: SenderKey): void {
    this.post({ type: 'keys', exchangeId, send, receive });
  }

  close(): void {
    this.worker.terminate();
  }

  private attach(endpoint: RTCRtpSender | RTCRtpReceiver, options: FrameTransformOptions): void {
    if (this.support === 'script') {
      endpoint.transform = new RTCRtpScriptTransform(this.worker, options);
    } else {
      const { readable, writable } = (endpoint as unknown as { createEncodedStreams(): EncodedStreams }).createEncodedStreams();
      this.worker.postMessage({ type: 'streams', options, readable, writable } satisfies FrameWorkerRequest, [readable, writable]);
    }
    this.attached++;
  }

  private post(request: FrameWorkerRequest): void {
    this.worker.postMessage(request);
  }
}
