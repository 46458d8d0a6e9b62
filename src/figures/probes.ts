import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { classScale } from './palette.ts';
import type { FigureDef } from './types.ts';

export const probePredictions: FigureDef = {
  name: 'probe-predictions',
  title: 'What the model predicts for unseen classes',
  applies: (r) => r.probes.length > 0,
  caption: (r) =>
    `Share of the probe inputs (classes ${r.dataset.probes.join(', ')}, never seen in training) that the model assigns to each trained class, with 95 % Wilson intervals. The model must choose a trained class: it has no "none of these".`,
  rows: (r: Result) => r.probes.flatMap((p) => p.predicted.map((q) => ({ probe: p.label, predicted: q.label, share: q.share, low: q.interval[0], high: q.interval[1], n: p.count }))),
  plot: (r, rows) => ({
    height: 40 + r.probes.length * (30 + 34 * r.dataset.classes.length),
    marginLeft: 110,
    marginRight: 60,
    x: { label: 'Share of probes (%)', percent: true, domain: [0, 100], grid: true },
    y: { label: null, type: 'band', domain: r.dataset.classes.map((c) => `predicted ${c}`), padding: 0.2 },
    fy: { label: null, domain: r.probes.map((p) => p.label), tickFormat: (l: number) => `${l}s` },
    color: classScale(r.dataset.classes),
    marks: [
      Plot.barX(rows, { x: 'share', y: (d) => `predicted ${d.predicted}`, fy: 'probe', fill: (d) => String(d.predicted) }),
      Plot.ruleY(rows, { x1: 'low', x2: 'high', y: (d) => `predicted ${d.predicted}`, fy: 'probe', stroke: 'currentColor', strokeWidth: 1.5 }),
      Plot.text(rows, { x: 'high', y: (d) => `predicted ${d.predicted}`, fy: 'probe', text: (d) => `${(100 * Number(d.share)).toFixed(1)} %`, textAnchor: 'start', dx: 6 }),
    ],
  }),
  legend: (r) => r.dataset.classes,
};
