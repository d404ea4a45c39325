import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { BookingTokens } from '../auth/BookingTokens';
import type { MeetingStore } from '../store/MeetingStore';
import { demoMeetingKey } from './DemoData';

/**
 * Demo mode: links that open the station seat and the booth of the seeded meeting happening now.
 * Until devices hold their own credentials, each link carries that side's booking token.
 */
export function demoRoutes(redis: Redis, meetings: MeetingStore, tokens: BookingTokens, joinLeadMs: number, publicUrl: () => string): Router {
  const router = Router();
  router.get('/demo/links', async (_req, res, next) => {
    try {
      const meetingId = await redis.get(demoMeetingKey);
      const meeting = meetingId ? await meetings.get(meetingId) : undefined;
      if (!meeting) throw new Error('demo meeting missing');
      const link = (page: string, role: 'lawyer' | 'detainee') => {
        const deviceId = role === 'lawyer' ? meeting.seatDeviceId : meeting.boothDeviceId;
        if (!deviceId) throw new Error('demo meeting has no device');
        const token = tokens.issue({
          bookingId: meeting.bookingId,
          meetingId: meeting.meetingId,
          role,
          deviceId,
          notBefore: meeting.startsAt - joinLeadMs,
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
