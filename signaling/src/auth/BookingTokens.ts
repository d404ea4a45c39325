import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { seatSchema } from '@huijian/sfu-server/control/schemas';
import { SignalingError } from '../SignalingError';
import type { KeyRing } from './KeyRing';

/** The only algorithm a booking token may use. Anything else, `none` included, is refused. */
const ALGORITHM = 'ES256';

export const bookingClaimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  /** The booking this token belongs to. */
  sub: z.string().min(1).max(64),
  /** The meeting it opens. */
  mid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  role: seatSchema,
  /** The device (station seat or booth kiosk) it is bound to. Optional here so the gate can say which check failed. */
  dev: z.string().min(1).max(64).optional(),
  nbf: z.number().int(),
  exp: z.number().int(),
  iat: z.number().int(),
  jti: z.string().min(8).max(64),
});

export type BookingClaims = z.infer<typeof bookingClaimsSchema>;

export interface BookingTokenRequest {
  bookingId: string;
  meetingId: string;
  role: BookingClaims['role'];
  /** The station seat terminal or booth kiosk that alone may present it. */
  deviceId: string;
  /** Epoch ms from which the token is valid (slot start minus the join lead). */
  notBefore: number;
  /** Epoch ms at which it expires (slot end). */
  expiresAt: number;
}

/** Issues and verifies booking (join) tokens: narrow, short-lived, algorithm pinned. */
export class BookingTokens {
  constructor(
    private readonly keys: KeyRing,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly now: () => number = Date.now,
  ) {}

  issue(request: BookingTokenRequest): string {
    const { kid, privateKey } = this.keys.signingKey();
    const payload = {
      sub: request.bookingId,
      mid: request.meetingId,
      role: request.role,
      dev: request.deviceId,
      nbf: Math.floor(request.notBefore / 1000),
      exp: Math.floor(request.expiresAt / 1000),
      iat: Math.floor(this.now() / 1000),
    };
    return jwt.sign(payload, privateKey, {
      algorithm: ALGORITHM,
      keyid: kid,
      issuer: this.issuer,
      audience: this.audience,
      jwtid: randomUUID(),
    });
  }

  /** Verify a token now; throws a SignalingError with a TOKEN_* code when it is not acceptable. */
  verify(token: unknown): BookingClaims {
    if (typeof token !== 'string' || token.length === 0) throw new SignalingError('TOKEN_MISSING', 'a booking token is required');
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new SignalingError('TOKEN_MALFORMED', 'the booking token is not a JWT');
    if (decoded.header.alg !== ALGORITHM) {
      throw new SignalingError('TOKEN_ALGORITHM_REFUSED', `booking tokens must be signed with ${ALGORITHM}`);
    }
    const publicKey = decoded.header.kid ? this.keys.publicKey(decoded.header.kid) : undefined;
    if (!publicKey) throw new SignalingError('TOKEN_UNKNOWN_KEY', 'the booking token was signed with an unknown key');
    let payload: unknown;
    try {
      payload = jwt.verify(token, publicKey, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        clockTimestamp: Math.floor(this.now() / 1000),
      });
    } catch (error) {
      throw tokenError(error);
    }
    const claims = bookingClaimsSchema.safeParse(payload);
    if (!claims.success) throw new SignalingError('TOKEN_CLAIMS_INVALID', 'the booking token lacks required claims');
    return claims.data;
  }
}

function tokenError(error: unknown): SignalingError {
  if (error instanceof jwt.TokenExpiredError) return new SignalingError('TOKEN_EXPIRED', 'the booking token has expired');
  if (error instanceof jwt.NotBeforeError) return new SignalingError('TOKEN_NOT_YET_VALID', 'the booking token is not valid yet');
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt audience invalid')) return new SignalingError('TOKEN_WRONG_AUDIENCE', 'the booking token is not for this service');
  if (message.startsWith('jwt issuer invalid')) return new SignalingError('TOKEN_WRONG_ISSUER', 'the booking token has an unknown issuer');
  if (message === 'invalid algorithm') return new SignalingError('TOKEN_ALGORITHM_REFUSED', `booking tokens must be signed with ${ALGORITHM}`);
  if (message === 'invalid signature') return new SignalingError('TOKEN_INVALID_SIGNATURE', 'the booking token signature is invalid');
  return new SignalingError('TOKEN_MALFORMED', 'the booking token could not be read');
}
