import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry, Booking, Feedback } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatDate, formatSlot, formatTime, t } from '../common/i18n';
import type { View } from '../common/ui/AppShell';
import { field, notice } from '../common/ui/forms';
import { h, mount } from '../common/ui/h';
import { ratingInput } from '../common/ui/ratingInput';
import { statusBadge } from '../common/ui/StatusBadge';

/**
 * One booking: the confirmation (when, where, arrive by, what to bring, the reference), cancel
 * within the rules (each refusal says which rule and what to do), and after the meeting the
 * follow-up rating and the staff's reply.
 */
export class BookingDetail implements View {
  readonly element = h('section', { class: 'booking-detail', id: 'booking-detail', 'aria-labelledby': 'booking-title' });
  private entry: AgendaEntry | undefined;
  private feedback: Feedback | null | undefined;
  private error = '';
  private cancelMessage: { tone: 'ok' | 'bad'; text: string } | undefined;
  private confirmingCancel = false;
  private rating = 0;
  private feedbackError = '';

  constructor(
    private readonly api: ApiClient,
    private readonly id: string,
    private readonly justBooked: boolean,
  ) {}

  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const booking = await this.api.get<Booking>(`/bookings/${this.id}`);
      const day = await this.api.get<AgendaEntry[]>('/agenda', { from: booking.date, to: booking.date });
      this.entry = day.find((e) => e.id === this.id);
      if (this.entry?.status === 'completed') {
        this.feedback = await this.api.get<Feedback>(`/bookings/${this.id}/feedback`).catch((error: { code?: string }) => {
          if (error.code === 'NOT_FOUND') return null;
          throw error;
        });
      }
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  render(): void {
    const entry = this.entry;
    if (!entry) {
      mount(this.element, h('h1', { id: 'booking-title' }, t('portal.booking.title')), this.error ? notice('bad', this.error) : h('p', { class: 'muted' }, t('app.loading')));
      return;
    }
    const zone = entry.timeZone;
    const parts: Node[] = [];
    if (this.justBooked) parts.push(notice('ok', t('portal.booking.confirmed'), 'booking-confirmed'));
    parts.push(
      h('h1', { id: 'booking-title' }, t('portal.booking.title'), ' ', statusBadge(entry.status)),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, t('portal.booking.when')),
        h('dd', { id: 'booking-when' }, formatSlot(entry.startsAt, entry.endsAt, zone)),
        h('dt', null, t('portal.booking.where')),
        h('dd', null, h('span', { translate: 'no' }, entry.stationName), h('br'), h('span', { class: 'muted', translate: 'no' }, entry.stationAddress)),
        h('dt', null, t('portal.booking.client')),
        h('dd', null, h('span', { translate: 'no' }, entry.detaineeName), ' · ', h('span', { translate: 'no' }, entry.centerName)),
        h('dt', null, t('portal.booking.reference')),
        h('dd', { id: 'booking-reference', translate: 'no' }, entry.id.toUpperCase()),
      ),
    );
    if (entry.status === 'booked') {
      parts.push(
        h(
          'section',
          { class: 'card bring', id: 'what-to-bring', 'aria-labelledby': 'bring-title' },
          h('h2', { id: 'bring-title' }, t('portal.booking.bringTitle')),
          h('p', null, t('portal.booking.arriveBy', { time: formatTime(entry.arriveBy, zone), date: formatDate(entry.arriveBy, zone) })),
          h('ul', null, h('li', null, t('bring.id')), h('li', null, t('bring.licence')), h('li', null, t('bring.letter'))),
          h('p', { class: 'muted' }, t('portal.booking.lateRule', { time: formatTime(entry.voidAfter, zone) })),
        ),
        this.cancelSection(entry),
      );
    }
    if (entry.status === 'cancelled' && entry.cancellation) parts.push(notice('info', t('portal.booking.cancelledOn', { date: formatDate(entry.cancellation.at, zone), time: formatTime(entry.cancellation.at, zone) })));
    if (entry.status === 'completed') parts.push(this.feedbackSection());
    if (this.error) parts.push(notice('bad', this.error));
    parts.push(h('p', null, h('a', { href: '#/bookings' }, t('portal.booking.back'))));
    mount(this.element, ...parts);
  }

  private cancelSection(entry: AgendaEntry): HTMLElement {
    const zone = entry.timeZone;
    const children: Node[] = [
      h('h2', null, t('portal.booking.cancelTitle')),
      h('p', { class: 'muted' }, t('portal.booking.cancelRule', { time: formatTime(entry.cancelUntil, zone), date: formatDate(entry.cancelUntil, zone) })),
    ];
    if (this.confirmingCancel) {
      children.push(
        h('p', null, t('portal.booking.cancelSure')),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', id: 'cancel-no', on: { click: () => ((this.confirmingCancel = false), this.render()) } }, t('portal.booking.keep')),
          h('button', { type: 'button', class: 'danger', id: 'cancel-yes', on: { click: () => void this.cancel() } }, t('portal.booking.cancelYes')),
        ),
      );
    } else {
      children.push(h('button', { type: 'button', class: 'danger', id: 'cancel-booking', on: { click: () => ((this.confirmingCancel = true), this.render(), document.getElementById('cancel-no')?.focus()) } }, t('portal.booking.cancel')));
    }
    if (this.cancelMessage) children.push(notice(this.cancelMessage.tone, this.cancelMessage.text, 'cancel-message'));
    return h('section', { class: 'card', id: 'cancel' }, ...children);
  }

  private async cancel(): Promise<void> {
    this.confirmingCancel = false;
    try {
      await this.api.post(`/bookings/${this.id}/cancel`, {});
      this.cancelMessage = { tone: 'ok', text: t('portal.booking.cancelDone') };
      await this.load();
    } catch (error) {
      this.cancelMessage = { tone: 'bad', text: errorText(error, this.entry?.timeZone) };
      this.render();
    }
    document.getElementById('cancel-message')?.focus();
  }

  private feedbackSection(): HTMLElement {
    const feedback = this.feedback;
    if (feedback === undefined) return h('p', { class: 'muted' }, t('app.loading'));
    if (feedback) {
      return h(
        'section',
        { class: 'card', id: 'feedback' },
        h('h2', null, t('portal.feedback.yours')),
        h('p', { id: 'feedback-rating' }, t('portal.feedback.rated', { rating: feedback.rating })),
        feedback.comment ? h('p', { translate: 'no' }, feedback.comment) : null,
        feedback.suggestion ? h('p', null, t('portal.feedback.suggestion'), ' ', h('span', { translate: 'no' }, feedback.suggestion)) : null,
        feedback.resolution
          ? h('div', { class: 'reply', id: 'staff-reply' }, h('h3', null, t('portal.feedback.reply')), h('p', { translate: 'no' }, feedback.resolution.reply))
          : feedback.status === 'open'
            ? h('p', { class: 'muted' }, t('portal.feedback.awaitingReply'))
            : null,
      );
    }
    const comment = h('textarea', { id: 'feedback-comment', name: 'comment', maxlength: 1000, rows: 3 });
    const suggestion = h('textarea', { id: 'feedback-suggestion', name: 'suggestion', maxlength: 1000, rows: 3 });
    return h(
      'form',
      {
        class: 'card',
        id: 'feedback-form',
        on: {
          submit: (event: Event) => {
            event.preventDefault();
            void this.submitFeedback(comment.value, suggestion.value);
          },
        },
      },
      h('h2', null, t('rating.title')),
      h('p', { id: 'portal-rating-question' }, t('rating.question')),
      ratingInput(this.rating, (value) => (this.rating = value), 'portal-rating-question'),
      field(t('rating.comment'), comment),
      field(t('rating.suggestion'), suggestion),
      this.feedbackError ? notice('bad', this.feedbackError) : null,
      h('button', { type: 'submit', class: 'primary', id: 'feedback-submit' }, t('rating.submit')),
    );
  }

  private async submitFeedback(comment: string, suggestion: string): Promise<void> {
    if (this.rating === 0) {
      this.feedbackError = t('rating.choose');
      this.render();
      return;
    }
    try {
      this.feedback = await this.api.post<Feedback>(`/bookings/${this.id}/feedback`, {
        rating: this.rating,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(suggestion.trim() ? { suggestion: suggestion.trim() } : {}),
      });
      this.feedbackError = '';
    } catch (error) {
      this.feedbackError = errorText(error);
    }
    this.render();
  }
}
