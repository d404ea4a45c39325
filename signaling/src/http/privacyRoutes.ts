import type { Request } from 'express';
import { z } from 'zod';
import type { AccessLimits } from '../auth/AccessLimits';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { PersonSessions } from '../auth/PersonSessions';
import type { EncryptionPolicies } from '../meetings/EncryptionPolicies';
import type { PrivacyReceipts } from '../meetings/PrivacyReceipts';
import type { PrivacyReceipt } from '../protocol';
import { SignalingError } from '../SignalingError';
import type { MeetingStore } from '../store/MeetingStore';
import { defineRoute, type ApiRoute } from './ApiRoute';

const idSchema = z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/);
const policySchema = z.enum(['required', 'off']);
const seatCensus = z.object({ transports: z.number().int(), producers: z.number().int(), consumers: z.number().int() });

export const privacyReceiptSchema = z.object({
  meetingId: z.string(),
  final: z.boolean(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  endReason: z.string().nullable(),
  endpointsConnected: z.number().int(),
  e2eePolicy: policySchema,
  endToEndEncrypted: z.boolean(),
  codeConfirmed: z.boolean(),
  keyExchanges: z.number().int(),
  recorderPresent: z.enum(['none', 'detected']),
  media: z.object({ lawyer: seatCensus, detainee: seatCensus }).nullable(),
}) satisfies z.ZodType<PrivacyReceipt>;

export interface PrivacyRoutesDeps {
  receipts: PrivacyReceipts;
  policies: EncryptionPolicies;
  meetings: MeetingStore;
  credentials: DeviceCredentials;
  sessions: PersonSessions;
  limits: AccessLimits;
}

/**
 * The privacy receipt and the end-to-end encryption policy per detention center
 * (docs/confidentiality.md), declared like every other API route.
 */
export function privacyRoutes({ receipts, policies, meetings, credentials, sessions, limits }: PrivacyRoutesDeps): ApiRoute[] {
  /** The meeting's own station seat terminal, the lawyer the meeting names, or an admin. */
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

  return [
    defineRoute({
      method: 'get',
      path: '/meetings/:meetingId/privacy-receipt',
      tag: 'confidentiality',
      summary: 'The privacy receipt of a meeting: endpoints, end-to-end encryption, code confirmed, recorder present',
      description:
        'For the meeting’s station seat terminal (`Authorization: Device <credential>`), the lawyer the meeting names ' +
        '(a lawyer session whose site is the meeting’s lawyerId) and admins (`Authorization: Bearer <session>`).',
      params: z.object({ meetingId: idSchema }),
      response: z.object({ receipt: privacyReceiptSchema }),
      errors: ['NOT_FOUND', 'DEVICE_CREDENTIAL_INVALID', 'DEVICE_REVOKED', 'RATE_LIMITED'],
      handle: async ({ params, response }) => {
        await mayReadReceipt(response.req, params.meetingId);
        const receipt = await receipts.receipt(params.meetingId);
        if (!receipt) throw new SignalingError('NOT_FOUND', 'no receipt for this meeting (it never started)');
        response.setHeader('Cache-Control', 'no-store');
        return { receipt };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/e2ee-policies',
      tag: 'confidentiality',
      summary: 'The default end-to-end encryption policy and the detention centers that differ from it',
      roles: ['admin'],
      response: z.object({ default: policySchema, centers: z.record(z.string(), policySchema) }),
      handle: async () => ({ default: policies.defaultPolicy, centers: await policies.overrides() }),
    }),
    defineRoute({
      method: 'get',
      path: '/centers/:centerId/e2ee-policy',
      tag: 'confidentiality',
      summary: 'A detention center’s end-to-end encryption policy',
      roles: ['admin'],
      params: z.object({ centerId: idSchema }),
      response: z.object({ centerId: z.string(), policy: policySchema }),
      handle: async ({ params }) => ({ centerId: params.centerId, policy: await policies.policyOfCenter(params.centerId) }),
    }),
    defineRoute({
      method: 'put',
      path: '/centers/:centerId/e2ee-policy',
      tag: 'confidentiality',
      summary: 'Set a detention center’s policy; `off` puts a standing warning on both screens of its meetings (audited)',
      roles: ['admin'],
      params: z.object({ centerId: idSchema }),
      body: z.object({ policy: policySchema }).strict(),
      response: z.object({ centerId: z.string(), policy: policySchema, warning: z.string().optional() }),
      handle: async ({ params, body, actor }) => {
        await policies.set(params.centerId, body.policy, actor.username);
        return {
          centerId: params.centerId,
          policy: body.policy,
          ...(body.policy === 'off' ? { warning: 'media of this center’s meetings is no longer end-to-end encrypted; both screens show it' } : {}),
        };
      },
    }),
  ];
}
