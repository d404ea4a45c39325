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
  ) {
    super(message);
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code] ?? (this.code.startsWith('TOKEN_') ? 401 : 400);
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}
