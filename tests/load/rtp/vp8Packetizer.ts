/**
 * RTP payloads of one VP8 frame (RFC 7741): a payload descriptor with a 15-bit picture ID on every
 * packet, S=1 on the first, so an SFU can find key frames and switch simulcast layers cleanly.
 */
export function vp8Payloads(frame: Buffer, pictureId: number, maxPayloadBytes = 1100): Buffer[] {
  const chunk = maxPayloadBytes - 4;
  const payloads: Buffer[] = [];
  for (let offset = 0; offset < frame.length; offset += chunk) {
    const descriptor = Buffer.alloc(4);
    descriptor[0] = 0x80 | (offset === 0 ? 0x10 : 0); // X=1, S on the first packet, partition 0
    descriptor[1] = 0x80; // I: picture ID present
    descriptor.writeUInt16BE(0x8000 | (pictureId & 0x7fff), 2); // M=1: 15-bit picture ID
    payloads.push(Buffer.concat([descriptor, frame.subarray(offset, offset + chunk)]));
  }
  return payloads;
}

/** Whether a raw VP8 frame is a key frame (the P bit of its first byte is 0). */
export function isVp8KeyFrame(frame: Buffer): boolean {
  return frame.length > 0 && (frame[0]! & 0x01) === 0;
}
