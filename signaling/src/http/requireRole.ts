import type { RequestHandler } from 'express';
import type { PersonRole } from '../auth/PersonAccounts';
import type { PersonSession, PersonSessions } from '../auth/PersonSessions';
import { SignalingError } from '../SignalingError';

declare module 'express-serve-static-core' {
  interface Locals {
    person?: PersonSession;
  }
}

/** Admit a request only with a valid person session (Authorization: Bearer) whose role is allowed. */
export function requireRole(sessions: PersonSessions, ...roles: PersonRole[]): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) return next(new SignalingError('UNAUTHENTICATED', 'sign in first'));
    try {
      const person = sessions.verify(token);
      if (!roles.includes(person.role)) return next(new SignalingError('FORBIDDEN', 'your role may not do this'));
      res.locals.person = person;
      next();
    } catch (error) {
      next(error);
    }
  };
}
