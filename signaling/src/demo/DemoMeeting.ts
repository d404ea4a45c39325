import { Router } from 'express';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { MeetingStore } from '../store/MeetingStore';

/** The demo meeting and fresh credentials of its two terminals, handed out by /api/demo/links. */
export interface DemoTerminals {
  meetingId: string;
  endsAt: number;
  seatCredential: string;
  boothCredential: string;
}

/**
 * Give the seat terminal and the booth kiosk of the seeded demo meeting fresh device credentials
 * (registering them on a first run), as an administrator would. A restart rotates them, so links
 * printed by an earlier run stop working.
 */
export async function provisionDemoTerminals(meetings: MeetingStore, credentials: DeviceCredentials, meetingId: string): Promise<DemoTerminals> {
  const meeting = await meetings.get(meetingId);
  if (!meeting?.seatDeviceId || !meeting.boothDeviceId) throw new Error(`demo meeting ${meetingId} has no seat or booth`);
  const credentialOf = async (deviceId: string, kind: 'seat' | 'booth', label: string) =>
    (await credentials.get(deviceId))
      ? (await credentials.rotate(deviceId, 'demo')).credential
      : (await credentials.provision({ deviceId, kind, label }, 'demo')).credential;
  return {
    meetingId,
    endsAt: meeting.endsAt,
    seatCredential: await credentialOf(meeting.seatDeviceId, 'seat', meeting.stationName),
    boothCredential: await credentialOf(meeting.boothDeviceId, 'booth', meeting.centerName),
  };
}

/** GET /api/demo/links: the two pages of the demo meeting, each carrying its device credential in the fragment. */
export function demoRoutes(terminals: DemoTerminals, publicUrl: () => string): Router {
  const router = Router();
  router.get('/demo/links', (_req, res) => {
    const link = (page: string, credential: string) => `${publicUrl()}/${page}/#credential=${credential}`;
    res.setHeader('Cache-Control', 'no-store').json({
      meetingId: terminals.meetingId,
      endsAt: terminals.endsAt,
      station: link('station', terminals.seatCredential),
      booth: link('booth', terminals.boothCredential),
    });
  });
  return router;
}
