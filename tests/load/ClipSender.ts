import { randomUUID } from 'node:crypto';
import type { types as ms } from 'mediasoup';
import { GenericNack, PictureLossIndication, type RTCDtlsTransport, type RtcpPacket } from 'werift';
import type { MediaClip } from './clip/clipFormat';
import { sharedPacingClock, type PacingClock } from './PacingClock';
import { botHeaderExtensions, OutboundStream } from './rtp/OutboundStream';
import { vp8Payloads } from './rtp/vp8Packetizer';

export const botPayloadTypes = { opus: 111, vp8: 96 } as const;

const videoFeedback: ms.RtcpFeedback[] = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'transport-cc' },
];
const senderReportEveryMs = 1000;
/** A key frame is jumped to at most this often, however many PLIs arrive. */
const keyFrameMinGapMs = 300;

export interface ClipSenderOptions {
  /** Send the clip's three VP8 layers as SSRC simulcast (lowest first), or only the top one. */
  simulcast: boolean;
  clock?: PacingClock;
}

/**
 * Plays a pre-encoded clip as live RTP on one werift DTLS transport: 30 fps VP8 (one or three
 * simulcast layers) and 20 ms Opus, paced by a shared clock. NACKs are answered from history and
 * a PLI or FIR makes every layer jump to the clip's next key frame. No encoding happens here.
 */
export class ClipSender {
  private readonly audio: OutboundStream;
  private readonly layers: { stream: OutboundStream; frames: Buffer[]; pictureId: number }[];
  private readonly byssrc = new Map<number, OutboundStream>();
  private readonly cname = randomUUID().slice(0, 8);
  private unsubscribe: (() => void) | undefined;
  private startedAt = 0;
  private videoFramesSent = 0;
  private audioPacketsSent = 0;
  private reportsSent = 0;
  private clipFrame = 0;
  private keyFrameWanted = false;
  private lastKeyJump = -Infinity;
  keyFrameRequests = 0;

  constructor(
    private readonly clip: MediaClip,
    transport: RTCDtlsTransport,
    private readonly mids: { audio: string; video: string },
    private readonly options: ClipSenderOptions,
  ) {
    this.audio = new OutboundStream(transport, botPayloadTypes.opus, mids.audio, 48000);
    const layers = options.simulcast ? clip.video : clip.video.slice(-1);
    this.layers = layers.map((layer) => ({ stream: new OutboundStream(transport, botPayloadTypes.vp8, mids.video, 90000), frames: layer.frames, pictureId: 0 }));
    for (const stream of [this.audio, ...this.layers.map((l) => l.stream)]) this.byssrc.set(stream.ssrc, stream);
    transport.onRtcp.subscribe((packet) => this.onRtcp(packet));
  }

  /** RTP parameters of the microphone producer. */
  get audioRtpParameters(): ms.RtpParameters {
    return {
      mid: this.mids.audio,
      codecs: [
        {
          mimeType: 'audio/opus',
          payloadType: botPayloadTypes.opus,
          clockRate: 48000,
          channels: 2,
          parameters: { minptime: 10, useinbandfec: 1 },
          rtcpFeedback: [{ type: 'transport-cc' }],
        },
      ],
      headerExtensions: Object.values(botHeaderExtensions).map((e) => ({ ...e })),
      encodings: [{ ssrc: this.audio.ssrc }],
      rtcp: { cname: this.cname, reducedSize: true },
    };
  }

  /** RTP parameters of the camera producer: one encoding per layer, lowest first. */
  get videoRtpParameters(): ms.RtpParameters {
    const layers = this.options.simulcast ? this.clip.video : this.clip.video.slice(-1);
    const top = layers[layers.length - 1]!;
    return {
      mid: this.mids.video,
      codecs: [{ mimeType: 'video/VP8', payloadType: botPayloadTypes.vp8, clockRate: 90000, rtcpFeedback: videoFeedback }],
      headerExtensions: Object.values(botHeaderExtensions).map((e) => ({ ...e })),
      encodings: layers.map((layer, i) => ({
        ssrc: this.layers[i]!.stream.ssrc,
        scaleResolutionDownBy: top.height / layer.height,
        maxBitrate: Math.round(layer.targetBitrate * 1.5),
      })),
      rtcp: { cname: this.cname, reducedSize: true },
    };
  }

  /** Height of the top layer, as a sender announces its capture size. */
  get videoHeight(): number {
    return this.clip.video[this.clip.video.length - 1]!.height;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.startedAt = performance.now();
    this.unsubscribe = (this.options.clock ?? sharedPacingClock).subscribe((now) => this.onTick(now));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  get stats() {
    const video = this.layers.map((l) => l.stream);
    return {
      videoPackets: video.reduce((sum, s) => sum + s.packetsSent, 0),
      videoBytes: video.reduce((sum, s) => sum + s.bytesSent, 0),
      audioPackets: this.audio.packetsSent,
      retransmitted: [this.audio, ...video].reduce((sum, s) => sum + s.retransmitted, 0),
      keyFrameRequests: this.keyFrameRequests,
    };
  }

  private onTick(now: number): void {
    const elapsed = now - this.startedAt;
    while ((this.audioPacketsSent * 1000) / 50 <= elapsed) {
      const packet = this.clip.audio[this.audioPacketsSent % this.clip.audio.length]!;
      this.audio.send(packet, this.audioPacketsSent * 960, false);
      this.audioPacketsSent++;
    }
    while ((this.videoFramesSent * 1000) / this.clip.fps <= elapsed) {
      this.sendVideoFrame(now);
      this.videoFramesSent++;
    }
    if (this.reportsSent * senderReportEveryMs <= elapsed) {
      this.reportsSent++;
      this.audio.sendReport();
      for (const layer of this.layers) layer.stream.sendReport();
    }
  }

  private sendVideoFrame(now: number): void {
    const length = this.layers[0]!.frames.length;
    if (this.keyFrameWanted && now - this.lastKeyJump >= keyFrameMinGapMs) {
      const keyFrames = this.clip.video[0]!.keyFrames;
      this.clipFrame = keyFrames.find((k) => k >= this.clipFrame) ?? 0;
      this.keyFrameWanted = false;
      this.lastKeyJump = now;
    }
    const timestamp = Math.round((this.videoFramesSent * 90000) / this.clip.fps);
    for (const layer of this.layers) {
      const payloads = vp8Payloads(layer.frames[this.clipFrame]!, layer.pictureId);
      layer.pictureId = (layer.pictureId + 1) & 0x7fff;
      payloads.forEach((payload, i) => layer.stream.send(payload, timestamp, i === payloads.length - 1));
    }
    this.clipFrame = (this.clipFrame + 1) % length;
  }

  private onRtcp(packet: RtcpPacket): void {
    const feedback = 'feedback' in packet ? packet.feedback : undefined;
    if (feedback instanceof GenericNack) {
      this.byssrc.get(feedback.mediaSourceSsrc)?.resend(feedback.lost);
    } else if (feedback instanceof PictureLossIndication || (feedback && 'fir' in feedback)) {
      this.keyFrameRequests++;
      this.keyFrameWanted = true;
    }
  }
}
