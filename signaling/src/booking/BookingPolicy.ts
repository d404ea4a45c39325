import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLocalDate, isTimeZone, localTimePattern } from './ZonedCalendar';

const localDate = z.string().refine(isLocalDate, 'a date is YYYY-MM-DD');
const minutes = (max: number) => z.number().int().min(0).max(max);

/**
 * The booking rules of one detention center. The defaults are Beijing's published rules, with
 * Shenzhen's suspension after repeated no-shows.
 */
export const bookingPolicySchema = z
  .object({
    /** IANA zone of the center; slots, dates and working days are local to it. */
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai'),
    /** Local start times of the day's slots, ascending. */
    slotTimes: z.array(z.string().regex(localTimePattern, 'a time is HH:MM')).min(1).max(24),
    slotMinutes: z.number().int().min(15).max(240),
    /** A slot may be booked only on or after this many working days after today. */
    minWorkingDaysAhead: z.number().int().min(0).max(30),
    /** How far ahead slots are offered, calendar days. */
    horizonDays: z.number().int().min(1).max(120),
    /** Longest run of back-to-back slots one lawyer may hold with one detainee. */
    maxConsecutiveMinutes: minutes(1440),
    /** Most slot time one lawyer may hold with one detainee on one day. */
    maxMinutesPerDay: minutes(1440),
    /** Told to the lawyer in every notice. */
    arriveEarlyMinutes: minutes(240),
    /** Check-in at the station opens this long before the slot. */
    checkInOpensMinutesBefore: minutes(480),
    /** Not checked in this long after the slot starts: the booking is void. */
    lateVoidMinutes: minutes(120),
    /** A lawyer may cancel only this long before the slot (staff may always cancel). */
    cancelMinHoursAhead: z.number().min(0).max(720),
    /** Booking is suspended while a lawyer has this many no-shows inside the window. */
    noShowLimit: z.number().int().min(1).max(100),
    noShowWindowDays: z.number().int().min(1).max(3650),
    /** A late void counts as a no-show for the suspension. */
    lateCountsAsNoShow: z.boolean(),
    /** The reminder notice goes out this long before the slot. */
    reminderHoursBefore: z.number().min(0).max(168),
    /** ISO weekdays (1 = Monday) that are working days. */
    workingWeekdays: z.array(z.number().int().min(1).max(7)).min(1),
    /** Public holidays (no slots, not working days) and make-up working days (调休). */
    holidays: z.array(localDate).max(400),
    extraWorkingDays: z.array(localDate).max(100),
  })
  .strict()
  .refine((p) => p.slotTimes.every((t, i) => i === 0 || t > p.slotTimes[i - 1]!), 'slotTimes must ascend');

export type BookingPolicy = z.infer<typeof bookingPolicySchema>;

export const beijingPolicy: BookingPolicy = {
  timeZone: 'Asia/Shanghai',
  slotTimes: ['09:00', '10:00', '14:00', '15:00'],
  slotMinutes: 60,
  minWorkingDaysAhead: 2,
  horizonDays: 14,
  maxConsecutiveMinutes: 120,
  maxMinutesPerDay: 120,
  arriveEarlyMinutes: 30,
  checkInOpensMinutesBefore: 60,
  lateVoidMinutes: 10,
  cancelMinHoursAhead: 24,
  noShowLimit: 3,
  noShowWindowDays: 90,
  lateCountsAsNoShow: true,
  reminderHoursBefore: 24,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [],
  extraWorkingDays: [],
};

/** Shenzhen's published differences: arrive 20 minutes early, void at 5 minutes late. */
export const shenzhenPolicy: BookingPolicy = { ...beijingPolicy, arriveEarlyMinutes: 20, lateVoidMinutes: 5 };

export const policyPresets = { beijing: beijingPolicy, shenzhen: shenzhenPolicy } as const;

const overrideSchema = z.object({ preset: z.enum(['beijing', 'shenzhen']).optional() }).catchall(z.unknown());

/** `BOOKING_POLICIES`: `{ "default": {preset?, ...fields}, "centers": { "<centerId>": {preset?, ...fields} } }`. */
export const policyConfigSchema = z
  .object({
    default: overrideSchema.default({}),
    centers: z.record(z.string(), overrideSchema).default({}),
  })
  .strict();

export type PolicyConfig = z.infer<typeof policyConfigSchema>;

function resolve(base: BookingPolicy, override: z.infer<typeof overrideSchema>, where: string): BookingPolicy {
  const { preset, ...fields } = override;
  const parsed = bookingPolicySchema.safeParse({ ...(preset ? policyPresets[preset] : base), ...fields });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`booking policy ${where}: ${issue?.path.join('.') || 'policy'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The policy in force at each detention center: the configured default unless the center has its own. */
export class BookingPolicies {
  readonly fallback: BookingPolicy;
  private readonly byCenter = new Map<string, BookingPolicy>();

  constructor(config: PolicyConfig = { default: {}, centers: {} }) {
    this.fallback = resolve(beijingPolicy, config.default, 'default');
    for (const [centerId, override] of Object.entries(config.centers)) {
      this.byCenter.set(centerId, resolve(this.fallback, override, `for center ${centerId}`));
    }
  }

  /** Read the JSON of `BOOKING_POLICIES` or the file named by `BOOKING_POLICIES_FILE`. */
  static fromConfig(json: string | undefined, file: string | undefined): BookingPolicies {
    const text = file ? readFileSync(file, 'utf8') : json;
    if (!text) return new BookingPolicies();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error('booking policies: not valid JSON');
    }
    const parsed = policyConfigSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`booking policies: ${parsed.error.issues[0]?.message}`);
    return new BookingPolicies(parsed.data);
  }

  forCenter(centerId: string): BookingPolicy {
    return this.byCenter.get(centerId) ?? this.fallback;
  }

  /** Every center with its own policy, and the default. */
  describe(): { default: BookingPolicy; centers: Record<string, BookingPolicy> } {
    return { default: this.fallback, centers: Object.fromEntries(this.byCenter) };
  }
}
