import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, toBase64Url } from './bytes';
import { layoutOf } from './codecs';
import { FrameOpener, FrameRejected, FrameSealer, nonceOf } from './FrameCipher';
import { TAG_BYTES } from './frameLayout';
import { exchangeKeys, h264KeyFrame, opusFrame, vp8DeltaFrame, vp8KeyFrame } from './frameProtection.fixtures';
import { escapeBody, nalUnitsOf, unescapeBody } from './h264Layout';
import { decodeSframeHeader } from './sframeHeader';

async function pair() {
  const { atLawyer, atDetainee } = await exchangeKeys();
  const sealer = new FrameSealer(atLawyer.lawyer);
  const opener = new FrameOpener();
  opener.addKey(atDetainee.lawyer);
  return { sealer, opener, atLawyer, atDetainee };
}

function hasStartCodeInside(frame: Uint8Array, units: { start: number; end: number }[]): boolean {
  // every 00 00 01 in the frame must be one of the start codes found
  return units.length !== frame.reduce((n, _, i) => n + (frame[i] === 0 && frame[i + 1] === 0 && frame[i + 2] === 1 ? 1 : 0), 0);
}

describe('frame format round trip', () => {
  it('VP8 key frame: 10 bytes stay in place (first-partition length masked), the rest is ciphertext', async () => {
    const { sealer, opener } = await pair();
    const frame = vp8KeyFrame();
    const wire = await sealer.seal(layoutOf('vp8'), frame);
    // The SFU's key-frame bit, version, show-frame bit, start code and dimensions are readable.
    expect(wire[0]! & 0x1f).toBe(frame[0]! & 0x1f);
    expect([...wire.subarray(3, 10)]).toEqual([...frame.subarray(3, 10)]);
    // The first-partition length is all ones on the wire.
    expect((wire[0]! >> 5) | (wire[1]! << 3) | (wire[2]! << 11)).toBe(0x7ffff);
    const header = decodeSframeHeader(wire.subarray(10));
    expect(header.counter).toBe(0);
    expect(wire.length).toBe(frame.length + header.length + 3 + TAG_BYTES);
    // The payload after the clear bytes carries nothing of the original in place.
    expect(equalBytes(wire.subarray(10 + header.length, 10 + header.length + 64), frame.subarray(10, 74))).toBe(false);
    expect(await opener.open(layoutOf('vp8'), wire)).toEqual(frame);
  });

  it('VP8 delta frame: 3 bytes stay (masked the same way)', async () => {
    const { sealer, opener } = await pair();
    const frame = vp8DeltaFrame();
    const wire = await sealer.seal(layoutOf('vp8'), frame);
    expect(wire[0]! & 0x1f).toBe(frame[0]! & 0x1f);
    expect(decodeSframeHeader(wire.subarray(3)).counter).toBe(0);
    expect(await opener.open(layoutOf('vp8'), wire)).toEqual(frame);
  });

  it('Opus: the whole frame is encrypted, nothing of it stays', async () => {
    const { sealer, opener } = await pair();
    const frame = opusFrame();
    const wire = await sealer.seal(layoutOf('opus'), frame);
    const header = decodeSframeHeader(wire);
    expect(wire.length).toBe(header.length + frame.length + TAG_BYTES);
    expect(toBase64Url(wire).includes(toBase64Url(frame.subarray(0, 6)))).toBe(false);
    expect(await opener.open(layoutOf('opus'), wire)).toEqual(frame);
  });

  it('H264: start codes and NAL headers stay, bodies are encrypted, no start code appears inside', async () => {
    const { sealer, opener } = await pair();
    const frame = h264KeyFrame();
    for (let i = 0; i < 50; i++) {
      const wire = await sealer.seal(layoutOf('h264'), frame);
      const units = nalUnitsOf(wire);
      expect(units.map((u) => wire[u.start])).toEqual([0x67, 0x68, 0x65]);
      expect(hasStartCodeInside(wire, units)).toBe(false);
      for (const u of units) expect(wire[u.end - 1]).toBe(0x80);
      expect(await opener.open(layoutOf('h264'), wire)).toEqual(frame);
    }
  });

  it('H264: a receiver that writes 3-byte start codes still opens the frame', async () => {
    const { sealer, opener } = await pair();
    const wire = await sealer.seal(layoutOf('h264'), h264KeyFrame());
    const units = nalUnitsOf(wire);
    const rewritten = concatBytes(...units.flatMap((u) => [Uint8Array.of(0, 0, 1), wire.subarray(u.start, u.end)]));
    expect(await opener.open(layoutOf('h264'), rewritten)).toEqual(h264KeyFrame());
  });

  it('H264 escaping is reversible for every zero pattern', () => {
    for (const body of [[], [0], [0, 0], [0, 0, 0], [0, 0, 1], [0, 0, 2, 0, 0, 3], [0, 0, 3, 3], [1, 0, 0], [0, 0, 0, 0, 0, 4]]) {
      const escaped = escapeBody(Uint8Array.from(body));
      for (let i = 0; i + 2 < escaped.length; i++) expect(escaped[i] === 0 && escaped[i + 1] === 0 && escaped[i + 2]! <= 2).toBe(false);
      expect([...unescapeBody(escaped)]).toEqual(body);
    }
  });
});

describe('tamper detection', () => {
  const cases = [
    ['vp8', vp8KeyFrame()],
    ['opus', opusFrame()],
    ['h264', h264KeyFrame()],
  ] as const;

  for (const [codec, frame] of cases) {
    it(`${codec}: any flipped byte — clear, header or ciphertext — makes the frame rejected`, async () => {
      const { sealer, opener } = await pair();
      const wire = await sealer.seal(layoutOf(codec), frame);
      // (H264 start codes are deliberately not authenticated: receivers rewrite them; byte 4 is the first NAL header.)
      const first = codec === 'h264' ? 4 : 0;
      const positions = [first, first + 1, first + 2, 5, 9, 10, 11, Math.floor(wire.length / 2), wire.length - 2, wire.length - 1];
      for (const position of positions) {
        const tampered = Uint8Array.from(wire);
        tampered[position]! ^= 0x04;
        const error = await opener.open(layoutOf(codec), tampered).catch((e: unknown) => e);
        expect(error, `byte ${position}`).toBeInstanceOf(FrameRejected);
      }
      // the untouched frame still opens (the failed attempts did not poison the replay window)
      expect(await opener.open(layoutOf(codec), wire)).toEqual(frame);
    });
  }

  it('a truncated frame, a frame under an unknown key and a replayed frame are rejected with their reason', async () => {
    const { sealer, opener, atLawyer } = await pair();
    const wire = await sealer.seal(layoutOf('opus'), opusFrame());
    const reasons = async (w: Uint8Array, o = opener) => ((await o.open(layoutOf('opus'), w).catch((e: FrameRejected) => e)) as FrameRejected).reason;
    expect(await reasons(wire.subarray(0, 10))).toBe('malformed');
    const stranger = new FrameOpener();
    stranger.addKey(atLawyer.detainee);
    expect(await reasons(wire, stranger)).toBe('unknown_key');
    await opener.open(layoutOf('opus'), wire);
    expect(await reasons(wire)).toBe('replay');
  });

  it('frames sealed with the other seat’s key, or with a key from another meeting, do not open', async () => {
    const { atLawyer } = await pair();
    const other = await exchangeKeys('m-other');
    const opener = new FrameOpener();
    opener.addKey({ ...other.atDetainee.lawyer, keyId: atLawyer.lawyer.keyId });
    const wire = await new FrameSealer(atLawyer.lawyer).seal(layoutOf('vp8'), vp8DeltaFrame());
    expect(((await opener.open(layoutOf('vp8'), wire).catch((e: FrameRejected) => e)) as FrameRejected).reason).toBe('authentication');
  });
});

describe('nonces', () => {
  it('the counter never repeats under one key, even when frames are sealed concurrently', async () => {
    const { sealer } = await pair();
    const frames = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? opusFrame() : vp8DeltaFrame()));
    const wires = await Promise.all(frames.map((frame, i) => sealer.seal(layoutOf(i % 3 === 0 ? 'opus' : 'vp8'), frame)));
    const counters = wires.map((wire, i) => decodeSframeHeader(i % 3 === 0 ? wire : wire.subarray(3)).counter);
    expect(new Set(counters).size).toBe(frames.length);
    expect(Math.max(...counters)).toBe(frames.length - 1);
    expect(sealer.framesSealed).toBe(frames.length);
    // distinct counters give distinct nonces under the key's salt
    const nonces = new Set(counters.map((c) => toBase64Url(nonceOf(sealer.senderKey.salt, c))));
    expect(nonces.size).toBe(frames.length);
  });

  it('two seats never share a key: the same counter under both keys gives different nonces and ciphertexts', async () => {
    const { atLawyer } = await pair();
    expect(equalBytes(atLawyer.lawyer.salt, atLawyer.detainee.salt)).toBe(false);
    const a = await new FrameSealer(atLawyer.lawyer).seal(layoutOf('opus'), opusFrame());
    const b = await new FrameSealer(atLawyer.detainee).seal(layoutOf('opus'), opusFrame());
    expect(equalBytes(a, b)).toBe(false);
  });

  it('keeps the previous key for frames in flight across a re-key, and drops the oldest', async () => {
    const first = await exchangeKeys();
    const second = await exchangeKeys();
    const third = await exchangeKeys();
    const opener = new FrameOpener();
    opener.addKey(first.atDetainee.lawyer);
    opener.addKey(second.atDetainee.lawyer);
    const old = await new FrameSealer(first.atLawyer.lawyer).seal(layoutOf('opus'), opusFrame());
    expect(await opener.open(layoutOf('opus'), old)).toEqual(opusFrame());
    opener.addKey(third.atDetainee.lawyer);
    const older = await new FrameSealer(first.atLawyer.lawyer).seal(layoutOf('opus'), opusFrame(40));
    const error = (await opener.open(layoutOf('opus'), older).catch((e: FrameRejected) => e)) as FrameRejected;
    // (a 16-bit key id could in principle collide; then it is an authentication failure instead)
    expect(['unknown_key', 'authentication']).toContain(error.reason);
  });
});
