import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { SignalingError } from '../SignalingError';
import type { KeyRing } from './KeyRing';
import { personRoleSchema, type PublicPerson } from './PersonAccounts';

const sessionClaimsSchema = z.object({
  sub: z.string(),
  role: personRoleSchema,
  site: z.string().optional(),
  name: z.string(),
  exp: z.number().int(),
  jti: z.string(),
});

export type PersonSession = z.infer<typeof sessionClaimsSchema>;

/**
 * Short-lived session tokens for people (portal and consoles). Signed by the same key ring as
 * booking tokens but for another audience, so neither can stand in for the other.
 */
export class PersonSessions {
  constructor(
    private readonly keys: KeyRing,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(person: PublicPerson): { token: string; expiresAt: number } {
    const { kid, privateKey } = this.keys.signingKey();
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.lifetimeSeconds;
    const payload = { role: person.role, name: person.displayName, ...(person.siteId ? { site: person.siteId } : {}), iat, exp };
    const token = jwt.sign(payload, privateKey, {
      algorithm: 'ES256',
      keyid: kid,
      issuer: this.issuer,
      audience: this.audience,
      subject: person.username,
      jwtid: randomUUID(),
    });
    return { token, expiresAt: exp * 1000 };
  }

  verify(token: string): PersonSession {
    const decoded = jwt.decode(token, { complete: true });
    const key = decoded?.header.alg === 'ES256' && decoded.header.kid ? this.keys.publicKey(decoded.header.kid) : undefined;
    if (!key) throw new SignalingError('UNAUTHENTICATED', 'sign in again');
    try {
      const payload = jwt.verify(token, key, {
        algorithms: ['ES256'],
        issuer: this.issuer,
        audience: this.audience,
        clockTimestamp: Math.floor(this.now() / 1000),
      });
      return sessionClaimsSchema.parse(payload);
    } catch {
      throw new SignalingError('UNAUTHENTICATED', 'your session has expired or is not valid; sign in again');
    }
  }
}
