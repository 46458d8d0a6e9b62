import { svg } from './dom.ts';

// The map's frame, ticks and labels, drawn here rather than by Observable
// Plot: the points are on a canvas anyway, and loading Plot (and its locale
// tables) before the first view cost more than everything else on it. Plot
// draws the detail's charts, loaded when an input is opened.

export interface Scale {
  apply(v: number): number;
  invert(p: number): number;
}

export function linear([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return { apply: (v) => r0 + (v - d0) * k, invert: (p) => (k === 0 ? d0 : d0 + (p - r0) / k) };
}

/** About `count` round values in [lo, hi]: steps of 1, 2 or 5 times a power of ten (as d3's ticks). */
export function ticks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  let step = 10 ** Math.floor(Math.log10(span / count));
  const error = span / count / step;
  if (error >= Math.sqrt(50)) step *= 10;
  else if (error >= Math.sqrt(10)) step *= 5;
  else if (error >= Math.sqrt(2)) step *= 2;
  const out: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) out.push(i * step);
  return out;
}

/** A tick's text: as many decimals as the step needs, a true minus sign. */
export function tickText(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals).replace('-', '\u2212');
}

export interface AxesOptions {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  x: { domain: [number, number]; label: string };
  y: { domain: [number, number]; label: string };
  description: string;
}

/** The frame, gridless ticks and axis labels of a scatter, and its scales. */
export function axes(o: AxesOptions): { svg: SVGElement; x: Scale; y: Scale } {
  const { width, height, margin: m } = o;
  const x = linear(o.x.domain, [m.left, width - m.right]);
  const y = linear(o.y.domain, [height - m.bottom, m.top]);
  const root = svg('svg', {
    width: String(width),
    height: String(height),
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': o.description,
    class: 'axes',
  });
  root.append(
    svg('rect', { class: 'frame', x: String(m.left), y: String(m.top), width: String(width - m.left - m.right), height: String(height - m.top - m.bottom) }),
  );
  const xt = ticks(o.x.domain[0], o.x.domain[1], Math.max(2, Math.round((width - m.left - m.right) / 80)));
  const yt = ticks(o.y.domain[0], o.y.domain[1], Math.max(2, Math.round((height - m.top - m.bottom) / 50)));
  const g = svg('g', { class: 'ticks', 'aria-hidden': 'true' });
  const xs = xt.length > 1 ? xt[1] - xt[0] : 1;
  const ys = yt.length > 1 ? yt[1] - yt[0] : 1;
  for (const v of xt) {
    const px = x.apply(v);
    g.append(svg('line', { x1: String(px), x2: String(px), y1: String(height - m.bottom), y2: String(height - m.bottom + 5) }));
    g.append(svg('text', { x: String(px), y: String(height - m.bottom + 16), 'text-anchor': 'middle' }, tickText(v, xs)));
  }
  for (const v of yt) {
    const py = y.apply(v);
    g.append(svg('line', { x1: String(m.left - 5), x2: String(m.left), y1: String(py), y2: String(py) }));
    g.append(svg('text', { x: String(m.left - 8), y: String(py), 'text-anchor': 'end', 'dominant-baseline': 'central' }, tickText(v, ys)));
  }
  g.append(svg('text', { x: String(width - m.right), y: String(height - 4), 'text-anchor': 'end' }, o.x.label));
  g.append(svg('text', { x: String(4), y: String(12) }, o.y.label));
  root.append(g);
  return { svg: root, x, y };
}
