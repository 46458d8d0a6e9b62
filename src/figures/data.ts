import * as Plot from '@observablehq/plot';
import { decodePixels } from '../data/image.ts';
import type { Result } from '../results/schema.ts';
import { allLabels, className } from './labels.ts';
import { classScale } from './palette.ts';
import { greyPngDataUri } from './png.ts';
import { classKey } from './key.ts';
import type { FigureDef, Row } from './types.ts';

const role = (r: Result, label: number) => (r.dataset.classes.includes(label) ? 'trained' : label < 0 ? 'outlier' : 'probe');

export const dataCounts: FigureDef = {
  name: 'data-counts',
  title: 'Inputs per class and split',
  caption: (r) => {
    const outliers = r.dataset.probes.filter((l) => l < 0).map((l) => className(r, l));
    return (
      `Number of inputs of each class in the training and test splits (stratified, ${Math.round(100 * r.spec.dataset.testFraction)} % held out for testing) and in the probe set of classes the model never trains on` +
      (outliers.length ? `, far outliers (${outliers.join(', ')}) included.` : '.')
    );
  },
  rows: (r) => r.dataset.counts.map((c) => ({ split: c.split, class: className(r, c.label), count: c.count })),
  // Horizontal bars, so that long class names (Fashion-MNIST) read level.
  plot: (r, rows) => ({
    height: 50 + 30 * allLabels(r).length,
    marginLeft: 100,
    marginRight: 40,
    y: { label: 'Class', type: 'band', domain: allLabels(r).map((l) => className(r, l)), padding: 0.15 },
    x: { label: 'Inputs (count)', grid: true, ticks: 3, tickFormat: (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n)), insetRight: 36 },
    fx: { label: null, domain: ['train', 'test', 'probe'], padding: 0.12 },
    color: classScale(allLabels(r), (l) => className(r, l)),
    marks: [
      Plot.barX(rows, { fx: 'split', y: 'class', x: 'count', fill: 'class' }),
      Plot.text(rows, { fx: 'split', y: 'class', x: 'count', text: 'count', textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  }),
  key: (r) => classKey(r, allLabels(r)),
};

export const dataSamples: FigureDef = {
  name: 'data-samples',
  title: 'Sample inputs',
  caption: (r) => {
    const perClass = Math.max(...allLabels(r).map((l) => r.dataset.samples.filter((s) => s.label === l).length));
    return `The first ${perClass} inputs of each class as the model sees them (${r.dataset.width} × ${r.dataset.height} grey levels); probes come from classes absent from training.`;
  },
  rows: (r) => {
    const seen = new Map<number, number>();
    return r.dataset.samples.map((s) => {
      const col = seen.get(s.label) ?? 0;
      seen.set(s.label, col + 1);
      return { class: className(r, s.label), split: s.split, column: col, sourceIndex: s.index };
    });
  },
  plot: (r, rows) => {
    const size = 34;
    const rowName = (d: Row) => `${d.class} (${d.split === 'probe' ? 'probe' : 'trained'})`;
    const labels = [...new Set(rows.map(rowName))];
    const columns = Math.max(...rows.map((d) => Number(d.column))) + 1;
    const withSrc = rows.map((d, i) => ({ ...d, row: rowName(d), src: greyPngDataUri(decodePixels(r.dataset.samples[i].pixels), r.dataset.width, r.dataset.height) }));
    return {
      width: 170 + columns * (size + 4),
      height: 30 + labels.length * (size + 6),
      marginLeft: 160,
      x: { type: 'band', domain: Array.from({ length: columns }, (_, i) => i), axis: null, padding: 0.05 },
      y: { type: 'band', domain: labels, label: null, padding: 0.05 },
      marks: [Plot.image(withSrc, { x: 'column', y: 'row', src: 'src', width: size, height: size, imageRendering: 'pixelated', title: (d) => `${d.class}, input #${d.sourceIndex}` })],
    };
  },
};

export const meanImages: FigureDef = {
  name: 'mean-images',
  title: 'Mean image of each class',
  applies: (r) => r.dataset.meanImages.length > 0,
  caption: (r) =>
    `The pixel-wise mean of every input of each class (${r.dataset.width} × ${r.dataset.height}, darker is more ink): what a class looks like on average, and how much the probes${r.dataset.probes.length ? ` (${r.dataset.probes.map((l) => className(r, l)).join(', ')})` : ''} overlap the trained classes (${r.dataset.classes.map((l) => className(r, l)).join(', ')}) before any layer sees them.`,
  rows: (r) =>
    order(r).map((m) => {
      const px = decodePixels(m.pixels);
      return { class: className(r, m.label), role: role(r, m.label), meanInk: px.reduce((s, v) => s + v, 0) / px.length / 255 };
    }),
  plot: (r, rows) => {
    const size = 72;
    const withSrc = rows.map((d, i) => ({ ...d, src: greyPngDataUri(decodePixels(order(r)[i].pixels), r.dataset.width, r.dataset.height) }));
    return {
      width: 40 + rows.length * (size + 34),
      height: size + 60,
      marginTop: 10,
      marginBottom: 40,
      x: { type: 'band', domain: rows.map((d) => d.class), axis: null, padding: 0.1 },
      y: { domain: [0, 1], axis: null },
      color: classScale(allLabels(r), (l) => className(r, l)),
      marks: [
        Plot.image(withSrc, { x: 'class', y: 1, frameAnchor: 'top', dy: size / 2, src: 'src', width: size, height: size, imageRendering: 'pixelated', title: (d) => `${d.class} (${d.role}): mean ink ${(100 * Number(d.meanInk)).toFixed(1)} %` }),
        Plot.text(rows, { x: 'class', y: 0, text: 'class', dy: 4, fill: 'class', fontWeight: 'bold', fontSize: 12 }),
        Plot.text(rows, { x: 'class', y: 0, text: 'role', dy: 20, fill: 'currentColor' }),
      ],
    };
  },
  key: (r) => classKey(r, allLabels(r)),
};

/** Mean images in the page's class order: trained classes, then probes. */
function order(r: Result) {
  const labels = allLabels(r);
  return [...r.dataset.meanImages].sort((a, b) => rank(labels, a.label) - rank(labels, b.label));
}
const rank = (labels: number[], l: number) => (labels.includes(l) ? labels.indexOf(l) : labels.length + l);
