/**
 * The SFrame header (RFC 9605 §4.3): one config byte `X KKK Y CCC`, then the key id and the
 * counter, big-endian, in as few bytes as they need. A value below 8 fits in the config byte
 * itself (X or Y = 0); otherwise KKK / CCC is the field's length minus one.
 */

/** Largest counter this implementation writes: 2^48 − 1 (a frame every millisecond for 8,900 years). */
export const MAX_COUNTER = 2 ** 48 - 1;

export interface SframeHeader {
  keyId: number;
  counter: number;
  /** Bytes the header occupies. */
  length: number;
}

export class MalformedHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedHeaderError';
  }
}

function minimalLength(value: number): number {
  let length = 1;
  while (value >= 2 ** (8 * length)) length++;
  return length;
}

function writeBigEndian(out: Uint8Array, offset: number, value: number, length: number): void {
  for (let i = length - 1; i >= 0; i--) {
    out[offset + i] = value % 256;
    value = Math.floor(value / 256);
  }
}

export function encodeSframeHeader(keyId: number, counter: number): Uint8Array {
  for (const [name, value, max] of [['key id', keyId, 0xffff], ['counter', counter, MAX_COUNTER]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} out of range: ${value}`);
  }
  const keyLength = keyId < 8 ? 0 : minimalLength(keyId);
  const counterLength = counter < 8 ? 0 : minimalLength(counter);
  const out = new Uint8Array(1 + keyLength + counterLength);
  const keyBits = keyLength === 0 ? keyId : 0x8 | (keyLength - 1);
  const counterBits = counterLength === 0 ? counter : 0x8 | (counterLength - 1);
  out[0] = (keyBits << 4) | counterBits;
  if (keyLength > 0) writeBigEndian(out, 1, keyId, keyLength);
  if (counterLength > 0) writeBigEndian(out, 1 + keyLength, counter, counterLength);
  return out;
}

export function decodeSframeHeader(bytes: Uint8Array): SframeHeader {
  if (bytes.length < 1) throw new MalformedHeaderError('no SFrame header');
  const config = bytes[0]!;
  let offset = 1;
  const field = (bits: number, name: string, maxLength: number): number => {
    if ((bits & 0x8) === 0) return bits & 0x7;
    const length = (bits & 0x7) + 1;
    if (length > maxLength) throw new MalformedHeaderError(`${name} field of ${length} bytes`);
    if (offset + length > bytes.length) throw new MalformedHeaderError(`truncated ${name}`);
    let value = 0;
    for (let i = 0; i < length; i++) value = value * 256 + bytes[offset + i]!;
    offset += length;
    return value;
  };
  const keyId = field(config >> 4, 'key id', 2);
  const counter = field(config & 0xf, 'counter', 6);
  return { keyId, counter, length: offset };
}
