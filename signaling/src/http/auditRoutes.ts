import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../audit/AuditLog';
import type { PersonSessions } from '../auth/PersonSessions';
import { parseBody } from './parseBody';
import { requireRole } from './requireRole';

const querySchema = z
  .object({
    count: z.coerce.number().int().min(1).max(500).default(100),
    /** Page back from this entry id (exclusive). */
    before: z.string().regex(/^\d{1,20}-\d{1,20}$/).optional(),
    meetingId: z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/).optional(),
    deviceId: z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/).optional(),
  })
  .strict();

/** `GET /api/audit?count&before&meetingId&deviceId`: the audit stream, newest first (admins only). */
export function auditRoutes(audit: AuditLog, sessions: PersonSessions): Router {
  const router = Router();
  router.get('/audit', requireRole(sessions, 'admin'), async (req, res, next) => {
    try {
      const query = parseBody(querySchema, req.query);
      const entries = await audit.read(query);
      res.setHeader('Cache-Control', 'no-store').json({ entries, next: entries.length === query.count ? entries.at(-1)?.id : undefined });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
