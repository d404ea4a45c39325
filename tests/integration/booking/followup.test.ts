import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingHarness, beijing, minute, RecordingSender, seedWorld } from '../../support/BookingHarness';

const all = { identityVerified: true, licenceVerified: true, authorizationLetterVerified: true, noticeSigned: true };

describe('follow-up (回访): rating, suggestion, staff reply, the lawyer sees it', () => {
  let h: BookingHarness;
  const sender = new RecordingSender();

  beforeAll(async () => {
    h = await BookingHarness.start({ now: beijing('2026-12-07', '10:00'), sender });
    await seedWorld(h);
  });
  afterAll(async () => h?.stop());

  it('round-trips from the lawyer to the station and back', async () => {
    const lawyer = h.session('lawyer', 'law-1');
    const start = beijing('2026-12-09', '10:00');
    const made = await h.api('POST', '/bookings', lawyer, { detaineeId: 'det-1', stationId: 'st-a', startsAt: start });
    const id = made.body.id as string;
    const early = await h.api('POST', `/bookings/${id}/feedback`, lawyer, { rating: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('BOOKING_STATE_CONFLICT');

    h.clock.set(start - 20 * minute);
    await h.api('POST', `/bookings/${id}/check-in`, h.session('station_officer', 'st-a'), all);
    await h.api('POST', `/bookings/${id}/seating`, h.session('detention_officer', 'dc-1'), {});
    h.clock.set(start + 40 * minute);
    expect((await h.api('POST', `/bookings/${id}/end`, lawyer)).body).toMatchObject({ status: 'completed', endedEarly: true });

    const due = await h.api('GET', '/follow-ups/due?days=30', h.session('station_officer', 'st-a'));
    expect(due.body.map((d: { bookingId: string }) => d.bookingId)).toEqual([id]);

    const given = await h.api('POST', `/bookings/${id}/feedback`, lawyer, { rating: 4, comment: '声音清晰，画面流畅', suggestion: '候见区需要更多座椅' });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ status: 'open', channel: 'online', rating: 4 });
    expect((await h.api('POST', `/bookings/${id}/feedback`, lawyer, { rating: 1 })).status).toBe(409);
    expect((await h.api('POST', `/bookings/${id}/feedback`, lawyer, { rating: 6 })).status).toBe(400);

    // Staff of another station do not see it; this station's do.
    expect((await h.api('GET', '/feedback?status=open', h.session('station_officer', 'st-b'))).body).toEqual([]);
    const open = await h.api('GET', '/feedback?status=open', h.session('station_officer', 'st-a'));
    expect(open.body.map((f: { bookingId: string; suggestion: string }) => [f.bookingId, f.suggestion])).toEqual([[id, '候见区需要更多座椅']]);
    expect((await h.api('GET', '/follow-ups/due?days=30', h.session('station_officer', 'st-a'))).body).toEqual([]);

    const reply = await h.api('POST', `/bookings/${id}/feedback/reply`, h.session('station_officer', 'st-a', 'officer.wang'), {
      actionTaken: '已增加 6 把座椅',
      reply: '感谢建议，候见区已增加座椅。',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'resolved', resolution: { by: 'officer.wang', actionTaken: '已增加 6 把座椅' } });
    expect((await h.api('GET', '/feedback?status=open', h.session('admin'))).body).toEqual([]);

    const seen = await h.api('GET', `/bookings/${id}/feedback`, lawyer);
    expect(seen.body.resolution.reply).toBe('感谢建议，候见区已增加座椅。');
    const notices = await h.api('GET', `/bookings/${id}/notices`, lawyer);
    expect(notices.body.at(-1)).toMatchObject({ kind: 'feedback_reply' });
    expect(notices.body.at(-1).text).toContain('感谢建议，候见区已增加座椅。');
    // Another lawyer sees nothing of it.
    expect((await h.api('GET', `/bookings/${id}/feedback`, h.session('lawyer', 'law-2'))).status).toBe(404);
  });
});
