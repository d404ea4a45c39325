import { randomUUID } from 'node:crypto';
import type { ResourceStore } from '../../store/ResourceStore';
import type { Booking } from '../Booking';
import type { BookingPolicies } from '../BookingPolicy';
import type { Center, Detainee, Lawyer, Station } from '../ResourceTypes';
import { localDateOf, localTimeOf } from '../ZonedCalendar';
import { noticeFields, type NoticeKind } from './Notice';
import { noticeText } from './NoticeTexts';

export interface ComposedNotice {
  id: string;
  fields: string[];
}

/** Writes a notice about a booking in the lawyer's language, with the center's local times. */
export class NoticeComposer {
  constructor(
    private readonly resources: ResourceStore,
    private readonly policies: BookingPolicies,
  ) {}

  /** `known` saves the look-ups when the caller already holds the resources. */
  async compose(
    kind: NoticeKind,
    booking: Pick<Booking, 'id' | 'lawyerId' | 'detaineeId' | 'stationId' | 'centerId' | 'startsAt' | 'endsAt'>,
    now: number,
    /** Free text (a staff reason or reply) or the same fact in each language. */
    detail?: string | Record<'zh-CN' | 'en', string>,
    known?: { lawyer: Lawyer; detainee: Detainee; station: Station; center: Center },
  ): Promise<ComposedNotice> {
    const [lawyer, detainee, station, center] = known
      ? [known.lawyer, known.detainee, known.station, known.center]
      : await Promise.all([
          this.resources.get('lawyer', booking.lawyerId),
          this.resources.get('detainee', booking.detaineeId),
          this.resources.get('station', booking.stationId),
          this.resources.get('center', booking.centerId),
        ]);
    const policy = this.policies.forCenter(booking.centerId);
    const zone = policy.timeZone;
    const locale = lawyer?.locale ?? 'zh-CN';
    const said = typeof detail === 'object' ? detail[locale] : detail;
    const text = noticeText(kind, {
      locale,
      reference: booking.id.toUpperCase(),
      lawyerName: lawyer?.name ?? '',
      detaineeName: detainee?.name ?? '',
      centerName: center?.name ?? '',
      stationName: station?.name ?? '',
      stationAddress: station?.address ?? '',
      date: localDateOf(booking.startsAt, zone),
      time: localTimeOf(booking.startsAt, zone),
      endTime: localTimeOf(booking.endsAt, zone),
      arriveBy: localTimeOf(booking.startsAt - policy.arriveEarlyMinutes * 60_000, zone),
      arriveEarlyMinutes: policy.arriveEarlyMinutes,
      lateVoidMinutes: policy.lateVoidMinutes,
      ...(said === undefined ? {} : { detail: said }),
    });
    const id = `n${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    return { id, fields: noticeFields({ id, kind, bookingId: booking.id, lawyerId: booking.lawyerId, to: lawyer?.phone ?? '', text, createdAt: now }) };
  }
}
