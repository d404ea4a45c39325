import { ApiError } from '../common/api/ApiClient';
import { errorText } from '../common/errorText';
import { onLanguageChange, t } from '../common/i18n';
import { h } from '../common/ui/h';

/**
 * The follow-up on the seat's end screen: a rating of 1 to 5 with an optional comment and
 * suggestion, saved as the lawyer's own feedback (the terminal presents its device credential).
 */
export class FollowUpForm {
  readonly element = h('section', { class: 'follow-up', id: 'follow-up', 'aria-labelledby': 'follow-up-title' });
  private state: 'form' | 'saving' | 'saved' | 'error' = 'form';
  private error = '';
  private rating = 0;
  private comment = '';
  private suggestion = '';
  private readonly offLanguage: () => void;

  constructor(
    private readonly bookingId: string,
    private readonly credential: string,
  ) {
    this.offLanguage = onLanguageChange(() => this.render());
    this.render();
  }

  dispose(): void {
    this.offLanguage();
  }

  private render(): void {
    this.element.dataset.state = this.state;
    if (this.state === 'saved') {
      this.element.replaceChildren(h('h2', { id: 'follow-up-title' }, t('rating.thanksTitle')), h('p', { id: 'rating-thanks', role: 'status' }, t('rating.thanks')));
      return;
    }
    const stars = h(
      'div',
      { class: 'stars', role: 'radiogroup', 'aria-labelledby': 'rating-question' },
      ...[1, 2, 3, 4, 5].map((value) =>
        h(
          'label',
          { class: ['star', value <= this.rating && 'on'] },
          h('input', {
            type: 'radio',
            name: 'rating',
            value,
            id: `rating-${value}`,
            checked: value === this.rating,
            on: {
              change: () => {
                this.rating = value;
                this.render();
                document.getElementById(`rating-${value}`)?.focus();
              },
            },
          }),
          h('span', { 'aria-hidden': 'true' }, '★'),
          h('span', { class: 'visually-hidden' }, t(`rating.value.${value as 1 | 2 | 3 | 4 | 5}`)),
        ),
      ),
    );
    const comment = h('textarea', { id: 'rating-comment', maxlength: 1000, rows: 2, on: { input: (e) => (this.comment = (e.target as HTMLTextAreaElement).value) } }, this.comment);
    const suggestion = h('textarea', { id: 'rating-suggestion', maxlength: 1000, rows: 2, on: { input: (e) => (this.suggestion = (e.target as HTMLTextAreaElement).value) } }, this.suggestion);
    const form = h(
      'form',
      { on: { submit: (event) => { event.preventDefault(); void this.submit(); } } },
      h('p', { id: 'rating-question' }, t('rating.question')),
      stars,
      h('label', { for: 'rating-comment' }, t('rating.comment')),
      comment,
      h('label', { for: 'rating-suggestion' }, t('rating.suggestion')),
      suggestion,
      this.state === 'error' ? h('p', { class: 'notice bad', role: 'alert', id: 'rating-error' }, this.error) : null,
      h('button', { type: 'submit', class: 'primary', id: 'rating-submit', disabled: this.rating === 0 || this.state === 'saving' }, this.state === 'saving' ? t('rating.saving') : t('rating.submit')),
    );
    this.element.replaceChildren(h('h2', { id: 'follow-up-title' }, t('rating.title')), form);
  }

  private async submit(): Promise<void> {
    if (this.rating === 0) return;
    this.state = 'saving';
    this.render();
    const body = {
      bookingId: this.bookingId,
      rating: this.rating,
      ...(this.comment.trim() ? { comment: this.comment.trim() } : {}),
      ...(this.suggestion.trim() ? { suggestion: this.suggestion.trim() } : {}),
    };
    // The booking clock completes the meeting within seconds of its end: wait for it briefly.
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await fetch('/api/terminal/feedback', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Device ${this.credential}` },
          body: JSON.stringify(body),
          cache: 'no-store',
        });
        if (response.ok) {
          this.state = 'saved';
          break;
        }
        const error = ((await response.json().catch(() => ({}))) as { error?: { code: string; message: string } }).error;
        if (error?.code === 'BOOKING_STATE_CONFLICT' && attempt < 8) {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          continue;
        }
        if (error?.code === 'CONFLICT') {
          this.state = 'saved';
          break;
        }
        throw new ApiError((error?.code ?? 'INTERNAL') as ApiError['code'], error?.message ?? '', response.status);
      } catch (error) {
        this.state = 'error';
        this.error = errorText(error);
        break;
      }
    }
    this.render();
  }
}
