import { Device } from 'mediasoup-client';
import type { types as msc } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import {
  MEETING_NAMESPACE,
  PROTOCOL_VERSION,
  finalRefusalCodes,
  type Ack,
  type E2eeMessage,
  type ErrorBody,
  type JoinResult,
  type MeetingClientEvents,
  type MeetingEndReason,
  type MeetingServerEvents,
  type Role,
} from '@huijian/signaling/protocol';
import { EndToEndEncryption, type CodeToCompare, type EncryptionState } from './e2ee/EndToEndEncryption';
import type { FrameStats } from './e2ee/frameStats';
import { Emitter } from './Emitter';

type MediaSource = 'microphone' | 'camera' | 'document';

export type SessionState = 'connecting' | 'joined' | 'reconnecting' | 'ended' | 'refused';

export interface RemoteMedia {
  producerId: string;
  source: MediaSource;
  track: MediaStreamTrack;
}

export type MeetingSessionEvents = {
  state: [state: SessionState, detail?: ErrorBody | MeetingEndReason];
  joined: [info: JoinResult];
  remoteTrack: [media: RemoteMedia];
  remoteTrackEnded: [producerId: string];
  peer: [present: boolean];
  /** The server will end the meeting at `endsAt` (epoch ms, server clock). */
  slotWarning: [info: { endsAt: number; secondsLeft: number }];
  slotExtended: [endsAt: number];
  /** End-to-end encryption of this session (see EndToEndEncryption). */
  encryption: [state: EncryptionState];
  /** The short code of the key exchange in force, to compare aloud; again when the lawyer confirms it. */
  shortCode: [code: CodeToCompare];
  /** Frame counters of the encryption worker, every second. */
  frameStats: [stats: FrameStats];
};

export interface MeetingSessionOptions {
  /** This terminal's device credential. */
  credential: string;
  /** The current booking token for this device; read at every (re)connection, so a re-issued one is used. */
  token: () => string;
  /** Signaling origin; the page's own by default. */
  origin?: string;
  /** Local tracks to send, by source. */
  media: Partial<Record<MediaSource, MediaStreamTrack>>;
  /**
   * Send the camera as three simulcast layers so the SFU can fit each receiver's viewport and
   * downlink (see videoEncodings). Off by default for now: docs/sfu.md says why and when to turn it on.
   */
  simulcast?: boolean;
}

/**
 * One seat's side of a meeting over the signaling protocol and mediasoup-client: joins, sends the
 * local tracks, receives the other seat's. No UI here; screens listen to its events.
 */
export class MeetingSession extends Emitter<MeetingSessionEvents> {
  private readonly socket: Socket<MeetingServerEvents, MeetingClientEvents>;
  private device: Device | undefined;
  private sendTransport: msc.Transport | undefined;
  private recvTransport: msc.Transport | undefined;
  private readonly consumers = new Map<string, msc.Consumer>();
  /** Viewports reported for received videos (by producer), in device pixels. */
  private readonly viewports = new Map<string, { width: number; height: number }>();
  private readonly producers = new Map<MediaSource, msc.Producer>();
  private info: JoinResult | undefined;
  private ended = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** The other seat's producers announced while this side was still setting up its transports. */
  private readonly announced = new Map<string, MediaSource>();
  private readonly consuming = new Set<string>();
  /** Keys and transforms of the current join; a new one (new keys) on every join. */
  private e2ee: EndToEndEncryption | undefined;
  /** Key-exchange messages that arrived before this join's encryption was set up. */
  private readonly earlyE2eeMessages: E2eeMessage[] = [];

  constructor(private readonly options: MeetingSessionOptions) {
    super();
    this.socket = io(`${options.origin ?? location.origin}${MEETING_NAMESPACE}`, {
      // A function, so every reconnection presents the latest token (the gate runs again each time).
      auth: (send) => send({ protocol: PROTOCOL_VERSION, credential: options.credential, token: options.token() }),
      transports: ['websocket'],
      autoConnect: false,
    });
  }

  get role(): Role | undefined {
    return this.info?.role;
  }

  get joinInfo(): JoinResult | undefined {
    return this.info;
  }

  get encryption(): EndToEndEncryption | undefined {
    return this.e2ee;
  }

  start(): void {
    this.emit('state', 'connecting');
    this.socket.on('connect', () => void this.join().catch((error: unknown) => this.fail(error)));
    this.socket.on('connect_error', (error: Error & { data?: ErrorBody }) => {
      const body = error.data ?? { code: 'INTERNAL', message: error.message };
      if (finalRefusalCodes.has(body.code)) {
        this.socket.disconnect();
        this.emit('state', 'refused', body);
        return;
      }
      this.emit('state', 'reconnecting', body);
      // Socket.IO retries transport failures itself, but not a refusal by the server (not open yet,
      // lawyer not checked in, rate limited): try again a little later.
      if (!this.socket.active && !this.ended) {
        this.retry = setTimeout(() => this.socket.connect(), body.code === 'RATE_LIMITED' ? 30_000 : 5000);
      }
    });
    this.socket.on('disconnect', (reason) => {
      this.closeMedia();
      if (!this.ended && reason !== 'io client disconnect') this.emit('state', 'reconnecting');
    });
    this.socket.on('peerJoined', () => {
      // Either seat (re)joining means a new key exchange, started by the lawyer's page.
      if (this.info?.role === 'lawyer') this.e2ee?.startExchange();
      this.emit('peer', true);
    });
    this.socket.on('e2eeMessage', (message) => {
      if (this.e2ee) this.e2ee.receive(message);
      else if (this.earlyE2eeMessages.length < 16) this.earlyE2eeMessages.push(message);
    });
    this.socket.on('codeConfirmed', ({ exchangeId }) => this.e2ee?.codeConfirmed(exchangeId));
    this.socket.on('peerLeft', () => {
      for (const producerId of [...this.consumers.keys()]) this.dropConsumer(producerId);
      this.emit('peer', false);
    });
    this.socket.on('peerProduced', ({ producerId, source }) => {
      if (!this.recvTransport) this.announced.set(producerId, source);
      else void this.consume(producerId, source).catch((e: unknown) => this.fail(e));
    });
    this.socket.on('peerProducerClosed', ({ producerId }) => {
      this.announced.delete(producerId);
      this.dropConsumer(producerId);
    });
    this.socket.on('slotWarning', (info) => this.emit('slotWarning', info));
    this.socket.on('slotExtended', ({ endsAt }) => {
      if (this.info) this.info = { ...this.info, slot: { ...this.info.slot, endsAt } };
      this.emit('slotExtended', endsAt);
    });
    this.socket.on('meetingEnded', ({ reason }) => this.end(reason));
    // The server closes this connection next; Socket.IO reconnects (to another instance) and `connect` joins again.
    this.socket.on('serverDraining', () => this.emit('state', 'reconnecting'));
    // The meeting's media server restarted or moved: same connection, fresh transports.
    this.socket.on('rejoin', () => {
      this.closeMedia();
      this.emit('state', 'reconnecting');
      void this.join().catch((error: unknown) => this.fail(error));
    });
    window.addEventListener('resize', this.onResize);
    this.socket.connect();
  }

  /** End the meeting for both sides now (before the slot ends). */
  async endMeeting(): Promise<void> {
    if (this.socket.connected) await this.request('endMeeting', {}).catch(() => undefined);
    this.end('ended_by_peer');
  }

  /**
   * The lawyer's verdict on the short code both people read aloud: `true` records it as
   * confirmed; `false` ends the meeting for both sides and raises an alarm.
   */
  async confirmCode(match: boolean): Promise<void> {
    const code = this.e2ee?.code;
    if (!code) throw new Error('no short code to confirm yet');
    const { confirmed } = await this.request('confirmCode', { exchangeId: code.exchangeId, match });
    if (confirmed) this.e2ee?.codeConfirmed(code.exchangeId);
  }

  /** Ask to run into the next slot (lawyer only); resolves with the new end, rejects with the refusal. */
  async extend(): Promise<number> {
    const { endsAt } = await this.request('extendMeeting', {});
    return endsAt;
  }

  /**
   * Report how large a received video is shown (device pixels); the SFU then forwards the smallest
   * layer that fills it. Until a screen calls this, the window's size stands for every video.
   */
  setViewport(producerId: string, viewport: { width: number; height: number }): void {
    this.viewports.set(producerId, viewport);
    const consumer = this.consumers.get(producerId);
    if (consumer) void this.sendViewport(consumer);
  }

  private readonly onResize = debounce(() => {
    for (const consumer of this.consumers.values()) void this.sendViewport(consumer);
  }, 500);

  private async sendViewport(consumer: msc.Consumer): Promise<void> {
    if (consumer.kind !== 'video' || consumer.closed) return;
    const dpr = window.devicePixelRatio || 1;
    const viewport = this.viewports.get(consumer.producerId) ?? { width: window.innerWidth * dpr, height: window.innerHeight * dpr };
    const rounded = { width: Math.round(viewport.width), height: Math.round(viewport.height) };
    await this.request('setConsumerPreferences', { consumerId: consumer.id, viewport: rounded }).catch(() => undefined);
  }

  private async join(): Promise<void> {
    const info = await this.request('join', {});
    this.info = info;
    const e2ee = this.startEncryption(info);
    if (e2ee.state === 'unavailable') {
      // The meeting requires end-to-end encryption and this browser cannot do it: no media at all.
      this.refuse({ code: 'E2EE_UNAVAILABLE', message: 'this browser cannot encrypt media end to end' });
      return;
    }
    this.device = await Device.factory();
    await this.device.load({ routerRtpCapabilities: info.routerRtpCapabilities as msc.RtpCapabilities });
    if (e2ee.required && !this.encryptedVideoCodec()) {
      e2ee.giveUp();
      this.refuse({ code: 'E2EE_UNAVAILABLE', message: 'this browser cannot send VP8, the codec encrypted video uses' });
      return;
    }
    this.sendTransport = await this.createTransport('send');
    this.recvTransport = await this.createTransport('recv');
    this.emit('joined', info);
    this.emit('state', 'joined');
    this.emit('peer', info.peerPresent);
    if (info.role === 'lawyer' && info.peerPresent) e2ee.startExchange();
    // Receivers are protected from their first frame, so the other seat's media may be consumed at once.
    for (const producer of info.peerProducers) this.announced.set(producer.producerId, producer.source);
    for (const [producerId, source] of [...this.announced]) {
      this.announced.delete(producerId);
      await this.consume(producerId, source);
    }
    // Nothing is sent before end-to-end encryption is active (unless the meeting's policy is off).
    if (!(await e2ee.whenMediaMayStart()) || this.e2ee !== e2ee) return;
    for (const [source, track] of Object.entries(this.options.media) as [MediaSource, MediaStreamTrack][]) {
      await this.produce(source, track);
    }
  }

  private startEncryption(info: JoinResult): EndToEndEncryption {
    this.e2ee?.close();
    const e2ee = new EndToEndEncryption({
      seat: info.role,
      meetingId: info.meetingId,
      policy: info.e2ee.policy,
      send: (message) => void this.request('e2eeMessage', message).catch((error: unknown) => this.fail(error)),
      report: (status) => void this.request('e2eeStatus', status).catch(() => undefined),
    });
    this.e2ee = e2ee;
    e2ee.on('state', (state) => this.emit('encryption', state));
    e2ee.on('code', (code) => this.emit('shortCode', code));
    e2ee.on('stats', (stats) => this.emit('frameStats', stats));
    this.emit('encryption', e2ee.state);
    for (const message of this.earlyE2eeMessages.splice(0)) e2ee.receive(message);
    return e2ee;
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<msc.Transport> {
    const params = await this.request('createTransport', { direction });
    const options = {
      id: params.transportId,
      iceParameters: params.iceParameters as msc.IceParameters,
      iceCandidates: params.iceCandidates as msc.IceCandidate[],
      dtlsParameters: params.dtlsParameters as msc.DtlsParameters,
      // TURN with per-meeting credentials, for networks where UDP/TCP to the SFU is blocked.
      iceServers: this.info?.iceServers ?? [],
      iceTransportPolicy: this.info?.iceTransportPolicy ?? 'all',
      additionalSettings: this.e2ee?.peerConnectionSettings ?? {},
    };
    const transport = direction === 'send' ? this.device!.createSendTransport(options) : this.device!.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => callback(), errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = appData.source as MediaSource;
        const captureHeight = appData.captureHeight as number | undefined;
        this.request('produce', { transportId: transport.id, kind, source, rtpParameters: rtpParameters as never, ...(captureHeight ? { captureHeight } : {}) }).then(
          ({ producerId }) => callback({ id: producerId }),
          errback,
        );
      });
    }
    return transport;
  }

  private async produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    const isVideo = track.kind === 'video';
    const captureHeight = isVideo ? track.getSettings().height : undefined;
    const e2ee = this.e2ee;
    const codec = isVideo && e2ee?.required ? this.encryptedVideoCodec() : undefined;
    const producer = await this.sendTransport!.produce({
      track,
      // The page owns its tracks: a rejoin or reconnection produces them again.
      stopTracks: false,
      appData: { source, captureHeight },
      ...(codec ? { codec } : {}),
      // The transform is attached before the sender is negotiated: no frame leaves unprotected.
      onRtpSender: (sender) => e2ee?.protectSender(sender, isVideo ? 'video' : 'audio'),
      ...(isVideo
        ? { encodings: videoEncodings(source, captureHeight ?? 720, this.options.simulcast ?? false), codecOptions: { videoGoogleStartBitrate: 1500 } }
        : { codecOptions: { opusFec: true, opusDtx: true } }),
    });
    if (isVideo) await preferResolution(producer);
    this.producers.set(source, producer);
  }

  /** The codec encrypted video is sent with (see EndToEndEncryption.videoMimeType), if this device can. */
  private encryptedVideoCodec(): msc.RtpCodecCapability | undefined {
    return this.device?.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === EndToEndEncryption.videoMimeType.toLowerCase());
  }

  private async consume(producerId: string, source: MediaSource): Promise<void> {
    const transport = this.recvTransport;
    if (!transport || !this.device || this.consumers.has(producerId) || this.consuming.has(producerId)) return;
    this.consuming.add(producerId);
    try {
      const params = await this.request('consume', { producerId, rtpCapabilities: this.device.recvRtpCapabilities as never });
      const e2ee = this.e2ee;
      const consumer = await transport.consume({
        id: params.consumerId,
        producerId: params.producerId,
        kind: params.kind,
        rtpParameters: params.rtpParameters as msc.RtpParameters,
        onRtpReceiver: (receiver) => e2ee?.protectReceiver(receiver, params.kind),
      });
      this.consumers.set(producerId, consumer);
      await this.request('resumeConsumer', { consumerId: consumer.id });
      await this.sendViewport(consumer);
      this.emit('remoteTrack', { producerId, source, track: consumer.track });
    } finally {
      this.consuming.delete(producerId);
    }
  }

  private dropConsumer(producerId: string): void {
    const consumer = this.consumers.get(producerId);
    if (!consumer) return;
    consumer.close();
    this.consumers.delete(producerId);
    this.emit('remoteTrackEnded', producerId);
  }

  private closeMedia(): void {
    this.e2ee?.close();
    this.e2ee = undefined;
    this.earlyE2eeMessages.length = 0;
    this.announced.clear();
    for (const producerId of [...this.consumers.keys()]) this.dropConsumer(producerId);
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = undefined;
  }

  private end(reason: MeetingEndReason): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.retry);
    window.removeEventListener('resize', this.onResize);
    this.closeMedia();
    this.socket.disconnect();
    this.emit('state', 'ended', reason);
  }

  private refuse(body: ErrorBody): void {
    this.ended = true;
    clearTimeout(this.retry);
    this.closeMedia();
    this.socket.disconnect();
    this.emit('state', 'refused', body);
  }

  private fail(error: unknown): void {
    const body: ErrorBody = isErrorBody(error) ? error : { code: 'INTERNAL', message: String(error) };
    this.emit('state', 'reconnecting', body);
  }

  private async request<E extends keyof MeetingClientEvents>(
    event: E,
    payload: Parameters<MeetingClientEvents[E]>[0],
  ): Promise<Exclude<AckResult<E>, { error: ErrorBody }>> {
    // Socket.IO's typings cannot spread a generic event's parameters; the payload type is checked by this signature.
    const timed = this.socket.timeout(10_000) as unknown as { emitWithAck(event: E, payload: unknown): Promise<AckResult<E>> };
    const ack = await timed.emitWithAck(event, payload);
    if (ack && typeof ack === 'object' && 'error' in ack && ack.error) throw ack.error;
    return ack as Exclude<AckResult<E>, { error: ErrorBody }>;
  }
}

type AckResult<E extends keyof MeetingClientEvents> = Parameters<Parameters<MeetingClientEvents[E]>[1]>[0] extends Ack<infer T> ? Ack<T> : never;

/**
 * With simulcast the camera goes out as three layers (¼, ½ and full size, three temporal layers
 * each), so the SFU can give a small viewport or a weak downlink a lower layer instead of
 * freezing; otherwise as one layer. The top layer gets more room at 1080p. A document is always
 * one sharp layer.
 */
function videoEncodings(source: MediaSource, captureHeight: number, simulcast: boolean): msc.RtpEncodingParameters[] {
  const topBitrate = captureHeight >= 1080 ? 4_500_000 : 2_500_000;
  if (source === 'document') return [{ maxBitrate: 2_500_000, maxFramerate: 15 }];
  if (!simulcast) return [{ maxBitrate: topBitrate, maxFramerate: 30 }];
  return [
    { scaleResolutionDownBy: 4, maxBitrate: 150_000, maxFramerate: 30, scalabilityMode: 'L1T3' },
    { scaleResolutionDownBy: 2, maxBitrate: 500_000, maxFramerate: 30, scalabilityMode: 'L1T3' },
    { scaleResolutionDownBy: 1, maxBitrate: topBitrate, maxFramerate: 30, scalabilityMode: 'L1T3' },
  ];
}

function debounce(run: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
}

/** Keep the camera at full resolution and let the frame rate give way first under pressure. */
async function preferResolution(producer: msc.Producer): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  const parameters = sender.getParameters();
  parameters.degradationPreference = 'maintain-resolution';
  await sender.setParameters(parameters);
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
