import type { types as ms } from 'mediasoup';
import type { ConsumerParameters, TransportParameters } from '@huijian/sfu-server/control';
import type { RTCDtlsTransport, RTCPeerConnection } from 'werift';
import { createBotPeer } from './botPeer';
import { sharedPacingClock } from './PacingClock';
import { InboundMeter } from './rtp/InboundMeter';
import { TransportFeedback } from './rtp/TransportFeedback';
import { localDtlsParameters, remoteSdp, type RemoteMediaSection } from './sdp/remoteSdp';

/**
 * The bot's receive side: one werift peer connection on the seat's receive transport. Each new
 * consumer adds an m-line (the SFU offers, the bot answers); every packet is counted per SSRC.
 */
export class MediaReceiver {
  readonly pc: RTCPeerConnection = createBotPeer();
  private readonly sections: (RemoteMediaSection & { producerId: string; consumerId: string })[] = [];
  readonly meters = new Map<number, InboundMeter>();
  private negotiation: Promise<void> = Promise.resolve();
  private version = 1;
  private connected = false;
  private feedback: TransportFeedback | undefined;
  private transportCcId: number | undefined;
  private unsubscribeClock: (() => void) | undefined;

  constructor(
    private readonly transport: TransportParameters,
    private readonly connect: (dtlsParameters: ms.DtlsParameters) => Promise<void>,
    /**
     * `headers` skips SRTP decryption (payloads stay encrypted, nothing checks them): RTP headers
     * travel in the clear, so counting and feedback stay exact while a load run carries more bots.
     */
    private readonly mode: 'decrypt' | 'headers' = 'decrypt',
  ) {}

  /** Add a consumer's m-line and renegotiate; resolves when the answer is applied. */
  add(consumer: ConsumerParameters): Promise<void> {
    const encoding = consumer.rtpParameters.encodings?.[0];
    if (!encoding?.ssrc) throw new Error('consumer has no SSRC');
    this.meters.set(encoding.ssrc, new InboundMeter(consumer.kind));
    this.transportCcId ??= consumer.rtpParameters.headerExtensions?.find((e) => e.uri.includes('transport-wide-cc'))?.id;
    this.sections.push({
      producerId: consumer.producerId,
      consumerId: consumer.consumerId,
      mid: consumer.rtpParameters.mid ?? String(this.sections.length),
      kind: consumer.kind,
      direction: 'sendonly',
      // Without transport-cc in werift's view, werift sends no feedback of its own (ours covers it).
      codecs: consumer.rtpParameters.codecs.map((codec) => ({ ...codec, rtcpFeedback: codec.rtcpFeedback?.filter((fb) => fb.type !== 'transport-cc') })),
      headerExtensions: consumer.rtpParameters.headerExtensions ?? [],
      ssrc: { ssrc: encoding.ssrc, rtxSsrc: encoding.rtx?.ssrc, cname: consumer.rtpParameters.rtcp?.cname ?? 'sfu' },
    });
    return this.renegotiate();
  }

  /** The consumers currently received. */
  get consumers(): { consumerId: string; producerId: string; kind: 'audio' | 'video' }[] {
    return this.sections.filter((s) => s.direction !== 'inactive').map(({ consumerId, producerId, kind }) => ({ consumerId, producerId, kind }));
  }

  /** Mark a consumer's m-line inactive (its producer closed or the peer left). */
  remove(producerId: string): Promise<void> {
    const section = this.sections.find((s) => s.producerId === producerId);
    if (!section || section.direction === 'inactive') return Promise.resolve();
    section.direction = 'inactive';
    return this.renegotiate();
  }

  async close(): Promise<void> {
    this.unsubscribeClock?.();
    await this.pc.close();
  }

  private renegotiate(): Promise<void> {
    this.negotiation = this.negotiation.then(async () => {
      const offer = remoteSdp(this.transport, this.sections, 'actpass', ++this.version);
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      if (!this.connected) {
        this.connected = true;
        const dtls = this.pc.dtlsTransports[0];
        if (!dtls) throw new Error('werift created no DTLS transport');
        if (this.mode === 'headers') skipDecryption(dtls);
        const feedback = (this.feedback = new TransportFeedback(dtls));
        this.unsubscribeClock = sharedPacingClock.subscribe((now) => feedback.onTick(now));
        dtls.onRtp.subscribe((packet) => {
          const { ssrc, sequenceNumber, extensions } = packet.header;
          this.meters.get(ssrc)?.onPacket(sequenceNumber, packet.payload.length);
          const transportCc = extensions.find((e) => e.id === this.transportCcId);
          if (transportCc && transportCc.payload.length >= 2) {
            feedback.mediaSsrc ||= ssrc;
            feedback.onPacket(transportCc.payload.readUInt16BE(0), performance.now());
          }
        });
        await this.connect(localDtlsParameters(answer.sdp));
      }
    });
    return this.negotiation;
  }
}

/** Make werift hand received SRTP packets on undecrypted (its SRTP session is created after the handshake). */
function skipDecryption(dtls: RTCDtlsTransport): void {
  let session: RTCDtlsTransport['srtp'] | undefined = dtls.srtp as RTCDtlsTransport['srtp'] | undefined;
  const passThrough = (s: RTCDtlsTransport['srtp']) => Object.assign(s, { decrypt: (packet: Buffer) => packet });
  if (session) passThrough(session);
  Object.defineProperty(dtls, 'srtp', {
    configurable: true,
    get: () => session,
    set: (value: RTCDtlsTransport['srtp']) => {
      session = passThrough(value);
    },
  });
}
