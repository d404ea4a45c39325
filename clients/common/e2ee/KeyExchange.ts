import type { E2eeMessage } from '@huijian/signaling/protocol';
import { Emitter } from '../Emitter';
import { equalBytes, fromBase64Url, toBase64Url } from './bytes';
import type { SenderKey } from './FrameCipher';
import {
  commitmentOf,
  deriveMediaKeys,
  exportPublicKey,
  generateExchangeKey,
  importPublicKey,
  sharedSecret,
  type ExchangeTranscript,
  type Seat,
} from './keySchedule';
import { shortCodeOf, type ShortCode } from './shortCode';

export interface EstablishedExchange {
  exchangeId: string;
  shortCode: ShortCode;
  /** This seat's sending key and the other seat's. */
  send: SenderKey;
  receive: SenderKey;
  transcript: ExchangeTranscript;
}

export interface FailedExchange {
  exchangeId: string;
  reason: 'commitment_mismatch' | 'invalid_key';
}

export type KeyExchangeEvents = {
  established: [exchange: EstablishedExchange];
  failed: [failure: FailedExchange];
};

interface LawyerPending {
  exchangeId: string;
  keys: CryptoKeyPair;
  publicKey: Uint8Array;
  answered: boolean;
}

interface DetaineePending {
  exchangeId: string;
  commitment: Uint8Array;
  keys: CryptoKeyPair;
  publicKey: Uint8Array;
  done: boolean;
}

/**
 * One seat's side of the key exchange, in the manner of ZRTP's commit/DH-part exchange, over
 * messages the signaling server relays:
 *
 *   lawyer  ── offer  {exchangeId, commitment = H(meeting, exchangeId, lawyerKey)} ──► booth
 *   lawyer  ◄─ answer {exchangeId, boothKey} ─────────────────────────────────────── booth
 *   lawyer  ── reveal {exchangeId, lawyerKey} ──► booth checks H(lawyerKey) = commitment
 *
 * Both then derive the media keys and the short code from the ECDH secret and the transcript.
 * Every exchange uses fresh key pairs on both sides; the lawyer starts one whenever either seat
 * (re)joins. Messages are handled one at a time, in order.
 */
export class KeyExchange extends Emitter<KeyExchangeEvents> {
  private lawyerPending: LawyerPending | undefined;
  private detaineePending: DetaineePending | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly seat: Seat,
    private readonly meetingId: string,
    private readonly send: (message: E2eeMessage) => void,
  ) {
    super();
  }

  /** Lawyer: begin a new exchange (replacing any unfinished one). */
  start(): Promise<void> {
    if (this.seat !== 'lawyer') throw new Error('only the lawyer seat initiates the key exchange');
    return this.enqueue(async () => {
      const keys = await generateExchangeKey();
      const publicKey = await exportPublicKey(keys.publicKey);
      const exchangeId = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
      this.lawyerPending = { exchangeId, keys, publicKey, answered: false };
      const commitment = await commitmentOf(this.meetingId, exchangeId, publicKey);
      this.send({ type: 'offer', exchangeId, commitment: toBase64Url(commitment) });
    });
  }

  /** A message from the other seat. */
  receive(message: E2eeMessage): Promise<void> {
    return this.enqueue(() => (this.seat === 'lawyer' ? this.lawyerReceives(message) : this.detaineeReceives(message)));
  }

  close(): void {
    this.closed = true;
    this.lawyerPending = this.detaineePending = undefined;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.closed ? undefined : step()));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async lawyerReceives(message: E2eeMessage): Promise<void> {
    const pending = this.lawyerPending;
    // Only the answer to the current offer counts; an answer to an older offer is stale.
    if (message.type !== 'answer' || !pending || pending.answered || message.exchangeId !== pending.exchangeId) return;
    pending.answered = true;
    const detaineeKey = fromBase64Url(message.publicKey);
    let peer: CryptoKey;
    try {
      peer = await importPublicKey(detaineeKey);
    } catch {
      this.emit('failed', { exchangeId: pending.exchangeId, reason: 'invalid_key' });
      return;
    }
    this.send({ type: 'reveal', exchangeId: pending.exchangeId, publicKey: toBase64Url(pending.publicKey) });
    await this.establish(pending.keys.privateKey, peer, { meetingId: this.meetingId, exchangeId: pending.exchangeId, lawyerKey: pending.publicKey, detaineeKey });
  }

  private async detaineeReceives(message: E2eeMessage): Promise<void> {
    if (message.type === 'offer') {
      // A new offer always gets a fresh key pair: a key revealed once is never reused.
      const keys = await generateExchangeKey();
      const publicKey = await exportPublicKey(keys.publicKey);
      this.detaineePending = { exchangeId: message.exchangeId, commitment: fromBase64Url(message.commitment), keys, publicKey, done: false };
      this.send({ type: 'answer', exchangeId: message.exchangeId, publicKey: toBase64Url(publicKey) });
      return;
    }
    const pending = this.detaineePending;
    if (message.type !== 'reveal' || !pending || pending.done || message.exchangeId !== pending.exchangeId) return;
    pending.done = true;
    const lawyerKey = fromBase64Url(message.publicKey);
    const expected = await commitmentOf(this.meetingId, pending.exchangeId, lawyerKey);
    if (!equalBytes(expected, pending.commitment)) {
      this.emit('failed', { exchangeId: pending.exchangeId, reason: 'commitment_mismatch' });
      return;
    }
    let peer: CryptoKey;
    try {
      peer = await importPublicKey(lawyerKey);
    } catch {
      this.emit('failed', { exchangeId: pending.exchangeId, reason: 'invalid_key' });
      return;
    }
    await this.establish(pending.keys.privateKey, peer, { meetingId: this.meetingId, exchangeId: pending.exchangeId, lawyerKey, detaineeKey: pending.publicKey });
  }

  private async establish(privateKey: CryptoKey, peer: CryptoKey, transcript: ExchangeTranscript): Promise<void> {
    const secret = await sharedSecret(privateKey, peer);
    const keys = await deriveMediaKeys(secret, transcript);
    secret.fill(0);
    const shortCode = await shortCodeOf(transcript);
    const other: Seat = this.seat === 'lawyer' ? 'detainee' : 'lawyer';
    this.emit('established', { exchangeId: transcript.exchangeId, shortCode, send: keys[this.seat], receive: keys[other], transcript });
  }
}
