import { randomInt } from 'node:crypto';
import type { RTCDtlsTransport, RtcpPacket } from 'werift';

/** How often feedback is sent, as browsers do (every 50-100 ms). */
const feedbackEveryMs = 50;
const maxStatusesPerPacket = 1000;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)
 * for everything arriving on one receive transport: the arrival time of every transport sequence
 * number, reported every 50 ms, so the SFU's bandwidth estimator sees the bot's downlink the way
 * it sees a browser's. (werift's own generator runs per m-line, which splits one transport's
 * sequence space in two; the bot turns it off and uses this one.)
 */
export class TransportFeedback {
  private readonly senderSsrc = randomInt(1, 0xffffffff);
  private readonly arrivals = new Map<number, number>();
  /** First transport sequence number not yet reported. */
  private nextBase: number | undefined;
  private highest: number | undefined;
  private feedbackCount = 0;
  private lastSentAt = 0;
  mediaSsrc = 0;

  constructor(private readonly transport: RTCDtlsTransport) {}

  onPacket(transportSequenceNumber: number, arrivedAtMs: number): void {
    if (this.nextBase !== undefined && ahead(this.nextBase, transportSequenceNumber)) return; // already reported as lost
    this.arrivals.set(transportSequenceNumber, arrivedAtMs);
    if (this.nextBase === undefined) this.nextBase = transportSequenceNumber;
    if (this.highest === undefined || ahead(transportSequenceNumber, this.highest)) this.highest = transportSequenceNumber;
  }

  /** Called on every clock tick; sends feedback when it is due. */
  onTick(now: number): void {
    if (now - this.lastSentAt < feedbackEveryMs || this.nextBase === undefined || this.highest === undefined) return;
    this.lastSentAt = now;
    while (this.nextBase !== undefined && !ahead(this.nextBase, this.highest)) {
      const count = Math.min(((this.highest - this.nextBase) & 0xffff) + 1, maxStatusesPerPacket);
      const packet = this.build(this.nextBase, count);
      this.nextBase = (this.nextBase + count) & 0xffff;
      if (packet) void this.transport.sendRtcp([{ serialize: () => packet } as unknown as RtcpPacket]);
    }
  }

  private build(base: number, count: number): Buffer | undefined {
    const statuses: number[] = [];
    const deltas: number[] = [];
    let reference: number | undefined;
    let previousUs = 0;
    for (let i = 0; i < count; i++) {
      const seq = (base + i) & 0xffff;
      const arrival = this.arrivals.get(seq);
      this.arrivals.delete(seq);
      if (arrival === undefined) {
        statuses.push(0);
        continue;
      }
      const arrivalUs = Math.round(arrival * 1000);
      if (reference === undefined) {
        reference = Math.floor(arrivalUs / 64_000);
        previousUs = reference * 64_000;
      }
      const delta = Math.round((arrivalUs - previousUs) / 250);
      previousUs += delta * 250;
      if (delta >= 0 && delta <= 255) statuses.push(1);
      else if (delta >= -32768 && delta <= 32767) statuses.push(2);
      else {
        statuses.push(0);
        continue;
      }
      deltas.push(delta);
    }
    if (reference === undefined) return undefined;

    const chunks: number[] = [];
    for (let i = 0; i < statuses.length; i += 7) {
      let chunk = 0xc000; // status vector, two-bit symbols
      for (let j = 0; j < 7; j++) chunk |= (statuses[i + j] ?? 0) << (12 - 2 * j);
      chunks.push(chunk);
    }
    const deltaBytes = statuses.reduce((sum, s) => sum + (s === 1 ? 1 : s === 2 ? 2 : 0), 0);
    const bodyLength = 20 + chunks.length * 2 + deltaBytes;
    const length = Math.ceil(bodyLength / 4) * 4;
    const packet = Buffer.alloc(length);
    packet[0] = 0x80 | 15 | (length > bodyLength ? 0x20 : 0);
    packet[1] = 205;
    packet.writeUInt16BE(length / 4 - 1, 2);
    packet.writeUInt32BE(this.senderSsrc, 4);
    packet.writeUInt32BE(this.mediaSsrc >>> 0, 8);
    packet.writeUInt16BE(base, 12);
    packet.writeUInt16BE(count, 14);
    packet.writeUIntBE(reference & 0xffffff, 16, 3);
    packet[19] = this.feedbackCount++ & 0xff;
    let offset = 20;
    for (const chunk of chunks) offset = packet.writeUInt16BE(chunk, offset);
    let d = 0;
    for (const status of statuses) {
      if (status === 1) offset = packet.writeUInt8(deltas[d++]!, offset);
      else if (status === 2) offset = packet.writeInt16BE(deltas[d++]!, offset);
    }
    if (length > bodyLength) packet[length - 1] = length - bodyLength;
    return packet;
  }
}

/** Whether 16-bit sequence number `a` comes after `b`. */
function ahead(a: number, b: number): boolean {
  const diff = (a - b) & 0xffff;
  return diff !== 0 && diff < 0x8000;
}
