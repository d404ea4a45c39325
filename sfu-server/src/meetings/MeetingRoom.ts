import type { types as ms } from 'mediasoup';
import type {
  ConsumerParameters,
  ControlRequest,
  MediaSource,
  PreferredLayers,
  ProducerInfo,
  Seat,
  SeatCensus,
  TransportDirection,
  TransportParameters,
} from '../control/contract';
import { ControlError } from '../control/ControlError';
import type { GuardViolationKind } from '../control/events';
import type { MeetingHealth, SeatHealth, StreamHealth, TransportHealth } from '../control/healthReport';
import type { PooledWorker } from '../workers/WorkerPool';
import { meetingMediaCodecs } from './mediaCodecs';
import { choosePreferredLayers, spatialLayersOf } from './preferredLayers';
import { allowedSources, maxProducers, maxTransportsPerMeeting, otherSeat, seats } from './seatRules';

/*
 * THE ONLY DOOR TO MEDIASOUP'S ROUTER, TRANSPORT, PRODUCER AND CONSUMER APIS.
 *
 * Every other file of sfu-server and signaling reaches a meeting's media through the methods of
 * MeetingRoom below, which offer only what a two-seat meeting needs: WebRtcTransports for the two
 * seats, their producers, and consumers of the *other* seat's producers on a seat's own receive
 * transport. Nothing here creates another kind of transport, pipes to another router, observes
 * RTP, or opens data channels; a static test (forbiddenApis.test.ts) keeps those names out of the
 * product code, and the watch below catches at run time anything that reaches the router another
 * way: an object the room did not create (or one too many) closes the meeting and is reported
 * as a guard violation.
 */

export interface MeetingRoomSettings {
  maxIncomingBitrate: number;
  initialAvailableOutgoingBitrate: number;
}

export type ViolationHandler = (kind: GuardViolationKind, detail: string) => void;

interface SeatMedia {
  transports: Map<TransportDirection, ms.WebRtcTransport>;
  producers: Map<string, { producer: ms.Producer; source: MediaSource; captureHeight?: number }>;
  consumers: Map<string, { consumer: ms.Consumer; source: MediaSource }>;
}

/**
 * Creations the code has asked mediasoup for and whose observer event has not come yet. An
 * observer event that finds none pending announces something nobody here created.
 */
class Expectations {
  private pending = 0;

  async expect<T>(create: () => Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await create();
    } catch (error) {
      this.pending--;
      throw error;
    }
  }

  claim(): boolean {
    if (this.pending === 0) return false;
    this.pending--;
    return true;
  }
}

const routerExpectations = new WeakMap<ms.Worker, Expectations>();

function expectationsOf(worker: ms.Worker): Expectations {
  let expectations = routerExpectations.get(worker);
  if (!expectations) routerExpectations.set(worker, (expectations = new Expectations()));
  return expectations;
}

/**
 * Watch a worker for routers that no meeting created: such a router is closed at once and
 * reported. Call once per worker, before any meeting is opened on it.
 */
export function guardWorker(worker: ms.Worker, onViolation: ViolationHandler): void {
  const expectations = expectationsOf(worker);
  worker.observer.on('newrouter', (router) => {
    if (expectations.claim()) return;
    router.close();
    onViolation('foreign_router', 'a router no meeting created appeared on the worker');
  });
}

/**
 * A meeting: one mediasoup router and exactly two seats. Each seat has at most one send and one
 * receive WebRtcTransport; a seat consumes only the other seat's producers, on its own receive
 * transport. Nothing else can be attached to the router from here.
 */
export class MeetingRoom {
  private readonly seatMedia = new Map<Seat, SeatMedia>(seats.map((seat) => [seat, emptySeat()]));
  private readonly expected = { transports: new Expectations(), producers: new Expectations(), consumers: new Expectations() };
  private closedFlag = false;

  private constructor(
    readonly meetingId: string,
    readonly host: PooledWorker,
    private readonly router: ms.Router,
    private readonly settings: MeetingRoomSettings,
    private readonly onViolation: ViolationHandler,
  ) {
    this.watch();
  }

  static async open(meetingId: string, host: PooledWorker, settings: MeetingRoomSettings, onViolation: ViolationHandler): Promise<MeetingRoom> {
    const router = await expectationsOf(host.worker).expect(() => host.worker.createRouter({ mediaCodecs: meetingMediaCodecs, appData: { meetingId } }));
    host.meetings++;
    const room = new MeetingRoom(meetingId, host, router, settings, onViolation);
    router.observer.once('close', () => room.markClosed());
    return room;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  /** Whether either seat has a transport (someone is, or was just, connected). */
  get occupied(): boolean {
    return seats.some((seat) => this.media(seat).transports.size > 0);
  }

  get consumerCount(): number {
    return seats.reduce((sum, seat) => sum + this.media(seat).consumers.size, 0);
  }

  /** Transports + producers + consumers: the load this meeting puts on its worker. */
  get mediaObjectCount(): number {
    let count = 0;
    for (const media of this.seatMedia.values()) count += media.transports.size + media.producers.size + media.consumers.size;
    return count;
  }

  async createTransport(seat: Seat, direction: TransportDirection): Promise<TransportParameters> {
    const media = this.media(seat);
    media.transports.get(direction)?.close();
    const transport = await this.expected.transports.expect(() =>
      this.router.createWebRtcTransport({
        webRtcServer: this.host.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: this.settings.initialAvailableOutgoingBitrate,
        appData: { seat, direction },
      }),
    );
    this.assertOpen();
    media.transports.set(direction, transport);
    transport.observer.once('close', () => {
      if (media.transports.get(direction) === transport) media.transports.delete(direction);
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(this.settings.maxIncomingBitrate);
    return {
      transportId: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(seat: Seat, transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    await this.transport(seat, transportId).connect({ dtlsParameters });
  }

  async restartIce(seat: Seat, transportId: string): Promise<ms.IceParameters> {
    return this.transport(seat, transportId).restartIce();
  }

  async produce(args: ControlRequest<'produce'>): Promise<string> {
    const { seat, transportId, kind, source, rtpParameters, captureHeight } = args;
    const media = this.media(seat);
    const transport = this.transport(seat, transportId);
    if (transport.appData.direction !== 'send') throw new ControlError('FORBIDDEN', 'media can only be produced on a send transport');
    if (allowedSources[seat][source] !== kind) throw new ControlError('FORBIDDEN', `the ${seat} seat cannot send ${kind} as ${source}`);
    for (const existing of media.producers.values()) {
      if (existing.source === source) throw new ControlError('LIMIT_EXCEEDED', `the ${seat} seat already sends ${source}`);
    }
    const producer = await this.expected.producers.expect(() =>
      transport.produce({ kind, rtpParameters: rtpParameters as ms.RtpParameters, appData: { seat, source } }),
    );
    this.assertOpen();
    media.producers.set(producer.id, { producer, source, captureHeight });
    producer.observer.once('close', () => media.producers.delete(producer.id));
    return producer.id;
  }

  closeProducer(seat: Seat, producerId: string): boolean {
    const entry = this.media(seat).producers.get(producerId);
    entry?.producer.close();
    return entry !== undefined;
  }

  async consume(seat: Seat, producerId: string, rtpCapabilities: ms.RtpCapabilities): Promise<ConsumerParameters> {
    const source = this.media(otherSeat(seat)).producers.get(producerId);
    if (!source) {
      if (this.media(seat).producers.has(producerId)) throw new ControlError('FORBIDDEN', 'a seat cannot consume its own media');
      throw new ControlError('PRODUCER_NOT_FOUND', 'no such producer on the other seat');
    }
    const media = this.media(seat);
    const transport = media.transports.get('recv');
    if (!transport) throw new ControlError('TRANSPORT_NOT_FOUND', 'create a receive transport before consuming');
    if (!this.router.canConsume({ producerId, rtpCapabilities })) {
      throw new ControlError('CANNOT_CONSUME', 'the receiver cannot decode this producer');
    }
    for (const existing of media.consumers.values()) {
      if (existing.consumer.producerId === producerId) existing.consumer.close();
    }
    const consumer = await this.expected.consumers.expect(() =>
      transport.consume({ producerId, rtpCapabilities, paused: true, appData: { seat, source: source.source } }),
    );
    this.assertOpen();
    media.consumers.set(consumer.id, { consumer, source: source.source });
    consumer.observer.once('close', () => media.consumers.delete(consumer.id));
    return {
      consumerId: consumer.id,
      producerId,
      kind: consumer.kind,
      source: source.source,
      rtpParameters: consumer.rtpParameters,
    };
  }

  async pauseConsumer(seat: Seat, consumerId: string): Promise<void> {
    await this.consumer(seat, consumerId).pause();
  }

  async resumeConsumer(seat: Seat, consumerId: string): Promise<void> {
    const consumer = this.consumer(seat, consumerId);
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame();
  }

  async requestKeyFrame(seat: Seat, consumerId: string): Promise<boolean> {
    const consumer = this.consumer(seat, consumerId);
    if (consumer.kind !== 'video') return false;
    await consumer.requestKeyFrame();
    return true;
  }

  /** Preferred layers from the receiver's viewport and downlink; null for a single-layer video. */
  async setConsumerPreferences(
    seat: Seat,
    consumerId: string,
    preferences: { viewport?: { width: number; height: number }; downlinkBps?: number },
  ): Promise<PreferredLayers | null> {
    const consumer = this.consumer(seat, consumerId);
    if (consumer.kind !== 'video' || (consumer.type !== 'simulcast' && consumer.type !== 'svc')) return null;
    const producer = this.media(otherSeat(seat)).producers.get(consumer.producerId);
    if (!producer) throw new ControlError('PRODUCER_NOT_FOUND', 'the consumed producer is gone');
    const { layers, temporalLayers } = spatialLayersOf(producer.producer.rtpParameters.encodings ?? [], producer.captureHeight ?? 720);
    const preferred = choosePreferredLayers({
      layers,
      temporalLayers,
      viewportHeight: preferences.viewport?.height,
      downlinkBps: preferences.downlinkBps,
    });
    await consumer.setPreferredLayers(preferred);
    return preferred;
  }

  producers(): ProducerInfo[] {
    const list: ProducerInfo[] = [];
    for (const seat of seats) {
      for (const { producer, source } of this.media(seat).producers.values()) {
        list.push({ producerId: producer.id, seat, kind: producer.kind, source });
      }
    }
    return list;
  }

  /** What the router holds for each seat, counted. */
  census(): Record<Seat, SeatCensus> {
    const count = (seat: Seat): SeatCensus => {
      const media = this.media(seat);
      return { transports: media.transports.size, producers: media.producers.size, consumers: media.consumers.size };
    };
    return { lawyer: count('lawyer'), detainee: count('detainee') };
  }

  /** Close everything the seat has; the other seat's consumers of it close with it. */
  leaveSeat(seat: Seat): boolean {
    const media = this.media(seat);
    const hadMedia = media.transports.size > 0;
    for (const transport of media.transports.values()) transport.close();
    return hadMedia;
  }

  close(): void {
    if (this.closedFlag) return;
    this.router.close();
  }

  /** Health numbers of both seats (see healthReport.ts). */
  async health(): Promise<MeetingHealth> {
    const entries = await Promise.all(seats.map(async (seat) => [seat, await this.seatHealth(seat)] as const));
    return { meetingId: this.meetingId, worker: this.host.index, seats: Object.fromEntries(entries) as Record<Seat, SeatHealth> };
  }

  private async seatHealth(seat: Seat): Promise<SeatHealth> {
    const media = this.media(seat);
    const [send, recv, inbound, outbound] = await Promise.all([
      transportHealth(media.transports.get('send')),
      transportHealth(media.transports.get('recv')),
      Promise.all([...media.producers.values()].map(({ producer, source }) => producerHealth(producer, source))),
      Promise.all([...media.consumers.values()].map(({ consumer, source }) => consumerHealth(consumer, source))),
    ]);
    return { present: media.transports.size > 0, send, recv, inbound: inbound.filter(isDefined), outbound: outbound.filter(isDefined) };
  }

  private markClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.host.meetings--;
  }

  /** The run-time half of the guard: every object that appears on the router must be one we asked for. */
  private watch(): void {
    this.router.observer.on('newrtpobserver', () => this.violate('rtp_observer', 'an RTP observer was created on the meeting router'));
    this.router.observer.on('newtransport', (transport) => {
      if (transport.type !== 'webrtc') return this.violate('foreign_transport', `a ${transport.type} transport was created on the meeting router`);
      if (!this.expected.transports.claim()) return this.violate('foreign_transport', 'a WebRtcTransport the meeting did not create appeared');
      const live = seats.reduce((sum, seat) => sum + this.media(seat).transports.size, 0);
      if (live + 1 > maxTransportsPerMeeting) return this.violate('transport_limit', `more than ${maxTransportsPerMeeting} transports on the meeting router`);
      transport.observer.on('newproducer', () => this.checkProducer(transport));
      transport.observer.on('newconsumer', (consumer) => this.checkConsumer(transport, consumer));
      transport.observer.on('newdataproducer', () => this.violate('data_channel', 'a data producer was created on a seat transport'));
      transport.observer.on('newdataconsumer', () => this.violate('data_channel', 'a data consumer was created on a seat transport'));
    });
  }

  private checkProducer(transport: ms.Transport): void {
    if (!this.expected.producers.claim()) return this.violate('foreign_producer', 'a producer the meeting did not create appeared');
    const seat = transport.appData.seat as Seat;
    if (transport.appData.direction !== 'send') return this.violate('foreign_producer', 'a producer appeared on a receive transport');
    if (this.media(seat).producers.size + 1 > maxProducers(seat)) return this.violate('foreign_producer', `more producers than the ${seat} seat may send`);
  }

  private checkConsumer(transport: ms.Transport, consumer: ms.Consumer): void {
    if (!this.expected.consumers.claim()) return this.violate('foreign_consumer', 'a consumer the meeting did not create appeared');
    const seat = transport.appData.seat as Seat;
    if (transport.appData.direction !== 'recv' || this.media(seat).transports.get('recv') !== transport) {
      return this.violate('foreign_consumer', 'a consumer appeared outside a seat receive transport');
    }
    if (!this.media(otherSeat(seat)).producers.has(consumer.producerId)) {
      return this.violate('foreign_consumer', 'a consumer of something other than the other seat appeared');
    }
  }

  private violate(kind: GuardViolationKind, detail: string): void {
    if (this.closedFlag) return;
    this.close();
    this.onViolation(kind, detail);
  }

  private assertOpen(): void {
    if (this.closedFlag) throw new ControlError('MEETING_CLOSED', 'the meeting was closed');
  }

  private media(seat: Seat): SeatMedia {
    return this.seatMedia.get(seat)!;
  }

  private transport(seat: Seat, transportId: string): ms.WebRtcTransport {
    this.assertOpen();
    for (const transport of this.media(seat).transports.values()) {
      if (transport.id === transportId) return transport;
    }
    throw new ControlError('TRANSPORT_NOT_FOUND', 'no such transport on this seat');
  }

  private consumer(seat: Seat, consumerId: string): ms.Consumer {
    this.assertOpen();
    const entry = this.media(seat).consumers.get(consumerId);
    if (!entry) throw new ControlError('CONSUMER_NOT_FOUND', 'no such consumer on this seat');
    return entry.consumer;
  }
}

function emptySeat(): SeatMedia {
  return { transports: new Map(), producers: new Map(), consumers: new Map() };
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** Stats of a closed object are simply absent from the sample. */
async function statsOrNothing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

async function transportHealth(transport: ms.WebRtcTransport | undefined): Promise<TransportHealth | undefined> {
  if (!transport) return undefined;
  const [stats] = (await statsOrNothing(() => transport.getStats())) ?? [];
  if (!stats) return undefined;
  return {
    iceState: stats.iceState,
    dtlsState: stats.dtlsState,
    bitrateIn: stats.recvBitrate,
    bitrateOut: stats.sendBitrate,
    availableOutgoingBitrate: stats.availableOutgoingBitrate,
    availableIncomingBitrate: stats.availableIncomingBitrate,
  };
}

async function producerHealth(producer: ms.Producer, source: MediaSource): Promise<StreamHealth | undefined> {
  const streams = await statsOrNothing(() => producer.getStats());
  if (!streams || streams.length === 0) return undefined;
  const sum = (pick: (s: ms.ProducerStat) => number) => streams.reduce((total, s) => total + pick(s), 0);
  const worst = streams.reduce((a, b) => (b.fractionLost > a.fractionLost ? b : a));
  return {
    source,
    kind: producer.kind,
    bitrate: sum((s) => s.bitrate),
    packetsLost: sum((s) => s.packetsLost),
    fractionLost: worst.fractionLost / 256,
    jitterMs: Math.max(...streams.map((s) => s.jitter)),
    rttMs: streams.find((s) => s.roundTripTime !== undefined)?.roundTripTime,
    nackCount: sum((s) => s.nackCount),
    pliCount: sum((s) => s.pliCount),
    firCount: sum((s) => s.firCount),
    score: Math.min(...producer.score.map((s) => s.score), 10),
    spatialLayers: producer.rtpParameters.encodings?.length ?? 1,
    paused: producer.paused,
  };
}

async function consumerHealth(consumer: ms.Consumer, source: MediaSource): Promise<StreamHealth | undefined> {
  const stats = await statsOrNothing(() => consumer.getStats());
  const outbound = stats?.find((s) => s.type === 'outbound-rtp');
  if (!outbound) return undefined;
  const clockRate = consumer.rtpParameters.codecs[0]?.clockRate ?? 90000;
  return {
    source,
    kind: consumer.kind,
    bitrate: outbound.bitrate,
    packetsLost: outbound.packetsLost,
    fractionLost: outbound.fractionLost / 256,
    jitterMs: (outbound.jitter * 1000) / clockRate,
    rttMs: outbound.roundTripTime,
    nackCount: outbound.nackCount,
    pliCount: outbound.pliCount,
    firCount: outbound.firCount,
    score: consumer.score.score,
    spatialLayer: consumer.currentLayers?.spatialLayer,
    temporalLayer: consumer.currentLayers?.temporalLayer,
    paused: consumer.paused || consumer.producerPaused,
  };
}
