import { concatBytes } from './bytes';

/** Bytes of the AES-GCM authentication tag at the end of every ciphertext. */
export const TAG_BYTES = 16;

export class MalformedFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFrameError';
  }
}

/** How an outgoing frame is split for sealing and put back together on the wire. */
export interface SealPlan {
  /** The bytes encrypted. */
  secret: Uint8Array;
  /** Clear bytes authenticated with the SFrame header (which is `headerLength` long). */
  aad(headerLength: number): Uint8Array;
  /** The frame to send: clear bytes, SFrame header and ciphertext, laid out so the packetizer and the SFU still parse it. */
  wire(header: Uint8Array, ciphertext: Uint8Array): Uint8Array;
}

/** How an incoming frame is taken apart for opening and the original rebuilt. */
export interface OpenPlan {
  /** The SFrame header followed by the ciphertext (tag included). */
  sealed: Uint8Array;
  aad(headerLength: number): Uint8Array;
  /** The frame as the sender's encoder produced it. */
  restore(plaintext: Uint8Array, headerLength: number): Uint8Array;
}

export interface FrameLayout {
  seal(frame: Uint8Array): SealPlan;
  open(wire: Uint8Array): OpenPlan;
}

/**
 * A frame that keeps a clear prefix and carries `[prefix][SFrame header][ciphertext]`.
 * `clearLength` reads the frame's own first byte, so sender and receiver agree without signalling.
 */
function prefixLayout(clearLength: (frame: Uint8Array) => number, mask: (prefix: Uint8Array) => Uint8Array, unmask: (prefix: Uint8Array, secretHead: Uint8Array) => Uint8Array, hidden: number): FrameLayout {
  return {
    seal(frame) {
      const n = Math.min(clearLength(frame), frame.length);
      const prefix = frame.subarray(0, n);
      const masked = mask(prefix);
      // What the mask hid travels encrypted, in front of the rest of the payload.
      const secret = concatBytes(prefix.subarray(0, Math.min(hidden, n)), frame.subarray(n));
      return {
        secret,
        aad: () => masked,
        wire: (header, ciphertext) => concatBytes(masked, header, ciphertext),
      };
    },
    open(wire) {
      const n = Math.min(clearLength(wire), wire.length);
      const masked = wire.subarray(0, n);
      return {
        sealed: wire.subarray(n),
        aad: () => masked,
        restore(plaintext) {
          const kept = Math.min(hidden, n);
          if (plaintext.length < kept) throw new MalformedFrameError('plaintext shorter than the hidden prefix');
          return concatBytes(unmask(masked, plaintext.subarray(0, kept)), plaintext.subarray(kept));
        },
      };
    },
  };
}

/**
 * VP8 (RFC 6386 §9.1): the SFU reads the key-frame bit of the first payload byte, and the receiving
 * browser's depacketizer reads the 10-byte key-frame header (start code, width, height) before the
 * decrypting transform runs. So 10 bytes stay clear on key frames and 3 (the frame tag) on delta
 * frames. The tag's 19-bit first-partition length is the one field of those bytes that a decoder
 * needs and the SFU does not: it is replaced by all ones on the wire (longer than any frame, so a
 * decoder without the key refuses every frame instead of decoding noise) and carried encrypted.
 */
export const vp8Layout: FrameLayout = prefixLayout(
  (frame) => (frame.length === 0 ? 0 : (frame[0]! & 0x01) === 0 ? 10 : 3),
  (prefix) => {
    const masked = Uint8Array.from(prefix);
    if (masked.length >= 3) {
      masked[0]! |= 0xe0;
      masked[1] = 0xff;
      masked[2] = 0xff;
    }
    return masked;
  },
  (masked, tag) => {
    const restored = Uint8Array.from(masked);
    restored.set(tag, 0);
    return restored;
  },
  3,
);

/** Opus: nothing needs to stay clear; the whole frame is encrypted. */
export const opusLayout: FrameLayout = prefixLayout(
  () => 0,
  (prefix) => prefix,
  (masked) => masked,
  0,
);
