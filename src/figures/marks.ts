import * as Plot from '@observablehq/plot';
import type { Row } from './types.ts';

/**
 * A key for series that are not classes, drawn inside the SVG above the frame:
 * the page legend beside a figure only knows classes, and Plot's own legends
 * are HTML, which a standalone SVG cannot hold. Drawn once over all facets;
 * the glyphs (em dash by default) are in every print font.
 */
export function seriesKey(items: { label: string; color: string; glyph?: string }[], options: { dy?: number } = {}): unknown[] {
  // Right-aligned, so that it clears the y-axis label at the top left.
  const widths = items.map((it) => 30 + 5.6 * it.label.length);
  let x = -widths.reduce((a, b) => a + b, 0);
  const placed = items.map((it, i) => {
    const at = x;
    x += widths[i];
    return { ...it, at };
  });
  const dy = options.dy ?? -14;
  return placed.flatMap((it) => [
    Plot.text([it.label], { facet: 'super', frameAnchor: 'top-right', dx: it.at + 24, dy, text: (d) => d, textAnchor: 'start', fill: 'currentColor' }),
    Plot.text([it.glyph ?? '——'], {
      facet: 'super',
      frameAnchor: 'top-right',
      dx: it.at,
      dy,
      text: (d) => d,
      textAnchor: 'start',
      fill: it.color,
      fontWeight: 'bold',
    }),
  ]);
}

export interface SeriesPoint extends Row {
  layer: string;
  series: string;
  mean: number;
  low: number;
  high: number;
}

/**
 * Per-layer curves across seeds: a band for the 95 % interval, the mean as a
 * line, and each seed's value as a dot, so one seed and five read alike.
 */
export function layerCurveMarks(
  points: SeriesPoint[],
  seeds: { layer: string; series: string; value: number }[],
  facets: { fx?: string; fy?: string } = {},
): unknown[] {
  const facet = Object.fromEntries(Object.entries(facets).filter(([, v]) => v));
  return [
    Plot.areaY(points, { x: 'layer', y1: 'low', y2: 'high', z: 'series', fill: 'series', fillOpacity: 0.15, ...facet }),
    Plot.ruleX(points, { x: 'layer', y1: 'low', y2: 'high', stroke: 'series', strokeOpacity: 0.7, ...facet }),
    Plot.dot(seeds as unknown as Row[], { x: 'layer', y: 'value', stroke: 'series', r: 2, strokeOpacity: 0.5, ...facet }),
    Plot.line(points, { x: 'layer', y: 'mean', z: 'series', stroke: 'series', strokeWidth: 2, marker: 'circle', ...facet }),
  ];
}

/**
 * Labels of heat-map cells that stay readable on a sequential scheme, whatever
 * the page's colours: white on cells whose value is above `threshold`, black
 * on the others.
 */
export function cellText(rows: Row[], value: (d: Row) => number, threshold: number, options: Plot.TextOptions): unknown[] {
  return [
    Plot.text(
      rows.filter((d) => value(d) > threshold),
      { ...options, fill: 'white' },
    ),
    Plot.text(
      rows.filter((d) => value(d) <= threshold),
      { ...options, fill: 'black' },
    ),
  ];
}

/**
 * Draws a dot mark's points as one <path> (a zero-length stroke with a round
 * cap per filled dot, two arcs per ring) instead of a <circle> each: the same
 * picture in every renderer, with a few elements instead of thousands.
 */
export function pointsAsPath(options: { r: number; fill?: string; stroke?: string; strokeWidth?: number; opacity: number }): Plot.RenderFunction {
  return (index, _scales, values, _dimensions, context) => {
    // Whole pixels: half a pixel of jitter under a dot of radius 1.7 is invisible, and the page is a third lighter.
    const round = (v: number) => Math.round(v);
    const xs = values.x as ArrayLike<number>;
    const ys = values.y as ArrayLike<number>;
    const { r } = options;
    const d = Array.from(index, (i) => {
      const x = round(xs[i]);
      const y = round(ys[i]);
      return options.fill ? `M${x},${y}h0` : `M${+(x - r).toFixed(1)},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    }).join('');
    const path = context.document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    if (options.fill) {
      path.setAttribute('stroke', options.fill);
      path.setAttribute('stroke-width', String(2 * r));
      path.setAttribute('stroke-linecap', 'round');
    } else {
      path.setAttribute('stroke', options.stroke!);
      path.setAttribute('stroke-width', String(options.strokeWidth ?? 1));
    }
    path.setAttribute('stroke-opacity', String(options.opacity));
    return path;
  };
}
