import type { types as ms } from 'mediasoup';
import type {
  ConsumerParameters,
  ControlRequest,
  MediaSource,
  ProducerInfo,
  Seat,
  SeatCensus,
  TransportDirection,
  TransportParameters,
} from '../control/contract';
import { ControlError } from '../control/ControlError';
import type { PooledWorker } from '../workers/WorkerPool';
import { meetingMediaCodecs } from './mediaCodecs';

export interface MeetingRoomSettings {
  maxIncomingBitrate: number;
  initialAvailableOutgoingBitrate: number;
}

interface SeatMedia {
  transports: Map<TransportDirection, ms.WebRtcTransport>;
  producers: Map<string, { producer: ms.Producer; source: MediaSource }>;
  consumers: Map<string, ms.Consumer>;
}

const seats: readonly Seat[] = ['lawyer', 'detainee'];

/** Which sources each seat may send, and of which kind. The document stream is the lawyer's only. */
const allowedSources: Record<Seat, Partial<Record<MediaSource, ms.MediaKind>>> = {
  lawyer: { microphone: 'audio', camera: 'video', document: 'video' },
  detainee: { microphone: 'audio', camera: 'video' },
};

/**
 * A meeting: one mediasoup router and exactly two seats. Each seat has at most one send and one
 * receive WebRtcTransport; a seat consumes only the other seat's producers, on its own receive
 * transport. Nothing else can be attached to the router from here.
 */
export class MeetingRoom {
  private readonly seatMedia = new Map<Seat, SeatMedia>(seats.map((seat) => [seat, emptySeat()]));
  private closed = false;

  private constructor(
    readonly meetingId: string,
    readonly host: PooledWorker,
    private readonly router: ms.Router,
    private readonly settings: MeetingRoomSettings,
  ) {}

  static async open(meetingId: string, host: PooledWorker, settings: MeetingRoomSettings): Promise<MeetingRoom> {
    const router = await host.worker.createRouter({ mediaCodecs: meetingMediaCodecs, appData: { meetingId } });
    host.meetings++;
    return new MeetingRoom(meetingId, host, router, settings);
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    return this.router.rtpCapabilities;
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
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.host.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: this.settings.initialAvailableOutgoingBitrate,
      appData: { seat, direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(this.settings.maxIncomingBitrate);
    media.transports.set(direction, transport);
    transport.observer.once('close', () => {
      if (media.transports.get(direction) === transport) media.transports.delete(direction);
    });
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
    const { seat, transportId, kind, source, rtpParameters } = args;
    const media = this.media(seat);
    const transport = this.transport(seat, transportId);
    if (transport.appData.direction !== 'send') throw new ControlError('FORBIDDEN', 'media can only be produced on a send transport');
    if (allowedSources[seat][source] !== kind) throw new ControlError('FORBIDDEN', `the ${seat} seat cannot send ${kind} as ${source}`);
    for (const existing of media.producers.values()) {
      if (existing.source === source) throw new ControlError('LIMIT_EXCEEDED', `the ${seat} seat already sends ${source}`);
    }
    const producer = await transport.produce({ kind, rtpParameters: rtpParameters as ms.RtpParameters, appData: { seat, source } });
    media.producers.set(producer.id, { producer, source });
    producer.observer.once('close', () => media.producers.delete(producer.id));
    return producer.id;
  }

  closeProducer(seat: Seat, producerId: string): boolean {
    const entry = this.media(seat).producers.get(producerId);
    entry?.producer.close();
    return entry !== undefined;
  }

  async consume(seat: Seat, producerId: string, rtpCapabilities: ms.RtpCapabilities): Promise<ConsumerParameters> {
    const other = otherSeat(seat);
    const source = this.media(other).producers.get(producerId);
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
      if (existing.producerId === producerId) existing.close();
    }
    const consumer = await transport.consume({ producerId, rtpCapabilities, paused: true, appData: { seat } });
    media.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => media.consumers.delete(consumer.id));
    return {
      consumerId: consumer.id,
      producerId,
      kind: consumer.kind,
      source: source.source,
      rtpParameters: consumer.rtpParameters,
    };
  }

  async resumeConsumer(seat: Seat, consumerId: string): Promise<void> {
    const consumer = this.media(seat).consumers.get(consumerId);
    if (!consumer) throw new ControlError('CONSUMER_NOT_FOUND', 'no such consumer on this seat');
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame();
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
    if (this.closed) return;
    this.closed = true;
    this.router.close();
    this.host.meetings--;
  }

  private media(seat: Seat): SeatMedia {
    return this.seatMedia.get(seat)!;
  }

  private transport(seat: Seat, transportId: string): ms.WebRtcTransport {
    for (const transport of this.media(seat).transports.values()) {
      if (transport.id === transportId) return transport;
    }
    throw new ControlError('TRANSPORT_NOT_FOUND', 'no such transport on this seat');
  }
}

function emptySeat(): SeatMedia {
  return { transports: new Map(), producers: new Map(), consumers: new Map() };
}

export function otherSeat(seat: Seat): Seat {
  return seat === 'lawyer' ? 'detainee' : 'lawyer';
}
