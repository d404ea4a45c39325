import { Device } from 'mediasoup-client';
import type { types as msc } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import {
  MEETING_NAMESPACE,
  PROTOCOL_VERSION,
  type Ack,
  type ErrorBody,
  type JoinResult,
  type MeetingClientEvents,
  type MeetingEndReason,
  type MeetingServerEvents,
  type Role,
} from '@huijian/signaling/protocol';
import { Emitter } from './Emitter';
import { HealthReporter, type MediaStats } from './HealthReporter';

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
};

export interface MeetingSessionOptions {
  token: string;
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

/** Error codes after which retrying the same token cannot help. */
const finalCodes = new Set(['PROTOCOL_VERSION_MISMATCH', 'MEETING_NOT_FOUND', 'MEETING_NOT_ACTIVE']);

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
  /** Numbers only, every 5 s, to signaling's ops feed. */
  private readonly health = new HealthReporter({
    stats: () => this.mediaStats(),
    send: (report) => void this.socket.emit('healthReport', report, () => undefined),
  });
  /** Viewports reported for received videos (by producer), in device pixels. */
  private readonly viewports = new Map<string, { width: number; height: number }>();
  private readonly producers = new Map<MediaSource, msc.Producer>();
  private info: JoinResult | undefined;
  private ended = false;

  constructor(private readonly options: MeetingSessionOptions) {
    super();
    this.socket = io(`${options.origin ?? location.origin}${MEETING_NAMESPACE}`, {
      auth: { protocol: PROTOCOL_VERSION, token: options.token },
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

  start(): void {
    this.emit('state', 'connecting');
    this.socket.on('connect', () => void this.join().catch((error: unknown) => this.fail(error)));
    this.socket.on('connect_error', (error: Error & { data?: ErrorBody }) => {
      const body = error.data ?? { code: 'INTERNAL', message: error.message };
      if (body.code.startsWith('TOKEN_') || finalCodes.has(body.code)) {
        this.socket.disconnect();
        this.emit('state', 'refused', body);
      } else {
        this.emit('state', 'reconnecting', body);
      }
    });
    this.socket.on('disconnect', (reason) => {
      this.closeMedia();
      if (!this.ended && reason !== 'io client disconnect') this.emit('state', 'reconnecting');
    });
    this.socket.on('peerJoined', () => this.emit('peer', true));
    this.socket.on('peerLeft', () => {
      for (const producerId of [...this.consumers.keys()]) this.dropConsumer(producerId);
      this.emit('peer', false);
    });
    this.socket.on('peerProduced', ({ producerId, source }) => {
      if (source === 'camera') this.health.expectFirstFrame(performance.now());
      void this.consume(producerId, source).catch((e: unknown) => this.fail(e));
    });
    this.socket.on('peerProducerClosed', ({ producerId }) => this.dropConsumer(producerId));
    this.socket.on('meetingEnded', ({ reason }) => this.end(reason));
    // The meeting's media server restarted or moved: same socket, fresh transports.
    this.socket.on('rejoin', () => {
      this.closeMedia();
      this.emit('state', 'reconnecting');
      void this.join().catch((error: unknown) => this.fail(error));
    });
    window.addEventListener('resize', this.onResize);
    this.socket.connect();
  }

  /** Leave the meeting on purpose. */
  async leave(): Promise<void> {
    if (this.socket.connected) await this.request('leave', {}).catch(() => undefined);
    this.end('ended_by_peer');
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
    const joinStartedAt = performance.now();
    const info = await this.request('join', {});
    this.info = info;
    this.device = await Device.factory();
    await this.device.load({ routerRtpCapabilities: info.routerRtpCapabilities as msc.RtpCapabilities });
    this.sendTransport = await this.createTransport('send');
    this.recvTransport = await this.createTransport('recv');
    this.health.start();
    if (info.peerProducers.some((p) => p.source === 'camera')) this.health.expectFirstFrame(joinStartedAt);
    this.emit('joined', info);
    this.emit('state', 'joined');
    this.emit('peer', info.peerPresent);
    for (const [source, track] of Object.entries(this.options.media) as [MediaSource, MediaStreamTrack][]) {
      await this.produce(source, track);
    }
    for (const producer of info.peerProducers) await this.consume(producer.producerId, producer.source);
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<msc.Transport> {
    const params = await this.request('createTransport', { direction });
    const options = {
      id: params.transportId,
      iceParameters: params.iceParameters as msc.IceParameters,
      iceCandidates: params.iceCandidates as msc.IceCandidate[],
      dtlsParameters: params.dtlsParameters as msc.DtlsParameters,
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
    const producer = await this.sendTransport!.produce({
      track,
      // The page owns its tracks: a rejoin or reconnection produces them again.
      stopTracks: false,
      appData: { source, captureHeight },
      ...(isVideo
        ? { encodings: videoEncodings(source, captureHeight ?? 720, this.options.simulcast ?? false), codecOptions: { videoGoogleStartBitrate: 1500 } }
        : { codecOptions: { opusFec: true, opusDtx: true } }),
    });
    if (isVideo) await preferResolution(producer);
    this.producers.set(source, producer);
  }

  private async consume(producerId: string, source: MediaSource): Promise<void> {
    if (!this.recvTransport || !this.device || this.consumers.has(producerId)) return;
    const params = await this.request('consume', { producerId, rtpCapabilities: this.device.recvRtpCapabilities as never });
    const consumer = await this.recvTransport.consume({
      id: params.consumerId,
      producerId: params.producerId,
      kind: params.kind,
      rtpParameters: params.rtpParameters as msc.RtpParameters,
      appData: { source },
    });
    this.consumers.set(producerId, consumer);
    await this.request('resumeConsumer', { consumerId: consumer.id });
    await this.sendViewport(consumer);
    this.emit('remoteTrack', { producerId, source, track: consumer.track });
  }

  /** This seat's camera and microphone as sent and the other side's as received, for the health reports. */
  private async mediaStats(): Promise<MediaStats> {
    const received = (source: MediaSource) => [...this.consumers.values()].find((c) => c.appData.source === source && !c.closed)?.getStats();
    const sent = (source: MediaSource) => {
      const producer = this.producers.get(source);
      return producer && !producer.closed ? producer.getStats() : undefined;
    };
    const [sentVideo, sentAudio, receivedVideo, receivedAudio] = await Promise.all([sent('camera'), sent('microphone'), received('camera'), received('microphone')]);
    return { sentVideo, sentAudio, receivedVideo, receivedAudio };
  }

  private dropConsumer(producerId: string): void {
    const consumer = this.consumers.get(producerId);
    if (!consumer) return;
    consumer.close();
    this.consumers.delete(producerId);
    this.emit('remoteTrackEnded', producerId);
  }

  private closeMedia(): void {
    for (const producerId of [...this.consumers.keys()]) this.dropConsumer(producerId);
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = undefined;
  }

  private end(reason: MeetingEndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.health.stop();
    window.removeEventListener('resize', this.onResize);
    this.closeMedia();
    this.socket.disconnect();
    this.emit('state', 'ended', reason);
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
