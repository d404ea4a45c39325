import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheusText';

describe('parsePrometheusText', () => {
  it('reads families, labels with escapes, special values', () => {
    const families = parsePrometheusText(
      ['# HELP a_total Things', '# TYPE a_total counter', 'a_total{x="q\\"uote",y="n\\nl"} 3', '# TYPE h histogram', 'h_bucket{le="+Inf"} 2', 'h_sum 1.5e3', 'h_count 2', ''].join('\n'),
    );
    expect(families.get('a_total')?.samples[0]).toEqual({ name: 'a_total', labels: { x: 'q"uote', y: 'n\nl' }, value: 3 });
    expect(families.get('h')?.samples.map((s) => s.value)).toEqual([2, 1500, 2]);
  });

  it('refuses what is not the format', () => {
    for (const bad of ['x 1', '# TYPE x gauge\nx{a=1} 1', '# TYPE x gauge\nx one', '# TYPE x gauge\nx{a="1"', '# TYPE x gauge\nx{1a="1"} 1', '# TYPE x nonsense']) {
      expect(() => parsePrometheusText(bad), bad).toThrow();
    }
  });
});
