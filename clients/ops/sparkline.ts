const svgNs = 'http://www.w3.org/2000/svg';

/**
 * A small line chart of `values` (oldest first) as SVG, scaled to `max` (or the largest value).
 * Built with DOM calls and classes only: the page's CSP allows no inline style.
 */
export function sparkline(values: number[], options: { max?: number; className: string; label: string }): SVGSVGElement {
  const width = 120;
  const height = 28;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', options.label);
  svg.classList.add('spark', options.className);
  const top = Math.max(options.max ?? 0, ...values, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (Math.min(v, top) / top) * (height - 4)).toFixed(1)}`);
  const line = document.createElementNS(svgNs, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  return svg;
}
