import type { ErrorBody, ErrorCode } from './protocol/errors';

const httpStatusByCode: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  PROTOCOL_VERSION_MISMATCH: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  MEETING_NOT_FOUND: 404,
  CONFLICT: 409,
  DEVICE_CREDENTIAL_MISSING: 401,
  DEVICE_CREDENTIAL_INVALID: 401,
  DEVICE_REVOKED: 401,
  DEVICE_NOT_ASSIGNED: 403,
  MEETING_NOT_OPEN: 409,
  MEETING_CANCELLED: 409,
  MEETING_ENDED: 409,
  LAWYER_NOT_CHECKED_IN: 409,
  DETAINEE_NOT_SEATED: 409,
  SEAT_TAKEN: 409,
  EXTENSION_REFUSED: 409,
  NOT_JOINED: 409,
  BOOKING_TOO_SOON: 422,
  BOOKING_TOO_FAR_AHEAD: 422,
  SLOT_NOT_OFFERED: 422,
  CONSECUTIVE_LIMIT: 422,
  DAILY_LIMIT: 422,
  LAWYER_SUSPENDED: 422,
  CANCEL_TOO_LATE: 422,
  CHECK_IN_NOT_OPEN: 422,
  CHECK_IN_INCOMPLETE: 422,
  BOOKING_VOID_LATE: 422,
  RESOURCE_INACTIVE: 422,
  EXTENSION_NOT_ALLOWED: 422,
  SLOT_TAKEN: 409,
  LAWYER_BUSY: 409,
  DETAINEE_BUSY: 409,
  BOOKING_STATE_CONFLICT: 409,
  BOOKING_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  SFU_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An error with a stable code, safe to show to the client that caused it. */
export class SignalingError extends Error {
  override readonly name = 'SignalingError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code] ?? (this.code.startsWith('TOKEN_') ? 401 : 400);
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}
