import { Router } from 'express';
import type { BookingTokens } from '../auth/BookingTokens';
import type { DeviceCredentials } from '../auth/DeviceCredentials';
import type { DeviceAssignments } from '../meetings/DeviceAssignments';
import type { MeetingRecord, MeetingStore } from '../store/MeetingStore';

export const DEMO_SEAT_ID = 'demo-seat';
export const DEMO_BOOTH_ID = 'demo-booth';
const hour = 3600_000;

export interface DemoDeps {
  meetings: MeetingStore;
  credentials: DeviceCredentials;
  assignments: DeviceAssignments;
  tokens: BookingTokens;
  joinLeadMs: number;
}

/** The two demo terminals' credentials, handed out by /api/demo/links. */
export interface DemoTerminals {
  meeting: MeetingRecord;
  seatCredential: string;
  boothCredential: string;
}

/**
 * Demo data for a first look: a station seat terminal and a booth kiosk (registered devices with
 * fresh credentials), one meeting running now between them, checked in and seated, and both
 * devices assigned to it, as the booking domain would do. Only used when DEMO_MODE is on.
 */
export async function seedDemoMeeting(deps: DemoDeps, now = Date.now()): Promise<DemoTerminals> {
  const { meetings, credentials, assignments, tokens, joinLeadMs } = deps;
  const startsAt = now - 5 * 60_000;
  const meeting: MeetingRecord = {
    // A fresh meeting per start: an earlier demo meeting may have ended (a persistent Redis remembers).
    meetingId: `demo-${now.toString(36)}`,
    bookingId: `demo-booking-${now.toString(36)}`,
    startsAt,
    endsAt: startsAt + hour,
    lawyerName: '张律师',
    detaineeName: '李某',
    stationName: '海淀派出所 1号席位',
    centerName: '海淀看守所 3号会见室',
    status: 'scheduled',
    seatDeviceId: DEMO_SEAT_ID,
    boothDeviceId: DEMO_BOOTH_ID,
    lawyerCheckedIn: true,
    detaineeSeated: true,
  };
  const credentialOf = async (deviceId: string, kind: 'seat' | 'booth', label: string) =>
    (await credentials.get(deviceId))
      ? (await credentials.rotate(deviceId, 'demo')).credential
      : (await credentials.provision({ deviceId, kind, label }, 'demo')).credential;
  const seatCredential = await credentialOf(DEMO_SEAT_ID, 'seat', meeting.stationName);
  const boothCredential = await credentialOf(DEMO_BOOTH_ID, 'booth', meeting.centerName);
  await meetings.put(meeting);
  for (const [deviceId, role] of [
    [DEMO_SEAT_ID, 'lawyer'],
    [DEMO_BOOTH_ID, 'detainee'],
  ] as const) {
    const token = tokens.issue({
      bookingId: meeting.bookingId,
      meetingId: meeting.meetingId,
      role,
      deviceId,
      notBefore: meeting.startsAt - joinLeadMs,
      expiresAt: meeting.endsAt,
    });
    await assignments.assign({ ...meeting, deviceId, role, token });
  }
  return { meeting, seatCredential, boothCredential };
}

/** GET /api/demo/links: the two pages of the demo meeting, each carrying its device credential in the fragment. */
export function demoRoutes(terminals: DemoTerminals, publicUrl: () => string): Router {
  const router = Router();
  router.get('/demo/links', (_req, res) => {
    const link = (page: string, credential: string) => `${publicUrl()}/${page}/#credential=${credential}`;
    res.setHeader('Cache-Control', 'no-store').json({
      meetingId: terminals.meeting.meetingId,
      endsAt: terminals.meeting.endsAt,
      station: link('station', terminals.seatCredential),
      booth: link('booth', terminals.boothCredential),
    });
  });
  return router;
}
