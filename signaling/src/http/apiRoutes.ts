import type { Router } from 'express';
import type { AuditLog } from '../audit/AuditLog';
import type { AccessLimits } from '../auth/AccessLimits';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { PersonAccounts } from '../auth/PersonAccounts';
import type { PersonSessions } from '../auth/PersonSessions';
import type { BookingModule } from '../booking/BookingModule';
import { demoRoutes, type DemoTerminals } from '../demo/DemoMeeting';
import { apiRouter, type ApiRoute } from './ApiRoute';
import { auditRoutes } from './auditRoutes';
import { authRoutes } from './authRoutes';
import { auditRouteDescription, demoLinksRoute, deviceRouteDescriptions, loginRoute } from './describedRoutes';
import { deviceRoutes } from './deviceRoutes';
import { openApiRoute } from './openApiRoute';

export interface ApiRoutesDeps {
  accounts: PersonAccounts;
  sessions: PersonSessions;
  limits: AccessLimits;
  audit: AuditLog;
  credentials: DeviceCredentials;
  /** Ids of devices connected to the device channel now (any instance); read per request. */
  onlineDeviceIds: () => Promise<Set<string>>;
  booking: BookingModule;
  /** Demo mode only: the demo terminals and the base URL of their links. */
  demo?: { terminals: DemoTerminals; publicUrl: () => string } | undefined;
  /** The privacy receipt and the encryption policy per center (http/privacyRoutes.ts). */
  confidentiality: ApiRoute[];
}

/**
 * Every router under /api, and the OpenAPI document that describes all of them: the signaling
 * process and the tests build the API the same way, so the document cannot miss a route.
 */
export function apiRoutes(deps: ApiRoutesDeps): Router[] {
  const { accounts, sessions, limits, audit, credentials, onlineDeviceIds, booking, demo, confidentiality } = deps;
  const described = [
    loginRoute,
    ...deviceRouteDescriptions,
    auditRouteDescription,
    ...(demo ? [demoLinksRoute] : []),
    ...booking.routes,
    ...confidentiality,
  ];
  return [
    authRoutes(accounts, sessions, limits, audit),
    deviceRoutes({ credentials, sessions, audit, onlineDeviceIds }),
    auditRoutes(audit, sessions),
    ...(demo ? [demoRoutes(demo.terminals, demo.publicUrl)] : []),
    apiRouter([...booking.routes, ...confidentiality, openApiRoute(described)], sessions),
  ];
}
