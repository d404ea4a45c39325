import { lengthPrefixed, ownBuffer, utf8 } from './bytes';
import type { SenderKey } from './FrameCipher';

/**
 * The key schedule: ephemeral ECDH P-256 keys, a commitment to the initiator's key, and the media
 * keys both browsers derive with HKDF-SHA-256 from the shared secret, bound to the meeting, the
 * exchange and both public keys. Everything here runs in the browser; no private key or media key
 * can be exported (WebCrypto keys created non-extractable).
 */

export type Seat = 'lawyer' | 'detainee';

export const PROTOCOL_LABEL = 'huijian-e2ee-v1';
/** Raw uncompressed P-256 point: 0x04, X, Y. */
export const PUBLIC_KEY_BYTES = 65;

/** What both sides must agree on: the meeting, this exchange, and both public keys. */
export interface ExchangeTranscript {
  meetingId: string;
  exchangeId: string;
  lawyerKey: Uint8Array;
  detaineeKey: Uint8Array;
}

export function transcriptBytes(t: ExchangeTranscript): Uint8Array {
  return lengthPrefixed(utf8(PROTOCOL_LABEL), utf8(t.meetingId), utf8(t.exchangeId), t.lawyerKey, t.detaineeKey);
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', ownBuffer(bytes)));
}

/** A fresh ECDH key pair; the private half cannot be exported. */
export async function generateExchangeKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
}

export async function exportPublicKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

/** The peer's public key; refuses anything that is not a point on P-256. */
export async function importPublicKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== PUBLIC_KEY_BYTES || raw[0] !== 0x04) throw new TypeError('not an uncompressed P-256 public key');
  return crypto.subtle.importKey('raw', ownBuffer(raw), { name: 'ECDH', namedCurve: 'P-256' }, true, []);
}

export async function sharedSecret(privateKey: CryptoKey, peerPublicKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: peerPublicKey }, privateKey, 256));
}

/**
 * The initiator's commitment to its public key, sent before the responder reveals its own: a
 * signaling server in the middle then has to pick its substitute keys before it can see the real
 * ones, so it cannot search for keys that give both sides the same short code.
 */
export async function commitmentOf(meetingId: string, exchangeId: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return sha256(lengthPrefixed(utf8(`${PROTOCOL_LABEL} commitment`), utf8(meetingId), utf8(exchangeId), publicKey));
}

/**
 * Each seat's sending key: HKDF-SHA-256 over the ECDH secret, salted with the hash of the
 * transcript, one `info` per seat and purpose. Two seats, two keys: their counters can never
 * collide under one key.
 */
export async function deriveMediaKeys(secret: Uint8Array, transcript: ExchangeTranscript): Promise<Record<Seat, SenderKey>> {
  const salt = await sha256(transcriptBytes(transcript));
  const base = await crypto.subtle.importKey('raw', ownBuffer(secret), 'HKDF', false, ['deriveKey', 'deriveBits']);
  const params = (purpose: string): HkdfParams => ({ name: 'HKDF', hash: 'SHA-256', salt: ownBuffer(salt), info: ownBuffer(utf8(`${PROTOCOL_LABEL} ${purpose}`)) });
  const senderKey = async (seat: Seat): Promise<SenderKey> => {
    const key = await crypto.subtle.deriveKey(params(`key ${seat}`), base, { name: 'AES-GCM', length: 128 }, false, ['encrypt', 'decrypt']);
    const nonceSalt = new Uint8Array(await crypto.subtle.deriveBits(params(`salt ${seat}`), base, 96));
    const id = new Uint8Array(await crypto.subtle.deriveBits(params(`key id ${seat}`), base, 16));
    return { keyId: (id[0]! << 8) | id[1]!, key, salt: nonceSalt };
  };
  return { lawyer: await senderKey('lawyer'), detainee: await senderKey('detainee') };
}

export { sha256 };
