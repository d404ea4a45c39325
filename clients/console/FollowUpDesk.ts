import type { ApiClient } from '../common/api/ApiClient';
import type { AgendaEntry, Feedback, FollowUpDue } from '../common/api/types';
import { errorText } from '../common/errorText';
import { formatDate, formatTime, t } from '../common/i18n';
import { localDate } from '../common/localDate';
import type { View } from '../common/ui/AppShell';
import { field, notice } from '../common/ui/forms';
import { withData } from '../common/ui/withData';
import { h, mount } from '../common/ui/h';
import { ratingInput } from '../common/ui/ratingInput';

/**
 * Follow-up (回访): suggestions waiting for an answer (record what was done and reply; the lawyer
 * sees the reply and gets it as a text), the lawyers to phone back (record their rating), and
 * all recent feedback. Staff see their own site's; admins all.
 */
export class FollowUpDesk implements View {
  readonly element = h('div', { class: 'follow-up-desk', id: 'follow-up-desk' });
  private open: Feedback[] = [];
  private all: Feedback[] = [];
  private due: FollowUpDue[] = [];
  private bookings = new Map<string, AgendaEntry>();
  private loaded = false;
  private error = '';
  private replying: { id: string; error: string } | undefined;
  private recording: { id: string; rating: number; error: string } | undefined;
  private message = '';

  constructor(private readonly api: ApiClient) {}

  show(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [open, all, due, agenda] = await Promise.all([
        this.api.get<Feedback[]>('/feedback', { status: 'open' }),
        this.api.get<Feedback[]>('/feedback', { status: 'all', limit: 30 }),
        this.api.get<FollowUpDue[]>('/follow-ups/due', { days: 14 }),
        this.api.get<AgendaEntry[]>('/agenda', { from: localDate('UTC', -45), to: localDate('UTC', 1) }),
      ]);
      this.open = open;
      this.all = all;
      this.due = due;
      this.bookings = new Map(agenda.map((entry) => [entry.id, entry]));
      this.loaded = true;
      this.error = '';
    } catch (error) {
      this.error = errorText(error);
    }
    this.render();
  }

  render(): void {
    const parts: Node[] = [h('h1', null, t('followUp.title'))];
    if (this.error) parts.push(notice('bad', this.error));
    if (this.message) parts.push(notice('ok', this.message, 'follow-up-message'));
    if (!this.loaded) {
      mount(this.element, ...parts, h('p', { class: 'muted' }, t('app.loading')));
      return;
    }
    parts.push(
      h(
        'section',
        { 'aria-labelledby': 'open-title', id: 'open-feedback' },
        h('h2', { id: 'open-title' }, t('followUp.open'), ` (${this.open.length})`),
        this.open.length ? h('ul', { class: 'feedback-list' }, ...this.open.map((f) => this.feedbackItem(f, true))) : h('p', { class: 'muted' }, t('followUp.noneOpen')),
      ),
      h(
        'section',
        { 'aria-labelledby': 'due-title', id: 'due-calls' },
        h('h2', { id: 'due-title' }, t('followUp.due'), ` (${this.due.length})`),
        this.due.length ? h('ul', { class: 'feedback-list' }, ...this.due.map((d) => this.dueItem(d))) : h('p', { class: 'muted' }, t('followUp.noneDue')),
      ),
      h(
        'section',
        { 'aria-labelledby': 'all-title', id: 'all-feedback' },
        h('h2', { id: 'all-title' }, t('followUp.recent')),
        this.all.length ? h('ul', { class: 'feedback-list compact' }, ...this.all.map((f) => this.feedbackItem(f, false))) : h('p', { class: 'muted' }, t('followUp.noneYet')),
      ),
    );
    mount(this.element, ...parts);
  }

  private about(bookingId: string, startsAt?: number): Node {
    const entry = this.bookings.get(bookingId);
    if (!entry) return h('span', { class: 'muted', translate: 'no' }, bookingId.toUpperCase(), startsAt ? ` · ${formatDate(startsAt)}` : '');
    return h(
      'span',
      null,
      h('strong', { translate: 'no' }, entry.lawyerName),
      entry.lawyerPhone ? h('span', { class: 'muted', translate: 'no' }, ` ${entry.lawyerPhone}`) : null,
      ' · ',
      `${formatDate(entry.startsAt, entry.timeZone)} ${formatTime(entry.startsAt, entry.timeZone)}`,
      ' · ',
      h('span', { translate: 'no' }, entry.stationName),
    );
  }

  private feedbackItem(feedback: Feedback, answerable: boolean): HTMLElement {
    const item = h(
      'li',
      { class: 'feedback-item', id: `feedback-${feedback.bookingId}`, data: { status: feedback.status } },
      h('p', null, this.about(feedback.bookingId)),
      h('p', null, h('span', { class: 'stars-static', 'aria-label': t('followUp.rating', { rating: feedback.rating }) }, '★'.repeat(feedback.rating), h('span', { class: 'dim' }, '★'.repeat(5 - feedback.rating))), ' ', t(`followUp.channel.${feedback.channel}`)),
      feedback.comment ? h('p', null, t('followUp.comment'), ' ', h('span', { translate: 'no' }, feedback.comment)) : null,
      feedback.suggestion ? h('p', null, t('followUp.suggestion'), ' ', h('span', { translate: 'no' }, feedback.suggestion)) : null,
      feedback.resolution ? h('p', { class: 'muted' }, ...withData('followUp.replied', { name: feedback.resolution.byName }), ' ', h('span', { translate: 'no' }, feedback.resolution.reply)) : null,
    );
    if (!answerable) return item;
    if (this.replying?.id === feedback.bookingId) item.append(this.replyForm(feedback));
    else item.append(h('button', { type: 'button', class: 'reply', data: { booking: feedback.bookingId }, on: { click: () => ((this.replying = { id: feedback.bookingId, error: '' }), this.render()) } }, t('followUp.answer')));
    return item;
  }

  private replyForm(feedback: Feedback): HTMLElement {
    const action = h('textarea', { id: `action-${feedback.bookingId}`, name: 'actionTaken', rows: 2, required: true, minlength: 2, maxlength: 1000 });
    const reply = h('textarea', { id: `reply-${feedback.bookingId}`, name: 'reply', rows: 2, required: true, minlength: 2, maxlength: 1000 });
    return h(
      'form',
      {
        class: 'card',
        on: {
          submit: (event: Event) => {
            event.preventDefault();
            void this.sendReply(feedback.bookingId, action.value, reply.value);
          },
        },
      },
      field(t('followUp.actionTaken'), action),
      field(t('followUp.reply'), reply, t('followUp.replyHint')),
      this.replying?.error ? notice('bad', this.replying.error) : null,
      h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: () => ((this.replying = undefined), this.render()) } }, t('app.cancel')), h('button', { type: 'submit', class: 'primary' }, t('followUp.send'))),
    );
  }

  private async sendReply(bookingId: string, actionTaken: string, reply: string): Promise<void> {
    try {
      await this.api.post(`/bookings/${bookingId}/feedback/reply`, { actionTaken: actionTaken.trim(), reply: reply.trim() });
      this.replying = undefined;
      this.message = t('followUp.replySent');
      await this.load();
    } catch (error) {
      if (this.replying) this.replying.error = errorText(error);
      this.render();
    }
  }

  private dueItem(due: FollowUpDue): HTMLElement {
    const item = h('li', { class: 'feedback-item', id: `due-${due.bookingId}` }, h('p', null, this.about(due.bookingId, due.startsAt)));
    if (this.recording?.id !== due.bookingId) {
      item.append(h('button', { type: 'button', on: { click: () => ((this.recording = { id: due.bookingId, rating: 0, error: '' }), this.render()) } }, t('followUp.record')));
      return item;
    }
    const state = this.recording;
    const comment = h('textarea', { id: `phone-comment-${due.bookingId}`, rows: 2, maxlength: 1000 });
    const suggestion = h('textarea', { id: `phone-suggestion-${due.bookingId}`, rows: 2, maxlength: 1000 });
    item.append(
      h(
        'form',
        {
          class: 'card',
          on: {
            submit: (event: Event) => {
              event.preventDefault();
              void this.recordCall(due.bookingId, comment.value, suggestion.value);
            },
          },
        },
        h('p', { id: `phone-rating-${due.bookingId}` }, t('followUp.phoneQuestion')),
        ratingInput(state.rating, (value) => (state.rating = value), `phone-rating-${due.bookingId}`),
        field(t('rating.comment'), comment),
        field(t('rating.suggestion'), suggestion),
        state.error ? notice('bad', state.error) : null,
        h('div', { class: 'actions' }, h('button', { type: 'button', on: { click: () => ((this.recording = undefined), this.render()) } }, t('app.cancel')), h('button', { type: 'submit', class: 'primary' }, t('app.save'))),
      ),
    );
    return item;
  }

  private async recordCall(bookingId: string, comment: string, suggestion: string): Promise<void> {
    const state = this.recording;
    if (!state) return;
    if (state.rating === 0) {
      state.error = t('rating.choose');
      this.render();
      return;
    }
    try {
      await this.api.post(`/bookings/${bookingId}/feedback`, {
        rating: state.rating,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(suggestion.trim() ? { suggestion: suggestion.trim() } : {}),
      });
      this.recording = undefined;
      this.message = t('followUp.recorded');
      await this.load();
    } catch (error) {
      state.error = errorText(error);
      this.render();
    }
  }
}
