/** Stable error codes a client can receive, in acks, connect errors and HTTP bodies. */
export const errorCodes = [
  // handshake and tokens
  'PROTOCOL_VERSION_MISMATCH',
  'TOKEN_MISSING',
  'TOKEN_MALFORMED',
  'TOKEN_INVALID_SIGNATURE',
  'TOKEN_ALGORITHM_REFUSED',
  'TOKEN_UNKNOWN_KEY',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'TOKEN_WRONG_AUDIENCE',
  'TOKEN_WRONG_ISSUER',
  'TOKEN_CLAIMS_INVALID',
  // the meeting
  'MEETING_NOT_FOUND',
  'MEETING_NOT_ACTIVE',
  'NOT_JOINED',
  // people
  'UNAUTHENTICATED',
  // requests
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  // booking: rules (422), conflicts (409), lookups (404)
  'BOOKING_TOO_SOON',
  'BOOKING_TOO_FAR_AHEAD',
  'SLOT_NOT_OFFERED',
  'CONSECUTIVE_LIMIT',
  'DAILY_LIMIT',
  'LAWYER_SUSPENDED',
  'CANCEL_TOO_LATE',
  'CHECK_IN_NOT_OPEN',
  'CHECK_IN_INCOMPLETE',
  'BOOKING_VOID_LATE',
  'RESOURCE_INACTIVE',
  'EXTENSION_NOT_ALLOWED',
  'SLOT_TAKEN',
  'LAWYER_BUSY',
  'DETAINEE_BUSY',
  'BOOKING_STATE_CONFLICT',
  'BOOKING_NOT_FOUND',
  // media plane
  'SFU_UNAVAILABLE',
  'MEDIA_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Facts behind a refusal a client can show (earliest date, alternative slots, …). */
  details?: Record<string, unknown>;
}
