import type { types as ms } from 'mediasoup';
import { io, type Socket } from 'socket.io-client';
import type { ConsumerParameters, ProducerInfo, TransportParameters } from '@huijian/sfu-server/control';
import {
  MEETING_NAMESPACE,
  PROTOCOL_VERSION,
  type Ack,
  type ErrorBody,
  type JoinResult,
  type MeetingClientEvents,
  type MeetingServerEvents,
  type Role,
} from '@huijian/signaling/protocol';
import type { RTCPeerConnection } from 'werift';
import type { MediaClip } from './clip/clipFormat';
import { ClipSender } from './ClipSender';
import { createBotPeer } from './botPeer';
import { MediaReceiver } from './MediaReceiver';
import type { InboundTotals } from './rtp/InboundMeter';
import { localDtlsParameters, offeredSections, remoteSdp } from './sdp/remoteSdp';
import { cutNetwork } from './networkCut';
import { enlargeUdpBuffers } from './udpBuffers';

export interface SeatBotOptions {
  /** Signaling origin, e.g. http://127.0.0.1:4000. */
  url: string;
  /**
   * Other signaling instances: when the connection drops (the instance died), the bot connects to
   * the next one in turn and joins again, as a browser behind a load balancer would.
   */
  fallbackUrls?: string[];
  /** The terminal's device credential (a seat terminal for the lawyer, a booth kiosk for the detainee). */
  credential: string;
  /** A booking token for this seat, as the station or booth page would get it. */
  token: string;
  clip: MediaClip;
  /** Send the clip's three layers as simulcast (as a browser does) instead of 720p only. */
  simulcast?: boolean;
  /** Report this viewport for every video received, so the SFU picks the layer that fits. */
  viewport?: { width: number; height: number };
  /** Send media (default true); false makes a receive-only bot. */
  send?: boolean;
  /** `headers`: do not decrypt what arrives (see MediaReceiver); for load runs. Default `decrypt`. */
  receiveMode?: 'decrypt' | 'headers';
  /**
   * Send transport-wide congestion feedback for what arrives (default true), so the SFU's
   * bandwidth estimate toward this seat is live and picks simulcast layers by it. Load runs with
   * many bots per thread turn it off: their event-loop lag reads as network delay.
   */
  bandwidthFeedback?: boolean;
}

export interface BotSnapshot {
  at: number;
  audio: InboundTotals;
  video: InboundTotals;
  sent: ClipSender['stats'] | undefined;
}

export interface BotWindow {
  seconds: number;
  audio: { lossRatio: number; bitrate: number; packets: number };
  video: { lossRatio: number; bitrate: number; packets: number; recovered: number };
}

type BotState = 'idle' | 'joining' | 'joined' | 'rejoining' | 'ended' | 'failed';

/**
 * A headless seat for load and fault tests: joins a meeting through the real signaling with a
 * device credential and a real booking token (exactly the station or booth page's protocol), sends a pre-encoded 720p VP8
 * + Opus clip from a pure-TypeScript WebRTC stack (werift), consumes the other seat's media and
 * counts what arrives. It follows `rejoin` like a browser client would.
 */
export class SeatBot {
  private socket: Socket<MeetingServerEvents, MeetingClientEvents> | undefined;
  private sendPc: RTCPeerConnection | undefined;
  private sender: ClipSender | undefined;
  private receiver: MediaReceiver | undefined;
  private info: JoinResult | undefined;
  private startedAt = 0;
  private joinQueue: Promise<void> = Promise.resolve();
  /** Receive totals of media closed by a rejoin, so snapshots stay cumulative. */
  private readonly closedTotals: { kind: 'audio' | 'video'; totals: InboundTotals }[] = [];
  state: BotState = 'idle';
  role: Role | undefined;
  /** Milliseconds from start() to the join ack, and to the first video packet received. */
  joinMs: number | undefined;
  firstVideoMs: number | undefined;
  rejoins = 0;
  /** Times the connection dropped and the bot came back through another (or the same) instance. */
  reconnects = 0;
  endReason: string | undefined;
  lastError: ErrorBody | undefined;

  constructor(private readonly options: SeatBotOptions) {
    enlargeUdpBuffers();
  }

  /** Connect and join; resolves once the seat sends (if it does) and can receive. */
  async start(): Promise<void> {
    this.startedAt = performance.now();
    this.state = 'joining';
    await this.connect(this.options.url);
    this.enqueue(() => this.join());
    await this.joinQueue;
    if ((this.state as BotState) === 'failed') throw Object.assign(new Error(`join failed: ${this.lastError?.code}: ${this.lastError?.message}`), { body: this.lastError });
  }

  private async connect(url: string): Promise<void> {
    const socket = (this.socket = io(`${url}${MEETING_NAMESPACE}`, {
      auth: { protocol: PROTOCOL_VERSION, credential: this.options.credential, token: this.options.token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    }));
    socket.on('peerProduced', ({ producerId, source }) => this.enqueue(() => this.consume(producerId, source)));
    socket.on('peerProducerClosed', ({ producerId }) => void this.receiver?.remove(producerId));
    socket.on('rejoin', () => {
      this.rejoins++;
      this.state = 'rejoining';
      this.enqueue(async () => {
        await this.closeMedia();
        await this.join();
      });
    });
    socket.on('meetingEnded', ({ reason }) => {
      this.endReason = reason;
      void this.stop();
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect' || this.state === 'ended' || socket !== this.socket) return;
      this.reconnects++;
      this.state = 'rejoining';
      this.enqueue(() => this.reconnect());
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('signaling did not accept the connection within 15 s')), 15_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (error: Error & { data?: ErrorBody }) => {
        clearTimeout(timer);
        this.lastError = error.data ?? { code: 'INTERNAL', message: error.message };
        this.state = 'failed';
        reject(Object.assign(new Error(`${this.lastError.code}: ${this.lastError.message}`), { body: this.lastError }));
      });
    });
  }

  /** The connection dropped: try each instance in turn (for up to 15 s), then join again. */
  private async reconnect(): Promise<void> {
    await this.closeMedia();
    const urls = [...(this.options.fallbackUrls ?? []), this.options.url];
    const deadline = Date.now() + 15_000;
    for (let attempt = 0; ; attempt++) {
      if (this.state === 'ended') return;
      try {
        await this.connect(urls[attempt % urls.length]!);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    this.state = 'rejoining';
    await this.join();
  }

  /**
   * Cut this seat's network for `ms` (media and signaling, see networkCut.ts), then restore it.
   * Resolves when the link is back; what the seat does about it is its normal behaviour.
   */
  async cutNetwork(ms: number): Promise<void> {
    const pcs = [this.sendPc, this.receiver?.pc].filter((pc): pc is RTCPeerConnection => pc !== undefined);
    const engine = this.socket?.io.engine as unknown as { transport?: { ws?: { _socket?: import('node:net').Socket } } } | undefined;
    const cut = cutNetwork(pcs, engine?.transport?.ws?._socket);
    await new Promise((r) => setTimeout(r, ms));
    cut.restore();
  }

  async stop(): Promise<void> {
    if (this.state === 'ended') return;
    this.state = 'ended';
    await this.closeMedia();
    this.socket?.disconnect();
  }

  /** What this seat currently receives (consumer ids, for tests that talk to the SFU directly). */
  get consumers(): MediaReceiver['consumers'] {
    return this.receiver?.consumers ?? [];
  }

  /** Cumulative receive totals by kind (all consumers so far, across rejoins). */
  snapshot(): BotSnapshot {
    const live = this.receiver ? [...this.receiver.meters.values()].map((m) => ({ kind: m.kind, totals: m.totals })) : [];
    const sum = (kind: 'audio' | 'video'): InboundTotals => {
      const totals = [...this.closedTotals, ...live].filter((t) => t.kind === kind).map((t) => t.totals);
      return totals.reduce((a, t) => ({ expected: a.expected + t.expected, received: a.received + t.received, recovered: a.recovered + t.recovered, bytes: a.bytes + t.bytes }), { expected: 0, received: 0, recovered: 0, bytes: 0 });
    };
    return { at: performance.now(), audio: sum('audio'), video: sum('video'), sent: this.sender?.stats };
  }

  /** What arrived between two snapshots: residual loss (after retransmission), bitrate, packets. */
  static window(from: BotSnapshot, to: BotSnapshot): BotWindow {
    const seconds = (to.at - from.at) / 1000;
    const of = (kind: 'audio' | 'video') => {
      const expected = to[kind].expected - from[kind].expected;
      const received = to[kind].received - from[kind].received;
      return {
        lossRatio: expected > 0 ? Math.max(0, expected - received) / expected : 0,
        bitrate: ((to[kind].bytes - from[kind].bytes) * 8) / seconds,
        packets: received,
        recovered: to[kind].recovered - from[kind].recovered,
      };
    };
    return { seconds, audio: of('audio'), video: of('video') };
  }

  /** The SFU's RTP capabilities this bot accepts: Opus and VP8, no RTX, the extensions it reads. */
  private receiveCapabilities(router: ms.RtpCapabilities): ms.RtpCapabilities {
    const feedback = this.options.bandwidthFeedback ?? true;
    const wantedExtensions = feedback ? /sdes:mid|abs-send-time|transport-wide-cc/ : /sdes:mid|abs-send-time/;
    return {
      codecs: (router.codecs ?? [])
        .filter((c) => c.mimeType === 'audio/opus' || c.mimeType === 'video/VP8')
        .map((c) => ({ ...c, rtcpFeedback: (c.rtcpFeedback ?? []).filter((fb) => fb.type !== 'goog-remb' && (feedback || fb.type !== 'transport-cc')) })),
      headerExtensions: (router.headerExtensions ?? []).filter((h) => wantedExtensions.test(h.uri)),
    };
  }

  private async join(): Promise<void> {
    if (this.state === 'ended') return;
    const info = await this.request('join', {});
    this.info = info;
    this.role = info.role;
    this.joinMs ??= performance.now() - this.startedAt;
    if (this.options.send !== false) await this.startSending();
    const recv = await this.request('createTransport', { direction: 'recv' });
    this.receiver = new MediaReceiver(
      recv,
      async (dtlsParameters) => {
        await this.request('connectTransport', { transportId: recv.transportId, dtlsParameters: dtlsParameters as never });
      },
      this.options.receiveMode,
    );
    this.watchFirstVideo(this.receiver);
    for (const producer of info.peerProducers) await this.consume(producer.producerId, producer.source);
    this.state = 'joined';
  }

  private async startSending(): Promise<void> {
    const params = await this.request('createTransport', { direction: 'send' });
    const pc = (this.sendPc = createBotPeer());
    pc.addTransceiver('audio', { direction: 'sendonly' });
    pc.addTransceiver('video', { direction: 'sendonly' });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const sections = offeredSections(offer.sdp);
    const codecFor = (kind: ms.MediaKind, payloadType: number): ms.RtpCodecParameters =>
      kind === 'audio' ? { mimeType: 'audio/opus', payloadType, clockRate: 48000, channels: 2 } : { mimeType: 'video/VP8', payloadType, clockRate: 90000 };
    const answer = remoteSdp(
      params as TransportParameters,
      sections.map((s) => ({ mid: s.mid, kind: s.kind, direction: 'recvonly', codecs: [codecFor(s.kind, s.payloadTypes[0]!)], headerExtensions: [] })),
      'passive',
      1,
    );
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await this.request('connectTransport', { transportId: params.transportId, dtlsParameters: localDtlsParameters(offer.sdp) as never });
    const dtls = pc.dtlsTransports[0];
    if (!dtls) throw new Error('werift created no DTLS transport for sending');
    if (dtls.state !== 'connected') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the send transport did not connect within 10 s')), 10_000);
        dtls.onStateChange.subscribe((state) => {
          if (state === 'connected') resolve();
          if (state === 'failed' || state === 'closed') reject(new Error(`send transport ${state}`));
          if (state !== 'connecting') clearTimeout(timer);
        });
      });
    }
    const mids = { audio: sections.find((s) => s.kind === 'audio')!.mid, video: sections.find((s) => s.kind === 'video')!.mid };
    const sender = (this.sender = new ClipSender(this.options.clip, dtls, mids, { simulcast: this.options.simulcast ?? false }));
    sender.start();
    await this.request('produce', { transportId: params.transportId, kind: 'audio', source: 'microphone', rtpParameters: sender.audioRtpParameters as never });
    await this.request('produce', {
      transportId: params.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: sender.videoRtpParameters as never,
      captureHeight: sender.videoHeight,
    });
  }

  private async consume(producerId: string, source: ProducerInfo['source']): Promise<void> {
    const receiver = this.receiver;
    if (!receiver || !this.info || this.state === 'ended') return;
    const consumer: ConsumerParameters = await this.request('consume', {
      producerId,
      rtpCapabilities: this.receiveCapabilities(this.info.routerRtpCapabilities) as never,
    });
    await receiver.add({ ...consumer, source });
    await this.request('resumeConsumer', { consumerId: consumer.consumerId });
    if (consumer.kind === 'video' && this.options.viewport) {
      await this.request('setConsumerPreferences', { consumerId: consumer.consumerId, viewport: this.options.viewport });
    }
  }

  private watchFirstVideo(receiver: MediaReceiver): void {
    const timer = setInterval(() => {
      const video = [...receiver.meters.values()].find((m) => m.kind === 'video' && m.firstPacketAt !== undefined);
      if (video || this.receiver !== receiver) clearInterval(timer);
      if (video && this.firstVideoMs === undefined) this.firstVideoMs = video.firstPacketAt! - this.startedAt;
    }, 20);
  }

  private async closeMedia(): Promise<void> {
    this.sender?.stop();
    this.sender = undefined;
    if (this.receiver) {
      for (const meter of this.receiver.meters.values()) this.closedTotals.push({ kind: meter.kind, totals: meter.totals });
      await this.receiver.close().catch(() => undefined);
      this.receiver = undefined;
    }
    await this.sendPc?.close().catch(() => undefined);
    this.sendPc = undefined;
  }

  private enqueue(task: () => Promise<void>): void {
    this.joinQueue = this.joinQueue.then(task).catch((error: unknown) => {
      this.lastError = isErrorBody(error) ? error : { code: 'INTERNAL', message: String(error) };
      if (this.state !== 'ended') this.state = 'failed';
    });
  }

  private async request<E extends keyof MeetingClientEvents>(
    event: E,
    payload: Parameters<MeetingClientEvents[E]>[0],
  ): Promise<Exclude<AckOf<E>, { error: ErrorBody }>> {
    const socket = this.socket;
    if (!socket) throw new Error('not connected');
    const timed = socket.timeout(15_000) as unknown as { emitWithAck(event: E, payload: unknown): Promise<AckOf<E>> };
    const ack = await timed.emitWithAck(event, payload);
    if (ack && typeof ack === 'object' && 'error' in ack && ack.error) throw ack.error;
    return ack as Exclude<AckOf<E>, { error: ErrorBody }>;
  }
}

type AckOf<E extends keyof MeetingClientEvents> = Parameters<Parameters<MeetingClientEvents[E]>[1]>[0] extends Ack<infer T> ? Ack<T> : never;

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
