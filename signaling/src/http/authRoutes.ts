import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../audit/AuditLog';
import type { AccessLimits } from '../auth/AccessLimits';
import { usernameSchema, type PersonAccounts } from '../auth/PersonAccounts';
import type { PersonSessions } from '../auth/PersonSessions';
import { SignalingError } from '../SignalingError';
import { parseBody } from './parseBody';

const loginSchema = z.object({ username: z.string().max(64), password: z.string().min(1).max(256) }).strict();

/**
 * POST /api/auth/login: a person signs in and receives a short-lived session token. Failed
 * sign-ins count against the address's failed-authentication limit (shared with devices).
 */
export function authRoutes(accounts: PersonAccounts, sessions: PersonSessions, limits: AccessLimits, audit: AuditLog): Router {
  const router = Router();
  router.post('/auth/login', async (req, res, next) => {
    try {
      const ip = req.ip ?? '';
      await limits.admitAttempt(ip);
      const { username, password } = parseBody(loginSchema, req.body);
      const person = await accounts.authenticate(username, password);
      if (!person) {
        const crossed = await limits.recordFailure(ip);
        const by = usernameSchema.safeParse(username).success ? username : undefined;
        await audit.record({ type: crossed ? 'rate_limited' : 'login_failed', channel: 'http', ip, by });
        throw new SignalingError('UNAUTHENTICATED', 'wrong username or password');
      }
      const { token, expiresAt } = sessions.issue(person);
      res.setHeader('Cache-Control', 'no-store').json({ token, expiresAt, person });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
