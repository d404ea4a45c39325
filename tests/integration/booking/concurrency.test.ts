import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingKeys } from '../../../signaling/src/store/bookingKeys';
import { BookingHarness, beijing, seedWorld } from '../../support/BookingHarness';

/**
 * 100 concurrent requests for the last free seat-slot (and, separately, the last free booth-slot)
 * produce exactly one booking; every other request gets SLOT_TAKEN with alternatives.
 */
const contenders = 100;
const slot = beijing('2026-12-09', '09:00');

describe('allocation under contention (real Redis, real HTTP)', () => {
  let h: BookingHarness;
  const admin = () => h.session('admin');

  beforeAll(async () => {
    h = await BookingHarness.start({ now: beijing('2026-12-07', '10:00') });
    await seedWorld(h, { seatsPerStation: 2, boothsPerCenter: 2, lawyers: 2 * contenders + 2, detainees: 0 });
    for (let i = 1; i <= 2 * contenders + 2; i += 1) {
      const centerId = i <= contenders + 1 ? 'dc-1' : 'dc-2';
      const made = await h.api('POST', '/detainees', admin(), { id: `d-${i}`, centerId, name: `D ${i}`, caseReference: `C-${i}`, procedureStage: 'trial' });
      expect(made.status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => h?.stop());

  async function race(requests: { lawyer: number; detaineeId: string; stationId: string }[]) {
    const answers = await Promise.all(
      requests.map((r) => h.api('POST', '/bookings', h.session('lawyer', `law-${r.lawyer}`), { detaineeId: r.detaineeId, stationId: r.stationId, startsAt: slot })),
    );
    return { won: answers.filter((a) => a.status === 201), lost: answers.filter((a) => a.status !== 201) };
  }

  it('seat side: the last seat at a station goes to exactly one of 100 lawyers', async () => {
    // Seat 1 of station A is taken; seat 2 is the last one. Center One gets booths to spare.
    for (let i = 3; i <= 5; i += 1) expect((await h.api('POST', '/centers/dc-1/booths', admin(), { id: `dc-1-b${i}`, label: `Booth ${i}` })).status).toBe(201);
    const first = await h.api('POST', '/bookings', h.session('lawyer', `law-${contenders + 1}`), { detaineeId: `d-${contenders + 1}`, stationId: 'st-a', startsAt: slot });
    expect(first.status).toBe(201);
    const { won, lost } = await race(Array.from({ length: contenders }, (_, i) => ({ lawyer: i + 1, detaineeId: `d-${i + 1}`, stationId: 'st-a' })));
    expect(won).toHaveLength(1);
    expect(won[0]!.body.seatId).not.toBe(first.body.seatId);
    expect(lost).toHaveLength(contenders - 1);
    for (const answer of lost) {
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'SLOT_TAKEN', details: { side: 'seat' } });
    }
    const alternatives = lost[0]!.body.error.details.alternatives as { startsAt: number; stationId: string }[];
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.every((a) => !(a.startsAt === slot && a.stationId === 'st-a'))).toBe(true);
    // Redis agrees: each seat of station A holds exactly one interval at the slot.
    for (const seat of ['st-a-s1', 'st-a-s2']) expect(await h.redis.zcount(bookingKeys.busy('seat', seat), slot, slot)).toBe(1);
  });

  it('booth side: the last booth at a center goes to exactly one of 100 lawyers at different stations', async () => {
    // Center Two's booth 1 is taken; booth 2 is the last. Stations B and C get seats to spare, so
    // no request can run out of seats whichever order the winner and the others reach Redis in.
    for (const station of ['st-b', 'st-c']) {
      for (let i = 3; i <= 5; i += 1) expect((await h.api('POST', `/stations/${station}/seats`, admin(), { id: `${station}-s${i}`, label: `Seat ${i}` })).status).toBe(201);
    }
    const first = await h.api('POST', '/bookings', h.session('lawyer', `law-${contenders + 2}`), { detaineeId: `d-${2 * contenders + 2}`, stationId: 'st-c', startsAt: slot });
    expect(first.status).toBe(201);
    expect(first.body.centerId).toBe('dc-2');
    const stations = ['st-b', 'st-c'];
    const requests = Array.from({ length: contenders }, (_, i) => ({
      lawyer: contenders + 3 + i,
      detaineeId: `d-${contenders + 2 + i}`,
      stationId: stations[i % 2]!,
    }));
    const { won, lost } = await race(requests);
    expect(won).toHaveLength(1);
    expect(won[0]!.body.boothId).not.toBe(first.body.boothId);
    expect(lost).toHaveLength(contenders - 1);
    for (const answer of lost) {
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'SLOT_TAKEN', details: { side: 'booth' } });
    }
    for (const booth of ['dc-2-b1', 'dc-2-b2']) expect(await h.redis.zcount(bookingKeys.busy('booth', booth), slot, slot)).toBe(1);
  });
});
