const window = 8192;

export interface InboundTotals {
  /** Packets the sender numbered from the first one seen to the highest one seen. */
  expected: number;
  /** Distinct packets received (a retransmission fills a gap once). */
  received: number;
  /** Packets that arrived only after a gap had been seen, i.e. recovered by NACK. */
  recovered: number;
  bytes: number;
}

/**
 * Receive accounting of one RTP stream (one SSRC) from sequence numbers: what was expected,
 * what arrived at least once, what retransmission recovered, and the payload bytes.
 */
export class InboundMeter {
  private readonly seen = new Uint8Array(window);
  private base = -1;
  private highest = -1;
  private received = 0;
  private recovered = 0;
  private bytes = 0;
  firstPacketAt: number | undefined;

  constructor(readonly kind: 'audio' | 'video') {}

  onPacket(sequenceNumber: number, payloadBytes: number): void {
    this.bytes += payloadBytes;
    if (this.highest < 0) {
      this.firstPacketAt = performance.now();
      this.base = this.highest = sequenceNumber;
      this.mark(sequenceNumber);
      return;
    }
    const extended = this.extend(sequenceNumber);
    if (extended > this.highest) {
      for (let missing = this.highest + 1; missing < extended && missing > extended - window; missing++) this.seen[missing % window] = 0;
      this.highest = extended;
      this.mark(extended);
    } else if (extended > this.highest - window && extended >= this.base && !this.seen[extended % window]) {
      this.recovered++;
      this.mark(extended);
    }
  }

  get totals(): InboundTotals {
    return { expected: this.highest < 0 ? 0 : this.highest - this.base + 1, received: this.received, recovered: this.recovered, bytes: this.bytes };
  }

  private mark(extended: number): void {
    this.seen[extended % window] = 1;
    this.received++;
  }

  /** The 16-bit number placed on the extended axis nearest to the highest one so far. */
  private extend(sequenceNumber: number): number {
    const cycle = this.highest - (this.highest & 0xffff);
    let candidate = cycle + sequenceNumber;
    if (candidate - this.highest > 0x8000) candidate -= 0x10000;
    else if (this.highest - candidate > 0x8000) candidate += 0x10000;
    return candidate;
  }
}
