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
    Plot.text([it.glyph ?? '——'], { facet: 'super', frameAnchor: 'top-right', dx: it.at, dy, text: (d) => d, textAnchor: 'start', fill: it.color, fontWeight: 'bold' }),
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
export function layerCurveMarks(points: SeriesPoint[], seeds: { layer: string; series: string; value: number }[], facets: { fx?: string; fy?: string } = {}): unknown[] {
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
  return [Plot.text(rows.filter((d) => value(d) > threshold), { ...options, fill: 'white' }), Plot.text(rows.filter((d) => value(d) <= threshold), { ...options, fill: 'black' })];
}
