import { randomInt } from 'node:crypto';
import { RtcpSenderInfo, RtcpSrPacket, RtpHeader, serializeAbsSendTime, serializeSdesMid, serializeTransportWideCC, type RTCDtlsTransport } from 'werift';

/** Header extension ids the bot announces in its produce requests (and writes on every packet). */
export const botHeaderExtensions = {
  mid: { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 },
  absSendTime: { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', id: 2 },
  transportCc: { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: 3 },
} as const;

const historySize = 1024;

interface SentPacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

/**
 * One outgoing RTP stream (one SSRC) on a werift DTLS transport: numbering, header extensions,
 * SRTP through werift, and a history so NACKed packets are sent again.
 */
export class OutboundStream {
  readonly ssrc = randomInt(1, 0xffffffff);
  private sequenceNumber = randomInt(0, 0x10000);
  private readonly timestampOffset = randomInt(0, 0xffffffff);
  private readonly history: (SentPacket | undefined)[] = new Array(historySize);
  private lastTimestamp = 0;
  private lastSentAt = 0;
  packetsSent = 0;
  bytesSent = 0;
  retransmitted = 0;

  constructor(
    private readonly transport: RTCDtlsTransport,
    private readonly payloadType: number,
    private readonly mid: string,
    private readonly clockRate: number,
  ) {}

  send(payload: Buffer, rtpTimestamp: number, marker: boolean): void {
    const packet: SentPacket = {
      sequenceNumber: this.sequenceNumber,
      timestamp: (rtpTimestamp + this.timestampOffset) >>> 0,
      marker,
      payload,
    };
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.lastTimestamp = packet.timestamp;
    this.lastSentAt = performance.now();
    this.history[packet.sequenceNumber % historySize] = packet;
    this.write(packet);
  }

  /** Send the NACKed packets again, those still in the history. */
  resend(sequenceNumbers: number[]): void {
    for (const sequenceNumber of sequenceNumbers) {
      const packet = this.history[sequenceNumber % historySize];
      if (packet?.sequenceNumber !== sequenceNumber) continue;
      this.retransmitted++;
      this.write(packet);
    }
  }

  /**
   * An RTCP sender report: ties this stream's RTP clock to wall-clock time. mediasoup needs one
   * from every simulcast stream before it may switch a consumer between them.
   */
  sendReport(): void {
    if (this.transport.state !== 'connected' || this.packetsSent === 0) return;
    const elapsed = performance.now() - this.lastSentAt;
    const rtpTimestamp = (this.lastTimestamp + Math.round((elapsed * this.clockRate) / 1000)) >>> 0;
    const senderInfo = new RtcpSenderInfo({ ntpTimestamp: ntpNow(), rtpTimestamp, packetCount: this.packetsSent, octetCount: this.bytesSent >>> 0 });
    void this.transport.sendRtcp([new RtcpSrPacket({ ssrc: this.ssrc, senderInfo })]);
  }

  private write(packet: SentPacket): void {
    if (this.transport.state !== 'connected') return;
    this.transport.transportSequenceNumber = (this.transport.transportSequenceNumber + 1) & 0xffff;
    const header = new RtpHeader({
      payloadType: this.payloadType,
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      ssrc: this.ssrc,
      marker: packet.marker,
      extension: true,
      extensions: [
        { id: botHeaderExtensions.mid.id, payload: serializeSdesMid(this.mid) },
        { id: botHeaderExtensions.absSendTime.id, payload: serializeAbsSendTime(ntpNow()) },
        { id: botHeaderExtensions.transportCc.id, payload: serializeTransportWideCC(this.transport.transportSequenceNumber) },
      ],
    });
    this.packetsSent++;
    this.bytesSent += packet.payload.length;
    void this.transport.sendRtp(packet.payload, header);
  }
}

/** NTP time as a 64-bit fixed-point number, as abs-send-time wants it. */
function ntpNow(): bigint {
  const ms = Date.now() + 2_208_988_800_000;
  const seconds = BigInt(Math.floor(ms / 1000));
  const fraction = BigInt(Math.floor(((ms % 1000) / 1000) * 2 ** 32));
  return (seconds << 32n) | fraction;
}
