import type { BookingStatus } from '../api/types';
import { t } from '../i18n';
import { h } from './h';

export function statusBadge(status: BookingStatus): HTMLElement {
  return h('span', { class: ['badge', `status-${status}`], data: { status } }, t(`status.${status}`));
}
