import type { RejectionReason } from './FrameCipher';

/** Counters the frame worker reports every second (numbers only; the page shows and reports them). */
export interface FrameStats {
  sealed: { audio: number; video: number };
  opened: { audio: number; video: number };
  /** Outgoing frames dropped rather than sent in the clear. */
  withheld: { noKey: number; unknownCodec: number; failed: number };
  /** Incoming frames that did not open. */
  rejected: Record<RejectionReason | 'unknownCodec', number>;
  /** The exchange whose keys are in use. */
  exchangeId: string | undefined;
}

export function emptyFrameStats(): FrameStats {
  return {
    sealed: { audio: 0, video: 0 },
    opened: { audio: 0, video: 0 },
    withheld: { noKey: 0, unknownCodec: 0, failed: 0 },
    rejected: { malformed: 0, unknown_key: 0, authentication: 0, replay: 0, unknownCodec: 0 },
    exchangeId: undefined,
  };
}

/** What the page asks of the frame worker. */
export type FrameWorkerRequest =
  | { type: 'keys'; exchangeId: string; send: { keyId: number; key: CryptoKey; salt: Uint8Array }; receive: { keyId: number; key: CryptoKey; salt: Uint8Array } }
  | { type: 'streams'; options: FrameTransformOptions; readable: ReadableStream; writable: WritableStream };

/** What the frame worker tells the page. */
export type FrameWorkerReport = { type: 'stats'; stats: FrameStats } | { type: 'keysApplied'; exchangeId: string };

export interface FrameTransformOptions {
  direction: 'send' | 'receive';
  kind: 'audio' | 'video';
}
