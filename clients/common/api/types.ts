/**
 * The shapes of the REST answers the screens read (the OpenAPI document at /api/openapi.json is
 * the reference). Declared here because the browser code depends on the protocol package only.
 */
export type PersonRole = 'lawyer' | 'station_officer' | 'detention_officer' | 'ops' | 'admin';

export interface Person {
  username: string;
  displayName: string;
  role: PersonRole;
  siteId?: string;
}

export type BookingStatus = 'booked' | 'checked_in' | 'in_meeting' | 'completed' | 'cancelled' | 'no_show' | 'void_late';

export interface Booking {
  id: string;
  meetingId: string;
  version: number;
  status: BookingStatus;
  lawyerId: string;
  detaineeId: string;
  stationId: string;
  seatId: string;
  centerId: string;
  boothId: string;
  startsAt: number;
  endsAt: number;
  date: string;
  time: string;
  createdAt: number;
  checkIn?: { by: string; byName: string; at: number };
  seating?: { by: string; byName: string; at: number };
  cancellation?: { by: string; byRole: string; at: number; reason: string };
  endedAt?: number;
  endedEarly?: boolean;
}

/** GET /api/agenda: a booking with names, places, the center's zone and the day's deadlines. */
export interface AgendaEntry extends Booking {
  lawyerName: string;
  lawyerFirm: string;
  lawyerPhone?: string;
  detaineeName: string;
  stationName: string;
  stationAddress: string;
  centerName: string;
  seatLabel: string;
  boothLabel: string;
  timeZone: string;
  arriveBy: number;
  checkInOpensAt: number;
  voidAfter: number;
  cancelUntil: number;
}

export interface AvailableSlot {
  startsAt: number;
  endsAt: number;
  date: string;
  time: string;
  stationId: string;
  stationName: string;
  districtId: string;
  centerId: string;
  freeSeats: number;
  freeBooths: number;
  distanceKm?: number;
}

export interface District {
  id: string;
  name: string;
  active: boolean;
}

export interface Station {
  id: string;
  name: string;
  kind: 'police_station' | 'case_handling_center';
  districtId: string;
  address: string;
  phone?: string;
  active: boolean;
}

export interface Center {
  id: string;
  name: string;
  kind: 'detention_center' | 'medical_custody_center';
  districtId: string;
  address: string;
  phone?: string;
  active: boolean;
}

export interface Seat {
  id: string;
  stationId: string;
  label: string;
  active: boolean;
}

export interface Booth {
  id: string;
  centerId: string;
  label: string;
  active: boolean;
}

export interface Lawyer {
  id: string;
  name: string;
  firm: string;
  licenceNumber: string;
  phone: string;
  locale: 'zh-CN' | 'en';
  active: boolean;
}

export type ProcedureStage = 'investigation' | 'prosecution_review' | 'trial' | 'appeal' | 'execution';

export interface Detainee {
  id: string;
  centerId: string;
  name: string;
  caseReference?: string;
  charge?: string;
  procedureStage: ProcedureStage;
  active?: boolean;
}

export interface Feedback {
  bookingId: string;
  lawyerId: string;
  stationId: string;
  centerId: string;
  rating: number;
  comment?: string;
  suggestion?: string;
  channel: 'online' | 'phone';
  recordedBy: string;
  createdAt: number;
  status: 'open' | 'noted' | 'resolved';
  resolution?: { actionTaken: string; reply: string; by: string; byName: string; at: number };
}

export interface FollowUpDue {
  bookingId: string;
  lawyerId: string;
  startsAt: number;
  stationId: string;
  centerId: string;
}

export interface UnitStatus {
  id: string;
  label: string;
  kind: 'seat' | 'booth';
  active: boolean;
  online: boolean;
  state: 'free' | 'assigned' | 'in_meeting';
  meetingId?: string;
  bookingId?: string;
  startsAt?: number;
  endsAt?: number;
  peerPresent?: boolean;
}

export interface RegisteredDevice {
  deviceId: string;
  kind: 'seat' | 'booth';
  label: string;
  siteId?: string;
  credentialId: string;
  provisionedAt: number;
  provisionedBy: string;
  revokedAt?: number;
  online?: boolean;
}

export interface BookingPolicy {
  timeZone: string;
  slotTimes: string[];
  slotMinutes: number;
  minWorkingDaysAhead: number;
  horizonDays: number;
  maxConsecutiveMinutes: number;
  maxMinutesPerDay: number;
  arriveEarlyMinutes: number;
  checkInOpensMinutesBefore: number;
  lateVoidMinutes: number;
  cancelMinHoursAhead: number;
  noShowLimit: number;
  noShowWindowDays: number;
  lateCountsAsNoShow: boolean;
  reminderHoursBefore: number;
  workingWeekdays: number[];
  holidays: string[];
  extraWorkingDays: string[];
}
