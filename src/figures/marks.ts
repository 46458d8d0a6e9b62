import * as Plot from '@observablehq/plot';
import type { Row } from './types.ts';

/**
 * A key for series that are not classes, drawn inside the SVG above the frame:
 * the page legend beside a figure only knows classes, and Plot's own legends
 * are HTML, which a standalone SVG cannot hold.
 */
export function seriesKey(items: { label: string; color: string; dashed?: boolean }[], options: { dy?: number } = {}): unknown[] {
  let x = 0;
  const placed = items.map((it) => {
    const at = x;
    x += 28 + 6.2 * it.label.length;
    return { ...it, at };
  });
  const dy = options.dy ?? -14;
  return placed.flatMap((it) => [
    Plot.text([it.label], { frameAnchor: 'top-left', dx: it.at + 24, dy, text: (d) => d, textAnchor: 'start', fill: 'currentColor' }),
    Plot.text([it.dashed ? '╌╌' : '━━'], { frameAnchor: 'top-left', dx: it.at, dy, text: (d) => d, textAnchor: 'start', fill: it.color, fontWeight: 'bold' }),
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
export function layerCurveMarks(points: SeriesPoint[], seeds: { layer: string; series: string; value: number }[], options: { fy?: string } = {}): unknown[] {
  const fy = options.fy ? { fy: options.fy } : {};
  return [
    Plot.areaY(points, { x: 'layer', y1: 'low', y2: 'high', z: 'series', fill: 'series', fillOpacity: 0.15, ...fy }),
    Plot.ruleX(points, { x: 'layer', y1: 'low', y2: 'high', stroke: 'series', strokeOpacity: 0.7, ...fy }),
    Plot.dot(seeds as unknown as Row[], { x: 'layer', y: 'value', stroke: 'series', r: 2, strokeOpacity: 0.5, ...fy }),
    Plot.line(points, { x: 'layer', y: 'mean', z: 'series', stroke: 'series', strokeWidth: 2, marker: 'circle', ...fy }),
  ];
}
