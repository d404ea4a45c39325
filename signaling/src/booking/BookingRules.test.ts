import { describe, expect, it } from 'vitest';
import { beijingPolicy, BookingPolicies, shenzhenPolicy } from './BookingPolicy';
import { BookingRules } from './BookingRules';
import { canTransition } from './BookingLifecycle';
import { addDays, epochOf, isoWeekday, localDateOf, localTimeOf } from './ZonedCalendar';

const rules = new BookingRules({ ...beijingPolicy, holidays: ['2026-12-10'], extraWorkingDays: ['2026-12-12'] });
const at = (date: string, time: string) => epochOf(date, time, 'Asia/Shanghai');
const hour = 3_600_000;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('ZonedCalendar', () => {
  it('converts local Beijing times to epoch and back, whatever the process zone', () => {
    expect(at('2026-12-07', '09:00')).toBe(Date.parse('2026-12-07T01:00:00Z'));
    expect(localDateOf(Date.parse('2026-12-07T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-08');
    expect(localTimeOf(Date.parse('2026-12-07T16:30:00Z'), 'Asia/Shanghai')).toBe('00:30');
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('handles a zone with daylight saving time', () => {
    expect(epochOf('2026-07-01', '09:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-01T07:00:00Z'));
    expect(epochOf('2026-12-01', '09:00', 'Europe/Berlin')).toBe(Date.parse('2026-12-01T08:00:00Z'));
  });
});

describe('BookingRules (Beijing defaults)', () => {
  it('offers four one-hour slots on working days only, honouring holidays and make-up days', () => {
    expect(rules.slotsOn('2026-12-07').map((s) => s.time)).toEqual(['09:00', '10:00', '14:00', '15:00']);
    expect(rules.slotsOn('2026-12-07')[0]!.endsAt - rules.slotsOn('2026-12-07')[0]!.startsAt).toBe(hour);
    expect(rules.slotsOn('2026-12-13')).toEqual([]); // Sunday
    expect(rules.slotsOn('2026-12-10')).toEqual([]); // holiday
    expect(rules.slotsOn('2026-12-12')).toHaveLength(4); // make-up Saturday
  });

  it('counts two working days ahead, skipping weekends and holidays', () => {
    expect(rules.earliestBookableDate(at('2026-12-07', '10:00'))).toBe('2026-12-09'); // Mon → Wed
    expect(rules.earliestBookableDate(at('2026-12-08', '10:00'))).toBe('2026-12-11'); // Tue → Wed, (Thu holiday) → Fri
    expect(rules.earliestBookableDate(at('2026-12-04', '23:00'))).toBe('2026-12-08'); // Fri → Mon, Tue
  });

  it('refuses a slot too soon, too far, or not offered, each with its own code', () => {
    const now = at('2026-12-07', '10:00');
    expect(codeOf(() => rules.checkAdvance(rules.slotAt(at('2026-12-08', '09:00')), now))).toBe('BOOKING_TOO_SOON');
    expect(codeOf(() => rules.checkAdvance(rules.slotAt(at('2026-12-09', '09:00')), now))).toBeUndefined();
    expect(codeOf(() => rules.checkAdvance(rules.slotAt(at('2026-12-22', '09:00')), now))).toBe('BOOKING_TOO_FAR_AHEAD');
    expect(codeOf(() => rules.slotAt(at('2026-12-09', '09:30')))).toBe('SLOT_NOT_OFFERED');
    expect(codeOf(() => rules.slotAt(at('2026-12-13', '09:00')))).toBe('SLOT_NOT_OFFERED');
  });

  it('lets a lawyer cancel up to 24 hours ahead only', () => {
    const start = at('2026-12-09', '09:00');
    expect(codeOf(() => rules.checkLawyerCancel(start, start - 24 * hour))).toBeUndefined();
    expect(codeOf(() => rules.checkLawyerCancel(start, start - 24 * hour + 1))).toBe('CANCEL_TOO_LATE');
  });

  it('opens check-in an hour before and voids after 10 minutes late (Shenzhen: 5)', () => {
    const start = at('2026-12-09', '09:00');
    expect(rules.checkInWindow(start, start - 61 * 60_000)).toBe('early');
    expect(rules.checkInWindow(start, start - 30 * 60_000)).toBe('open');
    expect(rules.checkInWindow(start, start + 10 * 60_000)).toBe('open');
    expect(rules.checkInWindow(start, start + 10 * 60_000 + 1)).toBe('late');
    expect(new BookingRules(shenzhenPolicy).checkInWindow(start, start + 6 * 60_000)).toBe('late');
  });

  it('limits a lawyer to 2 consecutive hours and 2 hours a day with one detainee', () => {
    const s = (time: string) => ({ startsAt: at('2026-12-09', time), endsAt: at('2026-12-09', time) + hour });
    expect(rules.pairLimit([s('09:00')], s('10:00'))).toBeUndefined();
    expect(rules.pairLimit([s('09:00'), s('10:00')], s('14:00'))).toBe('DAILY_LIMIT');
    const generous = new BookingRules({ ...beijingPolicy, maxMinutesPerDay: 240 });
    expect(generous.pairLimit([s('09:00'), s('10:00')], s('14:00'))).toBeUndefined();
    expect(generous.pairLimit([s('14:00'), s('15:00')], s('09:00'))).toBeUndefined();
    const hourly = new BookingRules({ ...beijingPolicy, slotTimes: ['09:00', '10:00', '11:00'], maxMinutesPerDay: 240 });
    expect(hourly.pairLimit([s('09:00'), s('10:00')], s('11:00'))).toBe('CONSECUTIVE_LIMIT');
  });

  it('suspends after 3 no-shows in 90 days, until the oldest counted one leaves the window', () => {
    const now = at('2026-12-07', '10:00');
    const day = 86_400_000;
    expect(rules.suspendedUntil([now - 10 * day, now - 5 * day], now)).toBeUndefined();
    expect(rules.suspendedUntil([now - 100 * day, now - 10 * day, now - 5 * day], now)).toBeUndefined();
    expect(rules.suspendedUntil([now - 30 * day, now - 10 * day, now - 5 * day], now)).toBe(now - 30 * day + 90 * day);
  });
});

describe('BookingPolicies', () => {
  it('applies per-center overrides and presets on top of the default, and refuses bad ones', () => {
    const policies = new BookingPolicies({ default: { horizonDays: 21 }, centers: { 'dc-sz': { preset: 'shenzhen' }, 'dc-x': { slotTimes: ['08:30'] } } });
    expect(policies.forCenter('anything').horizonDays).toBe(21);
    expect(policies.forCenter('dc-sz').lateVoidMinutes).toBe(5);
    expect(policies.forCenter('dc-sz').arriveEarlyMinutes).toBe(20);
    expect(policies.forCenter('dc-x')).toMatchObject({ slotTimes: ['08:30'], horizonDays: 21 });
    expect(() => new BookingPolicies({ default: { slotTimes: ['10:00', '09:00'] }, centers: {} })).toThrow(/ascend/);
    expect(() => BookingPolicies.fromConfig('{"default":{"timeZone":"Mars/Olympus"}}', undefined)).toThrow(/time zone/);
  });
});

describe('BookingLifecycle', () => {
  it('allows exactly the documented transitions', () => {
    expect(canTransition('booked', 'checked_in')).toBe(true);
    expect(canTransition('checked_in', 'in_meeting')).toBe(true);
    expect(canTransition('in_meeting', 'completed')).toBe(true);
    expect(canTransition('no_show', 'void_late')).toBe(true);
    expect(canTransition('booked', 'in_meeting')).toBe(false);
    expect(canTransition('completed', 'cancelled')).toBe(false);
    expect(canTransition('in_meeting', 'cancelled')).toBe(false);
    expect(canTransition('cancelled', 'booked')).toBe(false);
  });
});
