import { ControlError, type ControlClient, type NodeDirectory } from '@huijian/sfu-server/control';
import type { types as ms } from 'mediasoup';
import type { Logger } from 'pino';
import { SignalingError } from '../SignalingError';
import type { MeetingStore } from '../store/MeetingStore';

export interface PlacedMeeting {
  nodeId: string;
  routerRtpCapabilities: ms.RtpCapabilities;
}

/** Puts each meeting on one live SFU node (the least loaded) and keeps it there while that node lives. */
export class SfuPlacement {
  constructor(
    private readonly nodes: NodeDirectory,
    private readonly control: ControlClient,
    private readonly meetings: MeetingStore,
    private readonly log: Logger,
  ) {}

  async ensure(meetingId: string): Promise<PlacedMeeting> {
    const current = await this.meetings.placement(meetingId);
    if (current && (await this.nodes.isLive(current))) {
      try {
        return await this.open(current, meetingId);
      } catch (error) {
        if (!(error instanceof ControlError) || !['NODE_UNAVAILABLE', 'TIMEOUT', 'NODE_DRAINING'].includes(error.code)) throw error;
        this.log.warn({ meetingId, nodeId: current, code: error.code }, 'placed SFU node unreachable; moving the meeting');
      }
    }
    const candidate = await this.nodes.leastLoaded();
    if (!candidate) throw new SignalingError('SFU_UNAVAILABLE', 'no media server is available; try again shortly');
    const nodeId = current ? await this.meetings.replacePlacement(meetingId, current, candidate.nodeId) : await this.meetings.place(meetingId, candidate.nodeId);
    return this.open(nodeId, meetingId);
  }

  private async open(nodeId: string, meetingId: string): Promise<PlacedMeeting> {
    const { routerRtpCapabilities } = await this.control.call(nodeId, 'createMeeting', { meetingId });
    return { nodeId, routerRtpCapabilities };
  }
}
