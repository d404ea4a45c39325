/** Stable error codes of the SFU control contract. */
export const controlErrorCodes = [
  'BAD_REQUEST',
  'UNKNOWN_OPERATION',
  'MEETING_NOT_FOUND',
  'TRANSPORT_NOT_FOUND',
  'PRODUCER_NOT_FOUND',
  'CONSUMER_NOT_FOUND',
  'FORBIDDEN',
  'CANNOT_CONSUME',
  'LIMIT_EXCEEDED',
  'PAYLOAD_TOO_LARGE',
  'NODE_UNAVAILABLE',
  'NODE_DRAINING',
  'MEETING_CLOSED',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ControlErrorCode = (typeof controlErrorCodes)[number];

export interface ControlErrorBody {
  code: ControlErrorCode;
  message: string;
}

export class ControlError extends Error {
  override readonly name = 'ControlError';

  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }

  toBody(): ControlErrorBody {
    return { code: this.code, message: this.message };
  }

  static fromBody(body: ControlErrorBody): ControlError {
    return new ControlError(body.code, body.message);
  }
}
