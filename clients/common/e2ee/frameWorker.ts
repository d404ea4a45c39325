/**
 * The frame worker: every encoded audio and video frame of the page passes through here, on its
 * way to the packetizer (sealed) or from the depacketizer to the decoder (opened). It holds the
 * current sending key and the other seat's keys. A frame that cannot be sealed is dropped, never
 * sent in the clear; a frame that does not open is dropped, never decoded.
 *
 * Fed by RTCRtpScriptTransform (`rtctransform` events) or, in browsers with only the older
 * `createEncodedStreams`, by the streams the page transfers.
 */
import { codecOfMimeType, layoutOf, type FrameCodec } from './codecs';
import { FrameOpener, FrameRejected, FrameSealer } from './FrameCipher';
import { KeyFrameWait } from './KeyFrameWait';
import { emptyFrameStats, type FrameTransformOptions, type FrameWorkerReport, type FrameWorkerRequest } from './frameStats';

interface EncodedFrame {
  data: ArrayBuffer;
  /** Video frames only. */
  type?: 'key' | 'delta' | 'empty';
  getMetadata(): { mimeType?: string };
}

/** The worker side of an RTCRtpScriptTransform (declared here: this file is typed against the DOM lib). */
interface ScriptTransformer {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
  options: FrameTransformOptions;
  generateKeyFrame?(): Promise<unknown>;
  sendKeyFrameRequest?(): Promise<unknown>;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<FrameWorkerRequest>) => void) | null;
  onrtctransform: ((event: { transformer: ScriptTransformer }) => void) | null;
  postMessage(message: FrameWorkerReport): void;
}

const scope = self as unknown as WorkerScope;
const stats = emptyFrameStats();
const opener = new FrameOpener();
let sealer: FrameSealer | undefined;
/** Video transformers, to ask for a key frame when the keys change. */
const videoSenders = new Set<ScriptTransformer>();
const videoReceivers = new Set<ScriptTransformer>();

function codecOf(frame: EncodedFrame, kind: FrameTransformOptions['kind']): FrameCodec | undefined {
  const fromMetadata = codecOfMimeType(frame.getMetadata().mimeType);
  return fromMetadata ?? (kind === 'audio' ? 'opus' : undefined);
}

async function seal(frame: EncodedFrame, out: TransformStreamDefaultController<EncodedFrame>, options: FrameTransformOptions): Promise<void> {
  const data = new Uint8Array(frame.data);
  if (data.length === 0) return out.enqueue(frame);
  const current = sealer;
  if (!current) {
    stats.withheld.noKey++;
    return;
  }
  const codec = codecOf(frame, options.kind);
  if (!codec) {
    stats.withheld.unknownCodec++;
    return;
  }
  try {
    frame.data = (await current.seal(layoutOf(codec), data)).buffer as ArrayBuffer;
  } catch {
    stats.withheld.failed++;
    return;
  }
  stats.sealed[options.kind]++;
  out.enqueue(frame);
}

async function open(frame: EncodedFrame, out: TransformStreamDefaultController<EncodedFrame>, options: FrameTransformOptions, keyFrames?: KeyFrameWait): Promise<void> {
  const data = new Uint8Array(frame.data);
  if (data.length === 0) return out.enqueue(frame);
  const codec = codecOf(frame, options.kind);
  if (!codec) {
    stats.rejected.unknownCodec++;
    return;
  }
  try {
    frame.data = (await opener.open(layoutOf(codec), data)).buffer as ArrayBuffer;
  } catch (error) {
    if (!(error instanceof FrameRejected)) throw error;
    stats.rejected[error.reason]++;
    keyFrames?.rejected();
    return;
  }
  stats.opened[options.kind]++;
  keyFrames?.opened(frame.type === 'key');
  out.enqueue(frame);
}

function protect(readable: ReadableStream<EncodedFrame>, writable: WritableStream<EncodedFrame>, options: FrameTransformOptions, transformer?: ScriptTransformer): void {
  const keyFrames =
    options.direction === 'receive' && options.kind === 'video' && transformer?.sendKeyFrameRequest
      ? new KeyFrameWait(() => void transformer.sendKeyFrameRequest!().catch(() => undefined))
      : undefined;
  const step = options.direction === 'send' ? seal : (frame: EncodedFrame, out: TransformStreamDefaultController<EncodedFrame>) => open(frame, out, options, keyFrames);
  readable
    .pipeThrough(new TransformStream<EncodedFrame, EncodedFrame>({ transform: (frame, out) => step(frame, out, options) }))
    .pipeTo(writable)
    .catch(() => undefined); // the stream ends when its sender or receiver closes
}

scope.onrtctransform = ({ transformer }) => {
  const { options } = transformer;
  if (options.kind === 'video') (options.direction === 'send' ? videoSenders : videoReceivers).add(transformer);
  protect(transformer.readable, transformer.writable, options, transformer);
};

scope.onmessage = ({ data: request }) => {
  if (request.type === 'streams') {
    protect(request.readable as ReadableStream<EncodedFrame>, request.writable as WritableStream<EncodedFrame>, request.options);
    return;
  }
  opener.addKey(request.receive);
  sealer = new FrameSealer(request.send);
  stats.exchangeId = request.exchangeId;
  // New keys: the other side needs a key frame it can open, and we want one from it.
  for (const sender of videoSenders) sender.generateKeyFrame?.().catch(() => undefined);
  for (const receiver of videoReceivers) receiver.sendKeyFrameRequest?.().catch(() => undefined);
  scope.postMessage({ type: 'keysApplied', exchangeId: request.exchangeId });
};

setInterval(() => scope.postMessage({ type: 'stats', stats }), 1000);
