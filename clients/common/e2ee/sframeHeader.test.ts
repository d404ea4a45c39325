import { describe, expect, it } from 'vitest';
import { decodeSframeHeader, encodeSframeHeader, MalformedHeaderError, MAX_COUNTER } from './sframeHeader';

describe('SFrame header (RFC 9605 §4.3)', () => {
  it('packs small key ids and counters into the config byte', () => {
    expect([...encodeSframeHeader(3, 5)]).toEqual([0x35]);
    expect(decodeSframeHeader(Uint8Array.of(0x35))).toEqual({ keyId: 3, counter: 5, length: 1 });
  });

  it('writes larger values big-endian in as few bytes as they need', () => {
    // key id 0x1234 (2 bytes: X=1, K=1), counter 0x0100 (2 bytes: Y=1, C=1)
    expect([...encodeSframeHeader(0x1234, 0x100)]).toEqual([0x99, 0x12, 0x34, 0x01, 0x00]);
    expect([...encodeSframeHeader(7, 8)]).toEqual([0x78, 0x08]);
  });

  it('round-trips key ids and counters across the range', () => {
    for (const keyId of [0, 7, 8, 255, 256, 0xffff]) {
      for (const counter of [0, 7, 8, 255, 256, 65_535, 2 ** 24, 2 ** 40 + 17, MAX_COUNTER]) {
        const header = encodeSframeHeader(keyId, counter);
        expect(decodeSframeHeader(header)).toEqual({ keyId, counter, length: header.length });
      }
    }
  });

  it('refuses values out of range and truncated or oversized fields', () => {
    expect(() => encodeSframeHeader(0x10000, 0)).toThrow(RangeError);
    expect(() => encodeSframeHeader(0, MAX_COUNTER + 1)).toThrow(RangeError);
    expect(() => encodeSframeHeader(0, -1)).toThrow(RangeError);
    expect(() => decodeSframeHeader(new Uint8Array())).toThrow(MalformedHeaderError);
    expect(() => decodeSframeHeader(Uint8Array.of(0x99, 0x12))).toThrow(MalformedHeaderError);
    // an 8-byte key id field is more than this implementation ever writes
    expect(() => decodeSframeHeader(Uint8Array.of(0xf0, 1, 2, 3, 4, 5, 6, 7, 8))).toThrow(MalformedHeaderError);
  });
});
