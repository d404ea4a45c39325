import { z } from 'zod';

/** Ids are short, URL-safe and chosen by the admin (`st-haidian`, `dc-1-b3`). */
export const resourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'ids are 1-48 lower-case letters, digits or -, starting with a letter or digit');
const name = z.string().trim().min(1).max(100);
const active = z.boolean().default(true);

export const districtSchema = z.object({ id: resourceIdSchema, name, active }).strict();

export const locationSchema = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).strict();

/** A police station or case-handling center where lawyers sit at seat terminals. */
export const stationSchema = z
  .object({
    id: resourceIdSchema,
    name,
    kind: z.enum(['police_station', 'case_handling_center']).default('police_station'),
    districtId: resourceIdSchema,
    address: z.string().trim().min(1).max(200),
    phone: z.string().max(40).optional(),
    location: locationSchema.optional(),
    active,
  })
  .strict();

/** A detention center (or medical-custody center) with booth kiosks. */
export const centerSchema = z
  .object({
    id: resourceIdSchema,
    name,
    kind: z.enum(['detention_center', 'medical_custody_center']).default('detention_center'),
    districtId: resourceIdSchema,
    address: z.string().trim().min(1).max(200),
    phone: z.string().max(40).optional(),
    active,
  })
  .strict();

/** A station seat terminal. Its id is the terminal's device id. */
export const seatSchema = z.object({ id: resourceIdSchema, stationId: resourceIdSchema, label: name, active }).strict();

/** A booth kiosk in a detention center's secure area. Its id is the kiosk's device id. */
export const boothSchema = z.object({ id: resourceIdSchema, centerId: resourceIdSchema, label: name, active }).strict();

export const lawyerSchema = z
  .object({
    id: resourceIdSchema,
    name,
    firm: name,
    /** Practising licence number (执业证号): stored for the booking record, never logged or sent in notices. */
    licenceNumber: z.string().trim().regex(/^[0-9A-Za-z]{6,32}$/, 'a licence number is 6-32 letters or digits'),
    /** Mobile number notices go to. */
    phone: z.string().trim().regex(/^\+?[0-9]{6,20}$/, 'a phone number is 6-20 digits, optionally with a leading +'),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    active,
  })
  .strict();

export const procedureStageSchema = z.enum(['investigation', 'prosecution_review', 'trial', 'appeal', 'execution']);

/** A person held at a detention center. */
export const detaineeSchema = z
  .object({
    id: resourceIdSchema,
    centerId: resourceIdSchema,
    name,
    caseReference: z.string().trim().min(1).max(64),
    charge: z.string().trim().max(100).optional(),
    procedureStage: procedureStageSchema,
    /** False once released or transferred: no new bookings. */
    active,
  })
  .strict();

export type District = z.infer<typeof districtSchema>;
export type Station = z.infer<typeof stationSchema>;
export type Center = z.infer<typeof centerSchema>;
export type Seat = z.infer<typeof seatSchema>;
export type Booth = z.infer<typeof boothSchema>;
export type Lawyer = z.infer<typeof lawyerSchema>;
export type Detainee = z.infer<typeof detaineeSchema>;

export const resourceSchemas = {
  district: districtSchema,
  station: stationSchema,
  center: centerSchema,
  seat: seatSchema,
  booth: boothSchema,
  lawyer: lawyerSchema,
  detainee: detaineeSchema,
} as const;

export type ResourceKind = keyof typeof resourceSchemas;
export interface ResourceOf {
  district: District;
  station: Station;
  center: Center;
  seat: Seat;
  booth: Booth;
  lawyer: Lawyer;
  detainee: Detainee;
}
