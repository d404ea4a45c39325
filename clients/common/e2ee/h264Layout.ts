import { concatBytes } from './bytes';
import { MalformedFrameError, TAG_BYTES, type FrameLayout } from './frameLayout';

/**
 * H.264 in Annex B form (what the browser's encoder hands the transform): NAL units after start
 * codes. The packetizer splits the frame at start codes and the SFU reads each NAL unit's header
 * byte, so every start code and NAL header stays clear. The NAL bodies are encrypted as one
 * message; its ciphertext is cut back into the same NAL units (SFrame header at the front of the
 * first, tag at the end of the last), then escaped so no start code appears inside (the
 * emulation-prevention rule of H.264 §7.4.1) and ended with 0x80 so no body ends in a zero byte.
 *
 * The receiving browser may rewrite start codes (3 or 4 bytes), so the authenticated data is the
 * NAL header bytes and the body lengths, not the start codes themselves.
 */

interface NalUnit {
  /** Index of the NAL header byte. */
  start: number;
  /** End of the unit (exclusive). */
  end: number;
}

const START_CODE = Uint8Array.of(0, 0, 0, 1);
const TERMINATOR = 0x80;

/** The NAL units of an Annex B byte stream. */
export function nalUnitsOf(frame: Uint8Array): NalUnit[] {
  const starts: { codeStart: number; start: number }[] = [];
  for (let i = 0; i + 2 < frame.length; i++) {
    if (frame[i] === 0 && frame[i + 1] === 0 && frame[i + 2] === 1) {
      const codeStart = i > 0 && frame[i - 1] === 0 ? i - 1 : i;
      starts.push({ codeStart, start: i + 3 });
      i += 2;
    }
  }
  return starts
    .map(({ start }, k) => ({ start, end: k + 1 < starts.length ? starts[k + 1]!.codeStart : frame.length }))
    .filter((unit) => unit.end > unit.start);
}

/** Insert 0x03 wherever two zero bytes are followed by a byte ≤ 3, then the terminator. */
export function escapeBody(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + Math.ceil(body.length / 2) + 1);
  let length = 0;
  let zeros = 0;
  for (const byte of body) {
    if (zeros >= 2 && byte <= 3) {
      out[length++] = 3;
      zeros = 0;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  out[length++] = TERMINATOR;
  return out.slice(0, length);
}

export function unescapeBody(escaped: Uint8Array): Uint8Array {
  if (escaped.length === 0 || escaped[escaped.length - 1] !== TERMINATOR) throw new MalformedFrameError('NAL body without its terminator');
  const out = new Uint8Array(escaped.length - 1);
  let length = 0;
  let zeros = 0;
  for (let i = 0; i < escaped.length - 1; i++) {
    const byte = escaped[i]!;
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.slice(0, length);
}

function authenticated(nalHeaders: Uint8Array, bodyLengths: number[]): Uint8Array {
  const lengths = new Uint8Array(4 * bodyLengths.length);
  const view = new DataView(lengths.buffer);
  bodyLengths.forEach((length, i) => view.setUint32(4 * i, length));
  return concatBytes(nalHeaders, lengths);
}

export const h264Layout: FrameLayout = {
  seal(frame) {
    const units = nalUnitsOf(frame);
    if (units.length === 0) throw new MalformedFrameError('no NAL unit in the H.264 frame');
    const nalHeaders = Uint8Array.from(units, (unit) => frame[unit.start]!);
    const bodies = units.map((unit) => frame.subarray(unit.start + 1, unit.end));
    const bodyLengths = bodies.map((body) => body.length);
    return {
      secret: concatBytes(...bodies),
      aad: () => authenticated(nalHeaders, bodyLengths),
      wire(header, ciphertext) {
        const parts: Uint8Array[] = [];
        let offset = 0;
        units.forEach((_, i) => {
          const last = i === units.length - 1;
          const take = bodyLengths[i]! + (last ? TAG_BYTES : 0);
          const segment = ciphertext.subarray(offset, offset + take);
          offset += take;
          parts.push(START_CODE, nalHeaders.subarray(i, i + 1), escapeBody(i === 0 ? concatBytes(header, segment) : segment));
        });
        return concatBytes(...parts);
      },
    };
  },
  open(wire) {
    const units = nalUnitsOf(wire);
    if (units.length === 0) throw new MalformedFrameError('no NAL unit in the H.264 frame');
    const nalHeaders = Uint8Array.from(units, (unit) => wire[unit.start]!);
    const payloads = units.map((unit) => unescapeBody(wire.subarray(unit.start + 1, unit.end)));
    const bodyLengthsFor = (headerLength: number) =>
      payloads.map((payload, i) => {
        const length = payload.length - (i === 0 ? headerLength : 0) - (i === payloads.length - 1 ? TAG_BYTES : 0);
        if (length < 0) throw new MalformedFrameError('NAL unit too short for its share of the sealed frame');
        return length;
      });
    return {
      sealed: concatBytes(...payloads),
      aad: (headerLength) => authenticated(nalHeaders, bodyLengthsFor(headerLength)),
      restore(plaintext, headerLength) {
        const parts: Uint8Array[] = [];
        let offset = 0;
        bodyLengthsFor(headerLength).forEach((length, i) => {
          parts.push(START_CODE, nalHeaders.subarray(i, i + 1), plaintext.subarray(offset, offset + length));
          offset += length;
        });
        return concatBytes(...parts);
      },
    };
  },
};
