import type { Logger } from 'pino';
import type { ControlHandlers } from '../control/ControlServer';
import { ControlError } from '../control/ControlError';
import type { WorkerPool } from '../workers/WorkerPool';
import { MeetingRoom, type MeetingRoomSettings } from './MeetingRoom';

/** The meetings hosted by this node, and the control operations on them. */
export class MeetingService {
  private readonly rooms = new Map<string, MeetingRoom>();
  private readonly opening = new Map<string, Promise<MeetingRoom>>();
  draining = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly settings: MeetingRoomSettings,
    private readonly log: Logger,
  ) {}

  get meetingCount(): number {
    return this.rooms.size;
  }

  get mediaObjectCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.mediaObjectCount;
    return count;
  }

  closeAll(): void {
    for (const room of this.rooms.values()) room.close();
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
    createTransport: async ({ meetingId, seat, direction }) => this.room(meetingId).createTransport(seat, direction),
    connectTransport: async ({ meetingId, seat, transportId, dtlsParameters }) => {
      await this.room(meetingId).connectTransport(seat, transportId, dtlsParameters);
      return { connected: true };
    },
    restartIce: async ({ meetingId, seat, transportId }) => ({
      iceParameters: await this.room(meetingId).restartIce(seat, transportId),
    }),
    produce: async (args) => ({ producerId: await this.room(args.meetingId).produce(args) }),
    closeProducer: async ({ meetingId, seat, producerId }) => ({ closed: this.room(meetingId).closeProducer(seat, producerId) }),
    consume: async ({ meetingId, seat, producerId, rtpCapabilities }) =>
      this.room(meetingId).consume(seat, producerId, rtpCapabilities as Parameters<MeetingRoom['consume']>[2]),
    resumeConsumer: async ({ meetingId, seat, consumerId }) => {
      await this.room(meetingId).resumeConsumer(seat, consumerId);
      return { resumed: true };
    },
    listProducers: async ({ meetingId }) => ({ producers: this.room(meetingId).producers() }),
    census: async ({ meetingId }) => this.room(meetingId).census(),
    leaveSeat: async ({ meetingId, seat }) => ({ left: this.rooms.get(meetingId)?.leaveSeat(seat) ?? false }),
  };

  private async openRoom(meetingId: string): Promise<MeetingRoom> {
    const existing = this.rooms.get(meetingId);
    if (existing) return existing;
    if (this.draining) throw new ControlError('NODE_DRAINING', 'this SFU node is draining and takes no new meetings');
    let pending = this.opening.get(meetingId);
    if (!pending) {
      pending = MeetingRoom.open(meetingId, this.pool.leastLoaded(), this.settings);
      this.opening.set(meetingId, pending);
    }
    try {
      const room = await pending;
      this.rooms.set(meetingId, room);
      this.log.info({ meetingId, worker: room.host.index }, 'meeting opened');
      return room;
    } finally {
      this.opening.delete(meetingId);
    }
  }

  private room(meetingId: string): MeetingRoom {
    const room = this.rooms.get(meetingId);
    if (!room) throw new ControlError('MEETING_NOT_FOUND', 'no such meeting on this SFU node');
    return room;
  }
}
