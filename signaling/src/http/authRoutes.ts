import { Router } from 'express';
import { z } from 'zod';
import type { PersonAccounts } from '../auth/PersonAccounts';
import type { PersonSessions } from '../auth/PersonSessions';
import { SignalingError } from '../SignalingError';
import { parseBody } from './parseBody';

const loginSchema = z.object({ username: z.string().max(64), password: z.string().min(1).max(256) }).strict();

/** POST /api/auth/login: a person signs in and receives a short-lived session token. */
export function authRoutes(accounts: PersonAccounts, sessions: PersonSessions): Router {
  const router = Router();
  router.post('/auth/login', async (req, res, next) => {
    try {
      const { username, password } = parseBody(loginSchema, req.body);
      const person = await accounts.authenticate(username, password);
      if (!person) throw new SignalingError('UNAUTHENTICATED', 'wrong username or password');
      const { token, expiresAt } = sessions.issue(person);
      res.json({ token, expiresAt, person });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
