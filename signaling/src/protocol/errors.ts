/** Stable error codes a client can receive, in acks, connect errors and HTTP bodies. */
export const errorCodes = [
  // handshake
  'PROTOCOL_VERSION_MISMATCH',
  // device credentials (who is connecting)
  'DEVICE_CREDENTIAL_MISSING',
  'DEVICE_CREDENTIAL_INVALID',
  'DEVICE_REVOKED',
  // booking tokens (what they may join)
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
  /** The token names another device than the credential presented with it (or none). */
  'TOKEN_DEVICE_MISMATCH',
  /** The token's role does not fit the device: a station seat joins as lawyer, a booth as detainee. */
  'TOKEN_ROLE_MISMATCH',
  /** The token was withdrawn (booking cancelled, seat reassigned). */
  'TOKEN_REVOKED',
  // the meeting
  'MEETING_NOT_FOUND',
  'MEETING_NOT_OPEN',
  'MEETING_CANCELLED',
  'MEETING_ENDED',
  /** The meeting no longer uses this device for this role. */
  'DEVICE_NOT_ASSIGNED',
  'LAWYER_NOT_CHECKED_IN',
  'DETAINEE_NOT_SEATED',
  /** Another device holds this role's seat. */
  'SEAT_TAKEN',
  'EXTENSION_REFUSED',
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
  // confidentiality
  /** End-to-end encryption is required for this meeting and this browser cannot do it: no media is started. */
  'E2EE_UNAVAILABLE',
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

/**
 * Refusals after which the same credential and token cannot succeed by retrying: a client stops
 * and shows the reason instead of reconnecting.
 */
export const finalRefusalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PROTOCOL_VERSION_MISMATCH',
  'DEVICE_CREDENTIAL_MISSING',
  'DEVICE_CREDENTIAL_INVALID',
  'DEVICE_REVOKED',
  'TOKEN_MISSING',
  'TOKEN_MALFORMED',
  'TOKEN_INVALID_SIGNATURE',
  'TOKEN_ALGORITHM_REFUSED',
  'TOKEN_UNKNOWN_KEY',
  'TOKEN_EXPIRED',
  'TOKEN_WRONG_AUDIENCE',
  'TOKEN_WRONG_ISSUER',
  'TOKEN_CLAIMS_INVALID',
  'TOKEN_DEVICE_MISMATCH',
  'TOKEN_ROLE_MISMATCH',
  'TOKEN_REVOKED',
  'MEETING_NOT_FOUND',
  'MEETING_CANCELLED',
  'MEETING_ENDED',
  'DEVICE_NOT_ASSIGNED',
]);
