import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../audit/AuditLog';
import { deviceIdSchema, deviceKindSchema, type DeviceCredentials } from '../auth/DeviceCredentials';
import type { PersonSessions } from '../auth/PersonSessions';
import { SignalingError } from '../SignalingError';
import { parseBody } from './parseBody';
import { requireRole } from './requireRole';

const provisionSchema = z
  .object({
    deviceId: deviceIdSchema,
    kind: deviceKindSchema,
    label: z.string().min(1).max(100).optional(),
    siteId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  })
  .strict();

export interface DeviceRoutesDeps {
  credentials: DeviceCredentials;
  sessions: PersonSessions;
  audit: AuditLog;
  /** Ids of devices connected to the device channel now (any instance). */
  onlineDeviceIds: () => Promise<Set<string>>;
}

/**
 * Device administration (admins only):
 * - `POST /api/devices` `{deviceId, kind: 'seat'|'booth', label?, siteId?}` → 201 `{device, credential}`;
 * - `POST /api/devices/:deviceId/credential` → a new credential (the old one stops at once);
 * - `POST /api/devices/:deviceId/revoke` → the device is locked out and its connections closed;
 * - `GET /api/devices`, `GET /api/devices/:deviceId` → devices with `online`.
 * A credential appears in exactly one response, the one that created it.
 */
export function deviceRoutes({ credentials, sessions, audit, onlineDeviceIds }: DeviceRoutesDeps): Router {
  const router = Router();
  const admin = requireRole(sessions, 'admin');
  const deviceIdOf = (raw: string | string[] | undefined) => {
    const parsed = deviceIdSchema.safeParse(raw);
    if (!parsed.success) throw new SignalingError('BAD_REQUEST', 'deviceId: not a device id');
    return parsed.data;
  };

  router.post('/devices', admin, async (req, res, next) => {
    try {
      const registration = parseBody(provisionSchema, req.body);
      const by = res.locals.person!.sub;
      const result = await credentials.provision(registration, by);
      await audit.record({ type: 'device_provisioned', channel: 'http', deviceId: registration.deviceId, by });
      res.status(201).setHeader('Cache-Control', 'no-store').json(result);
    } catch (error) {
      next(error);
    }
  });

  router.post('/devices/:deviceId/credential', admin, async (req, res, next) => {
    try {
      const deviceId = deviceIdOf(req.params.deviceId);
      const by = res.locals.person!.sub;
      const result = await credentials.rotate(deviceId, by);
      await audit.record({ type: 'device_rotated', channel: 'http', deviceId, by });
      res.setHeader('Cache-Control', 'no-store').json(result);
    } catch (error) {
      next(error);
    }
  });

  router.post('/devices/:deviceId/revoke', admin, async (req, res, next) => {
    try {
      const deviceId = deviceIdOf(req.params.deviceId);
      const by = res.locals.person!.sub;
      const device = await credentials.revoke(deviceId, by);
      await audit.record({ type: 'device_revoked', channel: 'http', deviceId, by });
      res.json({ device });
    } catch (error) {
      next(error);
    }
  });

  router.get('/devices', admin, async (_req, res, next) => {
    try {
      const [devices, online] = await Promise.all([credentials.list(), onlineDeviceIds()]);
      res.json({ devices: devices.map((device) => ({ ...device, online: online.has(device.deviceId) })) });
    } catch (error) {
      next(error);
    }
  });

  router.get('/devices/:deviceId', admin, async (req, res, next) => {
    try {
      const device = await credentials.get(deviceIdOf(req.params.deviceId));
      if (!device) throw new SignalingError('NOT_FOUND', 'no such device');
      const online = await onlineDeviceIds();
      res.json({ device: { ...device, online: online.has(device.deviceId) } });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
