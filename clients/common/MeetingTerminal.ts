import type { DeviceAssignment, ErrorBody, MeetingEndReason } from '@huijian/signaling/protocol';
import { DeviceChannel } from './DeviceChannel';
import { tokenNotBefore } from './deviceCredential';
import { Emitter } from './Emitter';
import { MeetingSession, type MediaSource } from './MeetingSession';

/** Where a terminal is in its day. */
export type TerminalPhase =
  | { phase: 'idle' }
  /** A meeting is assigned; it opens at `opensAt` (server clock). */
  | { phase: 'assigned'; assignment: DeviceAssignment; opensAt: number }
  | { phase: 'meeting'; assignment: DeviceAssignment; session: MeetingSession }
  /** `byMe`: this terminal ended it early. */
  | { phase: 'ended'; assignment: DeviceAssignment; reason: MeetingEndReason; byMe: boolean }
  /** The device credential or a meeting was refused for good (the code says why). */
  | { phase: 'refused'; error: ErrorBody; assignment?: DeviceAssignment };

export type LocalMediaTracks = Partial<Record<MediaSource, MediaStreamTrack>>;

export interface MeetingTerminalOptions {
  credential: string;
  /** The tracks to send when the meeting opens (the screen opens the devices and shows failures). */
  openMedia: (assignment: DeviceAssignment) => Promise<LocalMediaTracks>;
  origin?: string;
}

/**
 * A station seat terminal or a booth kiosk over one day: it hears its assignment on the device
 * channel, joins by itself when the meeting opens, and leaves at the end. UI-free: screens listen
 * to its phases and to the session it hands them.
 */
export class MeetingTerminal extends Emitter<{ phase: [state: TerminalPhase]; online: [online: boolean] }> {
  private readonly channel: DeviceChannel;
  private assignment: DeviceAssignment | null = null;
  private clockSkewMs = 0;
  private current: TerminalPhase = { phase: 'idle' };
  private pendingStart: ReturnType<typeof setTimeout> | undefined;
  private session: MeetingSession | undefined;
  private endingByMe = false;
  /** Meetings this terminal has finished: an old assignment never starts them again. */
  private readonly finished = new Set<string>();

  constructor(private readonly options: MeetingTerminalOptions) {
    super();
    this.channel = new DeviceChannel(options.credential, options.origin);
  }

  get state(): TerminalPhase {
    return this.current;
  }

  /** The server's clock, as the device channel told it. */
  serverNow(): number {
    return Date.now() + this.clockSkewMs;
  }

  start(): void {
    this.channel.on('assignment', (assignment, info) => {
      this.assignment = assignment;
      this.clockSkewMs = info.clockSkewMs;
      this.advance();
    });
    this.channel.on('refused', (error) => this.set({ phase: 'refused', error }));
    this.channel.on('connected', (online) => this.emit('online', online));
    this.channel.start();
  }

  /** End the meeting for both sides now. */
  async endMeeting(): Promise<void> {
    this.endingByMe = true;
    await this.session?.endMeeting();
  }

  /** Leave the end screen: show the next assignment, or idle. */
  dismissEnd(): void {
    if (this.current.phase !== 'ended' && this.current.phase !== 'refused') return;
    this.set({ phase: 'idle' });
    this.advance();
  }

  private set(state: TerminalPhase): void {
    this.current = state;
    this.emit('phase', state);
  }

  /** Decide what to do with the latest assignment. */
  private advance(): void {
    clearTimeout(this.pendingStart);
    const now = this.current;
    // In a meeting, or on the end screen until the screen dismisses it: nothing to decide.
    if (now.phase === 'meeting' || now.phase === 'ended') return;
    if (now.phase === 'refused') {
      // A refused device (revoked credential) stays refused; a refused meeting gives way to another one.
      const refusedMeeting = now.assignment?.meetingId;
      if (!refusedMeeting || !this.assignment || this.assignment.meetingId === refusedMeeting) return;
    }
    const assignment = this.assignment;
    if (!assignment || this.finished.has(assignment.meetingId)) {
      if (this.current.phase !== 'idle') this.set({ phase: 'idle' });
      return;
    }
    const opensAt = tokenNotBefore(assignment.token) ?? assignment.startsAt;
    const wait = opensAt - this.serverNow();
    if (wait > 0) {
      this.set({ phase: 'assigned', assignment, opensAt });
      // Re-check at least every minute (a long wait may outlive a clock adjustment).
      this.pendingStart = setTimeout(() => this.advance(), Math.min(wait + 250, 60_000));
      return;
    }
    void this.startMeeting(assignment);
  }

  private async startMeeting(assignment: DeviceAssignment): Promise<void> {
    const { meetingId } = assignment;
    let media: LocalMediaTracks;
    this.set({ phase: 'assigned', assignment, opensAt: this.serverNow() });
    try {
      media = await this.options.openMedia(assignment);
    } catch {
      media = {};
    }
    if (this.assignment?.meetingId !== meetingId) {
      this.advance();
      return;
    }
    const session = new MeetingSession({
      credential: this.options.credential,
      // The device channel may re-issue the token (an extension); reconnections use the newest.
      token: () => (this.assignment?.meetingId === meetingId ? this.assignment.token : assignment.token),
      media,
      ...(this.options.origin ? { origin: this.options.origin } : {}),
    });
    this.session = session;
    this.endingByMe = false;
    session.on('state', (state, detail) => {
      if (this.session !== session) return;
      if (state === 'ended') {
        this.finish(meetingId);
        this.set({ phase: 'ended', assignment, reason: typeof detail === 'string' ? detail : 'closed_by_server', byMe: this.endingByMe });
      } else if (state === 'refused') {
        this.finish(meetingId);
        this.set({ phase: 'refused', error: typeof detail === 'object' ? detail : { code: 'INTERNAL', message: 'refused' }, assignment });
      }
    });
    this.set({ phase: 'meeting', assignment, session });
    session.start();
  }

  private finish(meetingId: string): void {
    this.finished.add(meetingId);
    this.session = undefined;
  }
}
