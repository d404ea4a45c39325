import type { Logger } from 'pino';
import type { ControlHandlers } from '../control/ControlServer';
import { ControlError } from '../control/ControlError';
import type { EventPublisher } from '../control/EventPublisher';
import type { GuardViolationKind } from '../control/events';
import type { SfuMetrics } from '../health/metrics';
import type { PooledWorker, WorkerPool } from '../workers/WorkerPool';
import { guardWorker, MeetingRoom, type MeetingRoomSettings } from './MeetingRoom';

export interface MeetingServiceOptions extends MeetingRoomSettings {
  /** A meeting with no seat connected for this long is closed (signaling re-creates it on the next join). */
  idleMeetingMs: number;
}

/**
 * The meetings hosted by this node and the handlers of every control operation on them; moves
 * meetings off a dead worker, closes a meeting the guard caught, drains on shutdown.
 */
export class MeetingService {
  private readonly rooms = new Map<string, MeetingRoom>();
  private readonly opening = new Map<string, Promise<MeetingRoom>>();
  private readonly idleSince = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private drainDeadline = Infinity;
  draining = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly options: MeetingServiceOptions,
    private readonly events: EventPublisher,
    private readonly metrics: SfuMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const worker of this.pool.workers) this.guard(worker);
    this.pool.on('workerDied', (dead) => void this.onWorkerDied(dead));
    this.pool.on('workerReplaced', (replacement) => this.guard(replacement));
    this.sweepTimer = setInterval(() => this.closeIdleMeetings(), Math.min(30_000, Math.max(1000, this.options.idleMeetingMs / 4)));
    this.sweepTimer.unref();
  }

  get meetingCount(): number {
    return this.rooms.size;
  }

  get consumerCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.consumerCount;
    return count;
  }

  get mediaObjectCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.mediaObjectCount;
    return count;
  }

  /** The open meetings, for health sampling. */
  meetings(): MeetingRoom[] {
    return [...this.rooms.values()];
  }

  /** Meetings with a seat still connected. */
  get occupiedCount(): number {
    return this.meetings().filter((room) => room.occupied).length;
  }

  /**
   * Take no new meetings; resolve when no meeting has a seat connected or at `deadline` (epoch ms),
   * whichever comes first. Returns how many meetings were still occupied at the end.
   */
  async drain(deadline: number): Promise<number> {
    this.draining = true;
    this.drainDeadline = deadline;
    this.metrics.draining.set(1);
    this.events.publish({ type: 'nodeDraining', deadline });
    while (this.occupiedCount > 0 && Date.now() < this.drainDeadline) await new Promise((r) => setTimeout(r, 100));
    return this.occupiedCount;
  }

  /** End a drain now (a second signal). */
  hurryDrain(): void {
    this.drainDeadline = 0;
  }

  /** Close every meeting; `reason` is published for each one that still had a seat. */
  closeAll(reason?: 'drain_deadline'): void {
    clearInterval(this.sweepTimer);
    for (const room of this.rooms.values()) {
      if (reason && room.occupied) {
        this.metrics.meetingsClosed.inc({ reason });
        this.events.publish({ type: 'meetingClosed', meetingId: room.meetingId, reason });
      }
      room.close();
    }
    this.rooms.clear();
  }

  readonly handlers: ControlHandlers = {
    createMeeting: async ({ meetingId }) => {
      const room = await this.openRoom(meetingId);
      return { routerRtpCapabilities: room.rtpCapabilities };
    },
    closeMeeting: async ({ meetingId, reason }) => {
      const room = this.rooms.get(meetingId);
      room?.close();
      this.rooms.delete(meetingId);
      if (room) this.log.info({ meetingId, reason }, 'meeting closed');
      return { closed: room !== undefined };
    },
    createTransport: ({ meetingId, seat, direction }) => this.inRoom(meetingId, (room) => room.createTransport(seat, direction)),
    connectTransport: ({ meetingId, seat, transportId, dtlsParameters }) =>
      this.inRoom(meetingId, async (room) => {
        await room.connectTransport(seat, transportId, dtlsParameters);
        return { connected: true as const };
      }),
    restartIce: ({ meetingId, seat, transportId }) =>
      this.inRoom(meetingId, async (room) => ({ iceParameters: await room.restartIce(seat, transportId) })),
    produce: (args) => this.inRoom(args.meetingId, async (room) => ({ producerId: await room.produce(args) })),
    closeProducer: ({ meetingId, seat, producerId }) => this.inRoom(meetingId, async (room) => ({ closed: room.closeProducer(seat, producerId) })),
    consume: ({ meetingId, seat, producerId, rtpCapabilities }) =>
      this.inRoom(meetingId, (room) => room.consume(seat, producerId, rtpCapabilities as Parameters<MeetingRoom['consume']>[2])),
    pauseConsumer: ({ meetingId, seat, consumerId }) =>
      this.inRoom(meetingId, async (room) => {
        await room.pauseConsumer(seat, consumerId);
        return { paused: true as const };
      }),
    resumeConsumer: ({ meetingId, seat, consumerId }) =>
      this.inRoom(meetingId, async (room) => {
        await room.resumeConsumer(seat, consumerId);
        return { resumed: true as const };
      }),
    requestKeyFrame: ({ meetingId, seat, consumerId }) =>
      this.inRoom(meetingId, async (room) => ({ requested: await room.requestKeyFrame(seat, consumerId) })),
    setConsumerPreferences: ({ meetingId, seat, consumerId, viewport, downlinkBps }) =>
      this.inRoom(meetingId, async (room) => ({ preferredLayers: await room.setConsumerPreferences(seat, consumerId, { viewport, downlinkBps }) })),
    listProducers: ({ meetingId }) => this.inRoom(meetingId, async (room) => ({ producers: room.producers() })),
    getStats: ({ meetingId }) => this.inRoom(meetingId, (room) => room.health()),
    census: ({ meetingId }) => this.inRoom(meetingId, async (room) => room.census()),
    leaveSeat: async ({ meetingId, seat }) => ({ left: this.rooms.get(meetingId)?.leaveSeat(seat) ?? false }),
  };

  private async openRoom(meetingId: string, recreating = false): Promise<MeetingRoom> {
    const existing = this.rooms.get(meetingId);
    if (existing) return existing;
    if (this.draining && !recreating) throw new ControlError('NODE_DRAINING', 'this SFU node is draining and takes no new meetings');
    let pending = this.opening.get(meetingId);
    if (!pending) {
      pending = this.pool
        .leastLoaded()
        .then((host) => MeetingRoom.open(meetingId, host, this.options, (kind, detail) => this.onViolation(meetingId, kind, detail)));
      this.opening.set(meetingId, pending);
    }
    try {
      const room = await pending;
      if (!room.closed) this.rooms.set(meetingId, room);
      this.log.info({ meetingId, worker: room.host.index }, recreating ? 'meeting re-created' : 'meeting opened');
      return room;
    } finally {
      this.opening.delete(meetingId);
    }
  }

  /** Run an operation on an open meeting; mediasoup errors on a meeting closed meanwhile become MEETING_CLOSED. */
  private async inRoom<T>(meetingId: string, operation: (room: MeetingRoom) => Promise<T>): Promise<T> {
    const room = this.rooms.get(meetingId);
    if (!room) throw new ControlError('MEETING_NOT_FOUND', 'no such meeting on this SFU node');
    try {
      return await operation(room);
    } catch (error) {
      if (error instanceof ControlError) throw error;
      if (room.closed) throw new ControlError('MEETING_CLOSED', 'the meeting was closed');
      if (isRefusedInput(error)) throw new ControlError('BAD_REQUEST', `mediasoup refused the request: ${(error as Error).message.slice(0, 160)}`);
      throw error;
    }
  }

  private guard(worker: PooledWorker): void {
    guardWorker(worker.worker, (kind, detail) => this.onViolation(undefined, kind, detail));
  }

  private onViolation(meetingId: string | undefined, violation: GuardViolationKind, detail: string): void {
    this.metrics.guardViolations.inc({ violation });
    this.log.fatal({ meetingId, violation, detail }, 'GUARD VIOLATION: something the meeting did not create reached its router; meeting closed');
    this.events.publish({ type: 'guardViolation', meetingId, violation, detail });
    if (!meetingId) return;
    this.rooms.delete(meetingId);
    this.metrics.meetingsClosed.inc({ reason: 'guard_violation' });
    this.events.publish({ type: 'meetingClosed', meetingId, reason: 'guard_violation' });
  }

  /** Re-create the dead worker's meetings on live workers and ask their seats to rejoin. */
  private async onWorkerDied(dead: PooledWorker): Promise<void> {
    this.metrics.workerDeaths.inc();
    this.events.publish({ type: 'workerDied', worker: dead.index, pid: dead.worker.pid });
    const lost = [...this.rooms.values()].filter((room) => room.host === dead);
    for (const room of lost) {
      room.close();
      this.rooms.delete(room.meetingId);
    }
    await Promise.all(
      lost.map(async ({ meetingId }) => {
        try {
          const room = await this.openRoom(meetingId, true);
          this.metrics.meetingsRecreated.inc();
          this.events.publish({ type: 'meetingRecreated', meetingId, worker: room.host.index });
        } catch (error) {
          this.log.error({ meetingId, err: (error as Error).message }, 're-creating a meeting after a worker death failed');
        }
      }),
    );
  }

  private closeIdleMeetings(): void {
    const now = Date.now();
    for (const room of this.rooms.values()) {
      if (room.occupied) {
        this.idleSince.delete(room.meetingId);
        continue;
      }
      const since = this.idleSince.get(room.meetingId) ?? now;
      this.idleSince.set(room.meetingId, since);
      if (now - since < this.options.idleMeetingMs) continue;
      room.close();
      this.rooms.delete(room.meetingId);
      this.idleSince.delete(room.meetingId);
      this.metrics.meetingsClosed.inc({ reason: 'idle' });
      this.events.publish({ type: 'meetingClosed', meetingId: room.meetingId, reason: 'idle' });
    }
    for (const meetingId of this.idleSince.keys()) if (!this.rooms.has(meetingId)) this.idleSince.delete(meetingId);
  }
}

/**
 * mediasoup's refusals of bad requests (invalid or unsupported RTP/DTLS parameters, a MID or SSRC
 * already in use, a transport connected twice): the caller's fault, answered as BAD_REQUEST
 * rather than INTERNAL.
 */
function isRefusedInput(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'TypeError' || error.name === 'UnsupportedError' || /already exists|already called|not found in|invalid/i.test(error.message);
}
