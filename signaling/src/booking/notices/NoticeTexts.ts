import type { NoticeKind } from './Notice';

/** Everything a notice may say. Times are already local to the detention center. */
export interface NoticeFacts {
  locale: 'zh-CN' | 'en';
  reference: string;
  lawyerName: string;
  detaineeName: string;
  centerName: string;
  stationName: string;
  stationAddress: string;
  date: string;
  time: string;
  endTime: string;
  /** Latest arrival time (slot start minus the arrive-early minutes). */
  arriveBy: string;
  arriveEarlyMinutes: number;
  lateVoidMinutes: number;
  /** Cancellation reason, the change, or the staff reply. */
  detail?: string;
}

type Texts = Record<NoticeKind, (f: NoticeFacts) => string>;

const zh: Texts = {
  confirmation: (f) =>
    `【会见预约】${f.lawyerName}律师：您已预约${f.date} ${f.time}-${f.endTime}在${f.stationName}（${f.stationAddress}）与${f.centerName}在押人员${f.detaineeName}远程视频会见。` +
    `请于${f.arriveBy}前到达（提前${f.arriveEarlyMinutes}分钟），携带身份证、律师执业证和授权委托书；迟到超过${f.lateVoidMinutes}分钟预约作废。预约号${f.reference}。`,
  reminder: (f) =>
    `【会见提醒】${f.lawyerName}律师：您预约的${f.date} ${f.time}远程会见（${f.detaineeName}）在${f.stationName}（${f.stationAddress}）。` +
    `请于${f.arriveBy}前到达，携带身份证、律师执业证和授权委托书。预约号${f.reference}。`,
  change: (f) =>
    `【会见变更】${f.lawyerName}律师：您${f.date} ${f.time}的远程会见（${f.detaineeName}）有变更：${f.detail ?? ''}。地点${f.stationName}（${f.stationAddress}）。预约号${f.reference}。`,
  cancellation: (f) =>
    `【会见取消】${f.lawyerName}律师：您${f.date} ${f.time}在${f.stationName}的远程会见（${f.detaineeName}）已取消。原因：${f.detail ?? '未说明'}。预约号${f.reference}。`,
  void: (f) =>
    `【预约作废】${f.lawyerName}律师：您${f.date} ${f.time}在${f.stationName}的远程会见（${f.detaineeName}）因未按时签到已作废。多次未到将暂停预约。预约号${f.reference}。`,
  feedback_reply: (f) =>
    `【回访答复】${f.lawyerName}律师：您对${f.date} ${f.time}会见提出的意见已处理：${f.detail ?? ''}。感谢您的监督。`,
};

const en: Texts = {
  confirmation: (f) =>
    `[Meeting booked] ${f.lawyerName}: your remote meeting with ${f.detaineeName} (${f.centerName}) is on ${f.date} ${f.time}-${f.endTime} at ${f.stationName}, ${f.stationAddress}. ` +
    `Arrive by ${f.arriveBy} (${f.arriveEarlyMinutes} min early) with your ID card, practising licence and authorization letter; more than ${f.lateVoidMinutes} min late voids the booking. Ref ${f.reference}.`,
  reminder: (f) =>
    `[Reminder] ${f.lawyerName}: remote meeting with ${f.detaineeName} on ${f.date} ${f.time} at ${f.stationName}, ${f.stationAddress}. ` +
    `Arrive by ${f.arriveBy} with your ID card, practising licence and authorization letter. Ref ${f.reference}.`,
  change: (f) =>
    `[Meeting changed] ${f.lawyerName}: your meeting with ${f.detaineeName} on ${f.date} ${f.time} changed: ${f.detail ?? ''}. Place: ${f.stationName}, ${f.stationAddress}. Ref ${f.reference}.`,
  cancellation: (f) =>
    `[Meeting cancelled] ${f.lawyerName}: your meeting with ${f.detaineeName} on ${f.date} ${f.time} at ${f.stationName} is cancelled. Reason: ${f.detail ?? 'not given'}. Ref ${f.reference}.`,
  void: (f) =>
    `[Booking void] ${f.lawyerName}: your meeting with ${f.detaineeName} on ${f.date} ${f.time} at ${f.stationName} is void: no check-in in time. Repeated no-shows suspend booking. Ref ${f.reference}.`,
  feedback_reply: (f) =>
    `[Follow-up] ${f.lawyerName}: about your meeting on ${f.date} ${f.time}, what was done: ${f.detail ?? ''}. Thank you.`,
};

export function noticeText(kind: NoticeKind, facts: NoticeFacts): string {
  return (facts.locale === 'en' ? en : zh)[kind](facts);
}
