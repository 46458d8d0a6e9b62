import * as Plot from '@observablehq/plot';
import { classScale } from './palette.ts';
import type { FigureDef } from './types.ts';

export const purity: FigureDef = {
  name: 'purity',
  title: 'Cluster purity per layer',
  caption: (r) =>
    `For each layer, the activations of the trained classes' inputs are clustered with k-means (k per layer shown under its name), and purity is the share of inputs whose cluster's majority class is their own. "input" clusters the raw pixels, for reference. The dashed line is the ${(100 * r.spec.analysis.separationThreshold).toFixed(0)} % threshold of question 1.`,
  rows: (r) => r.layers.flatMap((l, i) => (['train', 'test'] as const).map((split) => ({ layer: l.name, position: i, k: l.k, split, purity: l.purity[split] }))),
  plot: (r, rows) => ({
    height: 280,
    marginLeft: 56,
    marginBottom: 46,
    x: { type: 'point', domain: r.layers.map((l) => l.name), label: 'Layer (k clusters)', tickFormat: (name: string) => `${name} (k=${r.layers.find((l) => l.name === name)?.k})`, padding: 0.4 },
    y: { label: 'Purity (%)', percent: true, domain: [100 * Math.min(0.5, ...rows.map((d) => Number(d.purity))), 100], grid: true },
    color: { type: 'ordinal', domain: ['train', 'test'], range: ['#332288', '#CC6677'] },
    marks: [
      Plot.ruleY([r.spec.analysis.separationThreshold], { strokeDasharray: '4,4', stroke: 'currentColor', strokeOpacity: 0.6 }),
      Plot.line(rows.filter((d) => d.split === 'train'), { x: 'layer', y: 'purity', stroke: 'split', marker: 'circle' }),
        Plot.line(rows.filter((d) => d.split === 'test'), { x: 'layer', y: 'purity', stroke: 'split', strokeDasharray: '5,3', marker: 'circle' }),
      Plot.text(rows, Plot.selectLast({ x: 'layer', y: 'purity', z: 'split', text: 'split', fill: 'split', textAnchor: 'start', dx: 8 })),
    ],
  }),
};

export const clusterComposition: FigureDef = {
  name: 'cluster-composition',
  title: 'What each cluster holds, layer by layer',
  caption: () => 'Members of each k-means cluster by class, for every input (training, test and probes). A cluster shared by two trained classes mixes them; probes show which trained signatures an unseen class borrows.',
  rows: (r) => r.layers.flatMap((l) => l.clusters.map((c) => ({ layer: l.name, cluster: `c${c.cluster}`, class: c.label, count: c.count }))),
  plot: (r, rows) => ({
    height: 300,
    marginLeft: 56,
    marginBottom: 40,
    fx: { domain: r.layers.map((l) => l.name), label: null },
    x: { label: 'Cluster', type: 'band' },
    y: { label: 'Inputs (count)', grid: true },
    color: classScale([...r.dataset.classes, ...r.dataset.probes]),
    marks: [Plot.barY(rows, { fx: 'layer', x: 'cluster', y: 'count', fill: (d) => String(d.class), title: (d) => `${d.layer} ${d.cluster}: ${d.count} × class ${d.class}` }), Plot.ruleY([0])],
  }),
  legend: (r) => [...r.dataset.classes, ...r.dataset.probes],
};
