import { concatBytes, ownBuffer } from './bytes';
import { MalformedFrameError, TAG_BYTES, type FrameLayout } from './frameLayout';
import { ReplayWindow } from './ReplayWindow';
import { decodeSframeHeader, encodeSframeHeader, MalformedHeaderError, MAX_COUNTER } from './sframeHeader';

/** One sender's media key (RFC 9605 §4.4: the key, the salt its nonces are made from, its key id). */
export interface SenderKey {
  keyId: number;
  /** AES-128-GCM, not extractable. */
  key: CryptoKey;
  /** 12 bytes; the nonce of frame n is salt XOR n. */
  salt: Uint8Array;
}

export type RejectionReason = 'malformed' | 'unknown_key' | 'authentication' | 'replay';

/** A frame that is not opened: it is dropped, never passed on. */
export class FrameRejected extends Error {
  constructor(readonly reason: RejectionReason) {
    super(`frame rejected: ${reason}`);
    this.name = 'FrameRejected';
  }
}

export class CounterExhaustedError extends Error {
  constructor() {
    super('the frame counter of this key is exhausted; a new key is needed');
    this.name = 'CounterExhaustedError';
  }
}

/** The 96-bit nonce of frame `counter`: the key's salt XOR the counter (big-endian, right-aligned). */
export function nonceOf(salt: Uint8Array, counter: number): Uint8Array<ArrayBuffer> {
  const nonce = ownBuffer(salt);
  let value = counter;
  for (let i = nonce.length - 1; i >= nonce.length - 7 && value > 0; i--) {
    nonce[i]! ^= value % 256;
    value = Math.floor(value / 256);
  }
  return nonce;
}

function gcm(nonce: Uint8Array<ArrayBuffer>, aad: Uint8Array): AesGcmParams {
  return { name: 'AES-GCM', iv: nonce, additionalData: ownBuffer(aad), tagLength: TAG_BYTES * 8 };
}

/**
 * Seals one sender's frames under one key. Every frame takes the next counter, taken before any
 * await, so no two frames of this sealer ever share a nonce, whatever runs concurrently; at the
 * end of the counter space it refuses rather than wrap.
 */
export class FrameSealer {
  private next = 0;

  constructor(readonly senderKey: SenderKey) {}

  get framesSealed(): number {
    return this.next;
  }

  async seal(layout: FrameLayout, frame: Uint8Array): Promise<Uint8Array> {
    if (this.next > MAX_COUNTER) throw new CounterExhaustedError();
    const counter = this.next++;
    const plan = layout.seal(frame);
    const header = encodeSframeHeader(this.senderKey.keyId, counter);
    const aad = concatBytes(header, plan.aad(header.length));
    const ciphertext = await crypto.subtle.encrypt(gcm(nonceOf(this.senderKey.salt, counter), aad), this.senderKey.key, ownBuffer(plan.secret));
    return plan.wire(header, new Uint8Array(ciphertext));
  }
}

/**
 * Opens the other sender's frames. Holds that sender's current key and the one before it (frames
 * sealed just before a re-key are still in flight), each with its replay window.
 */
export class FrameOpener {
  private readonly keys = new Map<number, { senderKey: SenderKey; window: ReplayWindow }>();

  constructor(private readonly retained = 2) {}

  addKey(senderKey: SenderKey): void {
    this.keys.delete(senderKey.keyId);
    this.keys.set(senderKey.keyId, { senderKey, window: new ReplayWindow() });
    while (this.keys.size > this.retained) this.keys.delete(this.keys.keys().next().value!);
  }

  get hasKey(): boolean {
    return this.keys.size > 0;
  }

  async open(layout: FrameLayout, wire: Uint8Array): Promise<Uint8Array> {
    let plan;
    let header;
    try {
      plan = layout.open(wire);
      header = decodeSframeHeader(plan.sealed);
    } catch (error) {
      if (error instanceof MalformedFrameError || error instanceof MalformedHeaderError) throw new FrameRejected('malformed');
      throw error;
    }
    const entry = this.keys.get(header.keyId);
    if (!entry) throw new FrameRejected('unknown_key');
    if (!entry.window.mayAccept(header.counter)) throw new FrameRejected('replay');
    const ciphertext = plan.sealed.subarray(header.length);
    if (ciphertext.length < TAG_BYTES) throw new FrameRejected('malformed');
    let plaintext: ArrayBuffer;
    try {
      const aad = concatBytes(plan.sealed.subarray(0, header.length), plan.aad(header.length));
      plaintext = await crypto.subtle.decrypt(gcm(nonceOf(entry.senderKey.salt, header.counter), aad), entry.senderKey.key, ownBuffer(ciphertext));
    } catch (error) {
      if (error instanceof MalformedFrameError) throw new FrameRejected('malformed');
      throw new FrameRejected('authentication');
    }
    if (!entry.window.accept(header.counter)) throw new FrameRejected('replay');
    try {
      return plan.restore(new Uint8Array(plaintext), header.length);
    } catch {
      throw new FrameRejected('malformed');
    }
  }
}
