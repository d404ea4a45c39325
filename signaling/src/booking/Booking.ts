import { z } from 'zod';

/**
 * booked → checked_in → in_meeting → completed, and the ends cancelled, no_show, void_late.
 * in_meeting means both ends are in place (lawyer checked in at the seat, detainee seated at the
 * booth); the call itself runs inside the slot window the join gate enforces.
 */
export const bookingStatusSchema = z.enum(['booked', 'checked_in', 'in_meeting', 'completed', 'cancelled', 'no_show', 'void_late']);
export type BookingStatus = z.infer<typeof bookingStatusSchema>;

/** Who did something: a signed-in person, or the server's clock. */
export const actorSchema = z.object({
  username: z.string(),
  role: z.enum(['lawyer', 'station_officer', 'detention_officer', 'ops', 'admin', 'system']),
  name: z.string(),
  siteId: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;
export const systemActor: Actor = { username: 'system', role: 'system', name: 'server clock' };

/** "Verified by officer X at T": what was checked, never document images or numbers. */
export const checkInSchema = z.object({
  by: z.string(),
  byName: z.string(),
  at: z.number().int(),
  identityVerified: z.literal(true),
  licenceVerified: z.literal(true),
  authorizationLetterVerified: z.literal(true),
  noticeSigned: z.literal(true),
});

export const seatingSchema = z.object({ by: z.string(), byName: z.string(), at: z.number().int() });

export const cancellationSchema = z.object({
  by: z.string(),
  byRole: actorSchema.shape.role,
  at: z.number().int(),
  reason: z.string().max(300),
});

export const bookingSchema = z.object({
  id: z.string(),
  /** The meeting the join gate and the devices know; stable for the booking's life. */
  meetingId: z.string(),
  version: z.number().int().min(1),
  status: bookingStatusSchema,
  lawyerId: z.string(),
  detaineeId: z.string(),
  stationId: z.string(),
  seatId: z.string(),
  centerId: z.string(),
  boothId: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  /** Local date and start time at the center. */
  date: z.string(),
  time: z.string(),
  createdAt: z.number().int(),
  createdBy: z.string(),
  updatedAt: z.number().int(),
  checkIn: checkInSchema.optional(),
  seating: seatingSchema.optional(),
  cancellation: cancellationSchema.optional(),
  /** When the meeting ended and whether before the slot's end. */
  endedAt: z.number().int().optional(),
  endedEarly: z.boolean().optional(),
  /** The slot end before an extension. */
  extendedFrom: z.number().int().optional(),
});

export type Booking = z.infer<typeof bookingSchema>;

export const historyEntrySchema = z.object({
  from: bookingStatusSchema.nullable(),
  to: bookingStatusSchema,
  at: z.number().int(),
  by: z.string(),
  role: actorSchema.shape.role,
  /** A short machine-readable note: 'late', 'slot_end', 'seat_moved', 'extended', … */
  note: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** Each field of the Redis hash holds its value as JSON. */
export function bookingToHash(booking: Partial<Booking>): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const [field, value] of Object.entries(booking)) if (value !== undefined) hash[field] = JSON.stringify(value);
  return hash;
}

export function bookingFromHash(hash: Record<string, string>): Booking | undefined {
  if (!hash.id) return undefined;
  const object: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(hash)) object[field] = JSON.parse(value);
  return bookingSchema.parse(object);
}
