import * as Plot from '@observablehq/plot';
import { decodePixels } from '../data/image.ts';
import type { Result } from '../results/schema.ts';
import { classScale } from './palette.ts';
import { greyPngDataUri } from './png.ts';
import type { FigureDef } from './types.ts';

const allLabels = (r: Result) => [...r.dataset.classes, ...r.dataset.probes];

export const dataCounts: FigureDef = {
  name: 'data-counts',
  title: 'Inputs per class and split',
  caption: (r) =>
    `Number of inputs of each class in the training and test splits (stratified, ${Math.round(100 * r.spec.dataset.testFraction)} % held out for testing) and in the probe set of classes the model never trains on.`,
  rows: (r) => r.dataset.counts.map((c) => ({ split: c.split, class: c.label, count: c.count })),
  plot: (r, rows) => ({
    height: 260,
    marginLeft: 50,
    x: { label: 'Class', type: 'band' },
    y: { label: 'Inputs (count)', grid: true },
    fx: { label: null, domain: ['train', 'test', 'probe'] },
    color: classScale(allLabels(r)),
    marks: [Plot.barY(rows, { fx: 'split', x: (d) => String(d.class), y: 'count', fill: (d) => String(d.class) }), Plot.text(rows, { fx: 'split', x: (d) => String(d.class), y: 'count', text: 'count', dy: -6 }), Plot.ruleY([0])],
  }),
  legend: allLabels,
};

export const dataSamples: FigureDef = {
  name: 'data-samples',
  title: 'Sample inputs',
  caption: (r) => `The first ${Math.max(...r.dataset.samples.map((s) => s.label).map((l) => r.dataset.samples.filter((s) => s.label === l).length))} inputs of each class as the model sees them (${r.dataset.width} × ${r.dataset.height} grey levels); probes come from classes absent from training.`,
  rows: (r) => {
    const seen = new Map<number, number>();
    return r.dataset.samples.map((s) => {
      const col = seen.get(s.label) ?? 0;
      seen.set(s.label, col + 1);
      return { class: s.label, split: s.split, column: col, sourceIndex: s.index };
    });
  },
  plot: (r, rows) => {
    const size = 34;
    const labels = [...new Set(rows.map((d) => `${d.class} (${d.split === 'probe' ? 'probe' : 'trained'})`))];
    const columns = Math.max(...rows.map((d) => Number(d.column))) + 1;
    const withSrc = rows.map((d, i) => ({ ...d, row: labels[labels.indexOf(`${d.class} (${d.split === 'probe' ? 'probe' : 'trained'})`)], src: greyPngDataUri(decodePixels(r.dataset.samples[i].pixels), r.dataset.width, r.dataset.height) }));
    return {
      width: 110 + columns * (size + 4),
      height: 30 + labels.length * (size + 6),
      marginLeft: 100,
      x: { type: 'band', domain: Array.from({ length: columns }, (_, i) => i), axis: null, padding: 0.05 },
      y: { type: 'band', domain: labels, label: null, padding: 0.05 },
      marks: [Plot.image(withSrc, { x: 'column', y: 'row', src: 'src', width: size, height: size, imageRendering: 'pixelated', title: (d) => `class ${d.class}, input #${d.sourceIndex}` })],
    };
  },
};
