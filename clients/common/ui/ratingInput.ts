import { t } from '../i18n';
import { h } from './h';

/** Five stars as a radio group (arrow keys move, space picks), labelled for screen readers. */
export function ratingInput(value: number, onChange: (value: number) => void, labelledBy: string): HTMLElement {
  const group = h('div', { class: 'stars', role: 'radiogroup', 'aria-labelledby': labelledBy });
  const draw = (current: number) => {
    group.replaceChildren(
      ...[1, 2, 3, 4, 5].map((star) =>
        h(
          'label',
          { class: ['star', star <= current && 'on'] },
          h('input', {
            type: 'radio',
            name: `${labelledBy}-rating`,
            value: star,
            id: `${labelledBy}-${star}`,
            checked: star === current,
            on: {
              change: () => {
                onChange(star);
                draw(star);
                document.getElementById(`${labelledBy}-${star}`)?.focus();
              },
            },
          }),
          h('span', { 'aria-hidden': 'true' }, '★'),
          h('span', { class: 'visually-hidden' }, t(`rating.value.${star as 1 | 2 | 3 | 4 | 5}`)),
        ),
      ),
    );
  };
  draw(value);
  return group;
}
