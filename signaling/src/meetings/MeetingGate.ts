import jwt from 'jsonwebtoken';
import type { BookingClaims, BookingTokens } from '../auth/BookingTokens';
import { credentialMissing, roleOfDeviceKind, type DeviceCredentials, type VerifiedDevice } from '../auth/DeviceCredentials';
import type { TokenRevocations } from '../auth/TokenRevocations';
import { PROTOCOL_VERSION, type ErrorCode, type Role } from '../protocol';
import { meetingHandshakeSchema, protocolAnnouncementSchema } from '../protocol/schemas';
import { SignalingError } from '../SignalingError';
import type { MeetingRecord, MeetingStore } from '../store/MeetingStore';

/** Who a connection is, once the gate has let it through. */
export interface Admission {
  meetingId: string;
  role: Role;
  bookingId: string;
  /** The booking token's `jti`. */
  tokenId: string;
  deviceId: string;
  credentialId: string;
  meeting: MeetingRecord;
}

/** What the gate learned about a connection before it decided, for the audit of a refusal. */
export interface GateTrace {
  deviceId?: string;
  meetingId?: string;
  bookingId?: string;
  role?: Role;
  tokenId?: string;
}

/** A handshake whose device proved its credential; the token is not checked yet. */
export interface IdentifiedDevice {
  device: VerifiedDevice;
  token: string;
}

export interface MeetingGateDeps {
  tokens: BookingTokens;
  credentials: DeviceCredentials;
  revocations: TokenRevocations;
  meetings: MeetingStore;
  /** How long before its slot a meeting opens. */
  joinLeadMs: number;
  now?: () => number;
}

/** Every handshake first announces its protocol version; another version is refused clearly. */
export function checkProtocolVersion(handshakeAuth: unknown): void {
  const announced = protocolAnnouncementSchema.safeParse(handshakeAuth);
  if (!announced.success) throw new SignalingError('BAD_REQUEST', 'the handshake must announce its { protocol } version');
  if (announced.data.protocol !== PROTOCOL_VERSION) {
    throw new SignalingError(
      'PROTOCOL_VERSION_MISMATCH',
      `this client speaks protocol ${announced.data.protocol}; the server speaks ${PROTOCOL_VERSION}. Reload the page to update.`,
    );
  }
}

/** Refusals that count as failed authentication for the abuse limits (not states a good device may meet). */
export function isAuthenticationFailure(code: ErrorCode): boolean {
  return (code.startsWith('TOKEN_') && code !== 'TOKEN_NOT_YET_VALID') || code.startsWith('DEVICE_CREDENTIAL') || code === 'DEVICE_REVOKED';
}

/**
 * The only door into a meeting. Runs on every connection and reconnection (recovered ones
 * included), in this order, and the first failure is the answer:
 *
 * 1. protocol version; 2. device credential; 3. booking token (ES256, kid, iss, aud, nbf, exp,
 * claims); 4. the token names this device, and its role fits the device's kind; 5. the meeting
 * exists for this booking, is not cancelled or ended, the token is not revoked, the meeting still
 * uses this device for this role; 6. now is inside the window (slot start minus the lead, to
 * slot end); 7. the booking is ready for this role (lawyer checked in, detainee seated);
 * 8. the seat is free or held by this same device (which is then replaced).
 */
export class MeetingGate {
  private readonly now: () => number;

  constructor(private readonly deps: MeetingGateDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Steps 1–2: the protocol version and the device's credential. */
  async identify(handshakeAuth: unknown, trace: GateTrace = {}): Promise<IdentifiedDevice> {
    checkProtocolVersion(handshakeAuth);
    const { credential, token } = handshakeAuth as { credential?: unknown; token?: unknown };
    if (credential === undefined || credential === '') throw credentialMissing();
    if (token === undefined || token === '') throw new SignalingError('TOKEN_MISSING', 'a booking token is required');
    const auth = meetingHandshakeSchema.safeParse(handshakeAuth);
    if (!auth.success) throw new SignalingError('BAD_REQUEST', 'the handshake must carry { protocol, credential, token } as bounded strings');
    const device = await this.deps.credentials.verify(auth.data.credential);
    trace.deviceId = device.deviceId;
    return { device, token: auth.data.token };
  }

  /** Steps 3–8, for a device that proved who it is. */
  async admit({ device, token }: IdentifiedDevice, trace: GateTrace = {}): Promise<Admission> {
    const claims = this.verifyToken(token, trace);
    Object.assign(trace, { meetingId: claims.mid, bookingId: claims.sub, role: claims.role, tokenId: claims.jti });
    if (claims.dev !== device.deviceId) {
      throw new SignalingError('TOKEN_DEVICE_MISMATCH', 'this booking token belongs to another terminal');
    }
    if (roleOfDeviceKind(device.kind) !== claims.role) {
      throw new SignalingError('TOKEN_ROLE_MISMATCH', `a ${device.kind} terminal cannot join as ${claims.role}`);
    }
    const meeting = await this.checkMeeting(claims.mid, claims.sub, claims.role, device.deviceId, claims.jti);
    const holder = await this.deps.meetings.seatHolder(meeting.meetingId, claims.role);
    if (holder && holder.deviceId !== device.deviceId) {
      throw new SignalingError('SEAT_TAKEN', `another terminal holds the ${claims.role} seat of this meeting`);
    }
    return admissionOf(claims, device, meeting);
  }

  /**
   * Re-check a live connection against what may have changed since it was admitted: the device's
   * credential, the meeting's state and window, the token's revocation, the device assignment.
   */
  async recheck(admission: Admission): Promise<MeetingRecord> {
    await this.deps.credentials.stillValid(admission.deviceId, admission.credentialId);
    return this.checkMeeting(admission.meetingId, admission.bookingId, admission.role, admission.deviceId, admission.tokenId);
  }

  private verifyToken(token: string, trace: GateTrace): BookingClaims {
    try {
      return this.deps.tokens.verify(token);
    } catch (error) {
      // Outside its window only: the signature was verified, so the claims are genuine and worth auditing.
      if (error instanceof SignalingError && (error.code === 'TOKEN_EXPIRED' || error.code === 'TOKEN_NOT_YET_VALID')) {
        const claims = jwt.decode(token, { json: true });
        Object.assign(trace, { meetingId: claims?.mid, bookingId: claims?.sub, role: claims?.role, tokenId: claims?.jti });
      }
      throw error;
    }
  }

  private async checkMeeting(meetingId: string, bookingId: string, role: Role, deviceId: string, tokenId: string): Promise<MeetingRecord> {
    const [meeting, end, revoked] = await Promise.all([
      this.deps.meetings.get(meetingId),
      this.deps.meetings.endOf(meetingId),
      this.deps.revocations.isRevoked(tokenId),
    ]);
    if (!meeting || meeting.bookingId !== bookingId) throw new SignalingError('MEETING_NOT_FOUND', 'this meeting does not exist');
    if (meeting.status === 'cancelled') throw new SignalingError('MEETING_CANCELLED', 'this meeting was cancelled');
    if (meeting.status === 'ended' || end) throw new SignalingError('MEETING_ENDED', 'this meeting has ended');
    if (revoked) throw new SignalingError('TOKEN_REVOKED', 'this booking token was withdrawn');
    const assigned = role === 'lawyer' ? meeting.seatDeviceId : meeting.boothDeviceId;
    if (assigned !== deviceId) throw new SignalingError('DEVICE_NOT_ASSIGNED', `this terminal is not the ${role} terminal of this meeting`);
    const now = this.now();
    if (now < meeting.startsAt - this.deps.joinLeadMs) throw new SignalingError('MEETING_NOT_OPEN', 'this meeting has not opened yet');
    if (now >= meeting.endsAt) throw new SignalingError('MEETING_ENDED', 'this meeting slot has ended');
    if (role === 'lawyer' && !meeting.lawyerCheckedIn) throw new SignalingError('LAWYER_NOT_CHECKED_IN', 'the lawyer has not been checked in yet');
    if (role === 'detainee' && !meeting.detaineeSeated) throw new SignalingError('DETAINEE_NOT_SEATED', 'the detainee has not been seated yet');
    return meeting;
  }
}

function admissionOf(claims: BookingClaims, device: VerifiedDevice, meeting: MeetingRecord): Admission {
  return {
    meetingId: claims.mid,
    role: claims.role,
    bookingId: claims.sub,
    tokenId: claims.jti,
    deviceId: device.deviceId,
    credentialId: device.credentialId,
    meeting,
  };
}
