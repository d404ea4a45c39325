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
  // media plane
  'SFU_UNAVAILABLE',
  'MEDIA_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}
