import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AccessLimits } from '../auth/AccessLimits';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { PersonSessions } from '../auth/PersonSessions';
import type { EncryptionPolicies } from '../meetings/EncryptionPolicies';
import type { PrivacyReceipts } from '../meetings/PrivacyReceipts';
import { SignalingError } from '../SignalingError';
import type { MeetingStore } from '../store/MeetingStore';
import { parseBody } from './parseBody';
import { requireRole } from './requireRole';

const idSchema = z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/);
const policyBodySchema = z.object({ policy: z.enum(['required', 'off']) }).strict();

export interface PrivacyRoutesDeps {
  receipts: PrivacyReceipts;
  policies: EncryptionPolicies;
  meetings: MeetingStore;
  credentials: DeviceCredentials;
  sessions: PersonSessions;
  limits: AccessLimits;
}

function idOf(raw: unknown, name: string): string {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new SignalingError('BAD_REQUEST', `${name}: not an id`);
  return parsed.data;
}

/**
 * - `GET /api/meetings/:meetingId/privacy-receipt`: the meeting's privacy receipt, for the
 *   meeting's own station seat terminal (`Authorization: Device <credential>`, shown at the end),
 *   for the lawyer of the meeting (person session whose lawyer id the meeting names) and for admins.
 * - `GET /api/e2ee-policies`, `GET|PUT /api/centers/:centerId/e2ee-policy` `{policy}` (admins):
 *   end-to-end encryption per detention center; turning it off is audited and shown on both screens.
 */
export function privacyRoutes({ receipts, policies, meetings, credentials, sessions, limits }: PrivacyRoutesDeps): Router {
  const router = Router();
  const admin = requireRole(sessions, 'admin');

  async function mayReadReceipt(req: Request, meetingId: string): Promise<void> {
    const header = req.get('authorization') ?? '';
    const meeting = await meetings.get(meetingId);
    if (header.startsWith('Device ')) {
      const ip = req.ip ?? '';
      await limits.admitAttempt(ip);
      const device = await credentials.verify(header.slice(7)).catch(async (error: unknown) => {
        await limits.recordFailure(ip);
        throw error;
      });
      if (!meeting || meeting.seatDeviceId !== device.deviceId) throw new SignalingError('FORBIDDEN', 'this terminal was not the seat of that meeting');
      return;
    }
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) throw new SignalingError('UNAUTHENTICATED', 'sign in first');
    const person = sessions.verify(token);
    if (person.role === 'admin') return;
    if (person.role === 'lawyer' && meeting?.lawyerId !== undefined && meeting.lawyerId === person.site) return;
    throw new SignalingError('FORBIDDEN', 'only the lawyer of the meeting or an administrator may read its receipt');
  }

  router.get('/meetings/:meetingId/privacy-receipt', async (req, res, next) => {
    try {
      const meetingId = idOf(req.params.meetingId, 'meetingId');
      await mayReadReceipt(req, meetingId);
      const receipt = await receipts.receipt(meetingId);
      if (!receipt) throw new SignalingError('NOT_FOUND', 'no receipt for this meeting (it never started)');
      res.setHeader('Cache-Control', 'no-store').json({ receipt });
    } catch (error) {
      next(error);
    }
  });

  router.get('/e2ee-policies', admin, async (_req, res, next) => {
    try {
      res.json({ default: policies.defaultPolicy, centers: await policies.overrides() });
    } catch (error) {
      next(error);
    }
  });

  router.get('/centers/:centerId/e2ee-policy', admin, async (req, res, next) => {
    try {
      const centerId = idOf(req.params.centerId, 'centerId');
      res.json({ centerId, policy: await policies.policyOfCenter(centerId) });
    } catch (error) {
      next(error);
    }
  });

  router.put('/centers/:centerId/e2ee-policy', admin, async (req, res, next) => {
    try {
      const centerId = idOf(req.params.centerId, 'centerId');
      const { policy } = parseBody(policyBodySchema, req.body);
      await policies.set(centerId, policy, res.locals.person!.sub);
      res.json({
        centerId,
        policy,
        ...(policy === 'off' ? { warning: 'media of this center’s meetings is no longer end-to-end encrypted; both screens show it' } : {}),
      });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
