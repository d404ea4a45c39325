import type { BookingClaims, BookingTokens } from '../auth/BookingTokens';
import { PROTOCOL_VERSION, type Role } from '../protocol';
import { meetingHandshakeSchema } from '../protocol/schemas';
import { SignalingError } from '../SignalingError';
import type { MeetingRecord, MeetingStore } from '../store/MeetingStore';

/** Who a connection is, once the gate has let it through. */
export interface Admission {
  meetingId: string;
  role: Role;
  bookingId: string;
  tokenId: string;
  deviceId: string | undefined;
  meeting: MeetingRecord;
}

/**
 * The only door into a meeting. Runs on every (re)connection: the protocol version, the booking
 * token, and the meeting's own state and time window must all hold.
 */
export class MeetingGate {
  constructor(
    private readonly tokens: BookingTokens,
    private readonly meetings: MeetingStore,
    private readonly joinLeadMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(handshakeAuth: unknown): Promise<Admission> {
    const auth = meetingHandshakeSchema.safeParse(handshakeAuth);
    if (!auth.success) {
      const token = (handshakeAuth as { token?: unknown } | undefined)?.token;
      if (token === undefined || token === '') throw new SignalingError('TOKEN_MISSING', 'a booking token is required');
      throw new SignalingError('BAD_REQUEST', 'the handshake must carry { protocol, token }');
    }
    if (auth.data.protocol !== PROTOCOL_VERSION) {
      throw new SignalingError(
        'PROTOCOL_VERSION_MISMATCH',
        `this client speaks protocol ${auth.data.protocol}; the server speaks ${PROTOCOL_VERSION}. Reload the page to update.`,
      );
    }
    const claims = this.tokens.verify(auth.data.token);
    const meeting = await this.meetings.get(claims.mid);
    if (!meeting || meeting.bookingId !== claims.sub) throw new SignalingError('MEETING_NOT_FOUND', 'this meeting does not exist');
    this.checkWindow(meeting);
    return admissionOf(claims, meeting);
  }

  private checkWindow(meeting: MeetingRecord): void {
    const now = this.now();
    if (meeting.status !== 'scheduled') throw new SignalingError('MEETING_NOT_ACTIVE', `this meeting is ${meeting.status}`);
    if (now < meeting.startsAt - this.joinLeadMs) throw new SignalingError('MEETING_NOT_ACTIVE', 'this meeting has not opened yet');
    if (now >= meeting.endsAt) throw new SignalingError('MEETING_NOT_ACTIVE', 'this meeting slot has ended');
  }
}

function admissionOf(claims: BookingClaims, meeting: MeetingRecord): Admission {
  return {
    meetingId: claims.mid,
    role: claims.role,
    bookingId: claims.sub,
    tokenId: claims.jti,
    deviceId: claims.dev,
    meeting,
  };
}
