import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PersonAccounts, PersonRole } from '../auth/PersonAccounts';
import { systemActor } from '../booking/Booking';
import type { BookingModule } from '../booking/BookingModule';
import { terminalStatuses } from '../booking/BookingLifecycle';
import { bookMeetingNow } from '../booking/MeetingNow';
import type { Booth, Center, Detainee, District, Lawyer, Seat, Station } from '../booking/ResourceTypes';

/** Redis key naming the demo's current meeting (read by /api/demo/links). */
export const demoMeetingKey = 'huijian:demo:meeting';

const districts: District[] = [
  { id: 'haidian', name: '海淀区', active: true },
  { id: 'chaoyang', name: '朝阳区', active: true },
];

const stations: Station[] = [
  { id: 'st-zhongguancun', name: '中关村派出所', kind: 'police_station', districtId: 'haidian', address: '北京市海淀区中关村大街 1 号', phone: '010-00000001', location: { lat: 39.983, lng: 116.316 }, active: true },
  { id: 'st-haidian-center', name: '海淀区执法办案中心', kind: 'case_handling_center', districtId: 'haidian', address: '北京市海淀区北清路 100 号', phone: '010-00000002', location: { lat: 40.05, lng: 116.27 }, active: true },
  { id: 'st-sanlitun', name: '三里屯派出所', kind: 'police_station', districtId: 'chaoyang', address: '北京市朝阳区工体北路 2 号', phone: '010-00000003', location: { lat: 39.936, lng: 116.455 }, active: true },
];

const seats: Seat[] = [
  { id: 'seat-zgc-1', stationId: 'st-zhongguancun', label: '1号席位', active: true },
  { id: 'seat-zgc-2', stationId: 'st-zhongguancun', label: '2号席位', active: true },
  { id: 'seat-hdc-1', stationId: 'st-haidian-center', label: '1号席位', active: true },
  { id: 'seat-hdc-2', stationId: 'st-haidian-center', label: '2号席位', active: true },
  { id: 'seat-hdc-3', stationId: 'st-haidian-center', label: '3号席位', active: true },
  { id: 'seat-slt-1', stationId: 'st-sanlitun', label: '1号席位', active: true },
];

const centers: Center[] = [
  { id: 'dc-haidian', name: '海淀区看守所', kind: 'detention_center', districtId: 'haidian', address: '北京市海淀区看守所路 1 号', phone: '010-00000010', active: true },
  { id: 'dc-city-1', name: '北京市第一看守所', kind: 'detention_center', districtId: 'chaoyang', address: '北京市朝阳区看守所路 3 号', phone: '010-00000011', active: true },
];

const booths: Booth[] = [
  { id: 'booth-hd-1', centerId: 'dc-haidian', label: '1号会见室', active: true },
  { id: 'booth-hd-2', centerId: 'dc-haidian', label: '2号会见室', active: true },
  { id: 'booth-hd-3', centerId: 'dc-haidian', label: '3号会见室', active: true },
  { id: 'booth-c1-1', centerId: 'dc-city-1', label: '1号会见室', active: true },
  { id: 'booth-c1-2', centerId: 'dc-city-1', label: '2号会见室', active: true },
];

const lawyers: Lawyer[] = [
  { id: 'law-zhang', name: '张明', firm: '北京明德律师事务所', licenceNumber: '11101201810000001', phone: '13800000001', locale: 'zh-CN', active: true },
  { id: 'law-li', name: '李静', firm: '北京正义律师事务所', licenceNumber: '11101201910000002', phone: '13800000002', locale: 'zh-CN', active: true },
  { id: 'law-wang', name: 'Wang Lei', firm: 'Beijing Harbour Law Firm', licenceNumber: '11101202010000003', phone: '13800000003', locale: 'en', active: true },
];

const detainees: Detainee[] = [
  { id: 'det-0001', centerId: 'dc-haidian', name: '李某', caseReference: 'HD-2026-0417', charge: '盗窃', procedureStage: 'investigation', active: true },
  { id: 'det-0002', centerId: 'dc-haidian', name: '王某', caseReference: 'HD-2026-0523', charge: '诈骗', procedureStage: 'prosecution_review', active: true },
  { id: 'det-0003', centerId: 'dc-city-1', name: '陈某', caseReference: 'BJ1-2026-0031', charge: '合同诈骗', procedureStage: 'trial', active: true },
  { id: 'det-0004', centerId: 'dc-city-1', name: '刘某', caseReference: 'BJ1-2026-0102', procedureStage: 'investigation', active: true },
];

/** The demo's sign-ins; all share the password given in DEMO_PASSWORD. */
export const demoAccounts: { username: string; displayName: string; role: PersonRole; siteId?: string }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'ops', displayName: '运维值班', role: 'ops' },
  { username: 'officer.zgc', displayName: '中关村派出所 王警官', role: 'station_officer', siteId: 'st-zhongguancun' },
  { username: 'officer.hdc', displayName: '海淀执法办案中心 赵警官', role: 'station_officer', siteId: 'st-haidian-center' },
  { username: 'officer.dc-haidian', displayName: '海淀区看守所 孙管教', role: 'detention_officer', siteId: 'dc-haidian' },
  { username: 'officer.dc-city-1', displayName: '市一看 周管教', role: 'detention_officer', siteId: 'dc-city-1' },
  { username: 'lawyer.zhang', displayName: '张明律师', role: 'lawyer', siteId: 'law-zhang' },
  { username: 'lawyer.li', displayName: '李静律师', role: 'lawyer', siteId: 'law-li' },
  { username: 'lawyer.wang', displayName: 'Wang Lei', role: 'lawyer', siteId: 'law-wang' },
];

/**
 * Demo data: 2 districts, 3 stations with 6 seats, 2 centers with 5 booths, lawyers, detainees,
 * sign-ins, and a meeting happening now (`bookMeetingNow`: lawyer checked in, detainee seated)
 * so the two demo links open a working call. Idempotent: a restart replaces the previous demo
 * meeting.
 */
export async function seedDemoData(deps: { redis: Redis; booking: BookingModule; accounts: PersonAccounts; password: string | undefined; log: Logger; now?: number }): Promise<string> {
  const { redis, booking, accounts, log } = deps;
  const { resources, store, projection } = booking.ctx;
  const now = deps.now ?? booking.ctx.now();
  for (const d of districts) await resources.put('district', d);
  for (const s of stations) await resources.put('station', s);
  for (const s of seats) await resources.put('seat', s);
  for (const c of centers) await resources.put('center', c);
  for (const b of booths) await resources.put('booth', b);
  for (const l of lawyers) await resources.put('lawyer', l);
  for (const d of detainees) await resources.put('detainee', d);
  if (deps.password) {
    for (const account of demoAccounts) await accounts.create({ ...account, password: deps.password });
  } else {
    log.warn('DEMO_PASSWORD is not set: no demo sign-ins were created');
  }

  // The previous run's meeting, if still open, gives way to a fresh one.
  const previousMeeting = await redis.get(demoMeetingKey);
  const previous = previousMeeting ? await store.get(previousMeeting.replace(/^m-/, '')) : undefined;
  if (previous && !terminalStatuses.includes(previous.status)) {
    const cancellation = { by: systemActor.username, byRole: systemActor.role, at: now, reason: 'demo restarted' };
    await store
      .change(previous)
      .set({ status: 'cancelled', cancellation, updatedAt: now })
      .history({ from: previous.status, to: 'cancelled', at: now, by: 'system', role: 'system', note: 'demo_restart' })
      .release()
      .commit(now);
    await projection.sync({ ...previous, status: 'cancelled', cancellation, version: previous.version + 1 });
  }

  const made = await bookMeetingNow(
    booking,
    {
      lawyerId: 'law-zhang',
      detaineeId: 'det-0001',
      stationId: 'st-zhongguancun',
      checkedInBy: { username: 'officer.zgc', name: '中关村派出所 王警官' },
      seatedBy: { username: 'officer.dc-haidian', name: '海淀区看守所 孙管教' },
      note: 'demo_seed',
    },
    now,
  );
  await redis.set(demoMeetingKey, made.meetingId);
  log.info({ bookingId: made.id, meetingId: made.meetingId, endsAt: made.endsAt }, 'demo data seeded');
  return made.meetingId;
}
