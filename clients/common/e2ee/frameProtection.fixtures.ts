import { deriveMediaKeys, exportPublicKey, generateExchangeKey, importPublicKey, sharedSecret, type ExchangeTranscript } from './keySchedule';

/** A VP8 key frame: the 3-byte tag (key frame, show, first partition 1000 bytes), start code, 1280x720, then payload. */
export function vp8KeyFrame(length = 1500): Uint8Array {
  const frame = new Uint8Array(length);
  const firstPartition = 1000;
  const tag = (firstPartition << 5) | 0x10; // P = 0 (key frame), version 0, show_frame 1
  frame.set([tag & 0xff, (tag >> 8) & 0xff, (tag >> 16) & 0xff, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02]);
  for (let i = 10; i < length; i++) frame[i] = (i * 7) & 0xff;
  return frame;
}

export function vp8DeltaFrame(length = 400): Uint8Array {
  const frame = new Uint8Array(length);
  const tag = (300 << 5) | 0x10 | 0x01; // P = 1 (delta)
  frame.set([tag & 0xff, (tag >> 8) & 0xff, (tag >> 16) & 0xff]);
  for (let i = 3; i < length; i++) frame[i] = (i * 13) & 0xff;
  return frame;
}

/** An H.264 IDR access unit: SPS, PPS, IDR slice, each after a 4-byte start code; bodies include zero runs. */
export function h264KeyFrame(): Uint8Array {
  const sps = [0x67, 0x42, 0xc0, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xe8, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40];
  const pps = [0x68, 0xce, 0x3c, 0x80];
  const idr = [0x65, ...Array.from({ length: 600 }, (_, i) => (i % 50 < 3 ? 0 : (i * 31) & 0xff))];
  return Uint8Array.from([0, 0, 0, 1, ...sps, 0, 0, 0, 1, ...pps, 0, 0, 0, 1, ...idr]);
}

export function opusFrame(length = 80): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 5 + 0x78) & 0xff);
}

/** Both seats' keys of one exchange, derived the way the pages derive them. */
export async function exchangeKeys(meetingId = 'm-test') {
  const lawyer = await generateExchangeKey();
  const detainee = await generateExchangeKey();
  const transcript: ExchangeTranscript = {
    meetingId,
    exchangeId: 'AAAAAAAAAAAAAAAAAAAAAA',
    lawyerKey: await exportPublicKey(lawyer.publicKey),
    detaineeKey: await exportPublicKey(detainee.publicKey),
  };
  const atLawyer = await deriveMediaKeys(await sharedSecret(lawyer.privateKey, await importPublicKey(transcript.detaineeKey)), transcript);
  const atDetainee = await deriveMediaKeys(await sharedSecret(detainee.privateKey, await importPublicKey(transcript.lawyerKey)), transcript);
  return { lawyer, detainee, transcript, atLawyer, atDetainee };
}
