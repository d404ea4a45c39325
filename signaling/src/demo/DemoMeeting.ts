import { Router } from 'express';
import type { BookingTokens } from '../auth/BookingTokens';
import type { MeetingStore } from '../store/MeetingStore';

export const DEMO_MEETING_ID = 'demo';
const hour = 3600_000;

/**
 * Demo data for a first look: one meeting running now, and links that open its station seat and
 * its booth. Only mounted when DEMO_MODE is on.
 */
export async function seedDemoMeeting(meetings: MeetingStore, now = Date.now()): Promise<void> {
  const startsAt = now - 5 * 60_000;
  await meetings.put({
    meetingId: DEMO_MEETING_ID,
    bookingId: 'demo-booking',
    startsAt,
    endsAt: startsAt + hour,
    lawyerName: '张律师',
    detaineeName: '李某',
    stationName: '海淀派出所 1号席位',
    centerName: '海淀看守所 3号会见室',
    status: 'scheduled',
    lawyerCheckedIn: true,
    detaineeSeated: true,
  });
}

export function demoRoutes(meetings: MeetingStore, tokens: BookingTokens, publicUrl: () => string): Router {
  const router = Router();
  router.get('/demo/links', async (_req, res, next) => {
    try {
      const meeting = await meetings.get(DEMO_MEETING_ID);
      if (!meeting) throw new Error('demo meeting missing');
      const link = (page: string, role: 'lawyer' | 'detainee') => {
        const token = tokens.issue({
          bookingId: meeting.bookingId,
          meetingId: meeting.meetingId,
          role,
          notBefore: meeting.startsAt - 10 * 60_000,
          expiresAt: meeting.endsAt,
        });
        return `${publicUrl()}/${page}/#token=${token}`;
      };
      res.json({ meetingId: meeting.meetingId, endsAt: meeting.endsAt, station: link('station', 'lawyer'), booth: link('booth', 'detainee') });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
