import * as Plot from '@observablehq/plot';
import { decodePixels } from '../data/image.ts';
import type { Result } from '../results/schema.ts';
import { allLabels, className, type Lang, pctIn, say } from './labels.ts';
import { classScale } from './palette.ts';
import { greyPngDataUri } from './png.ts';
import { classKey } from './key.ts';
import type { FigureDef, Row } from './types.ts';

const role = (r: Result, label: number, lang: Lang = 'en') =>
  r.dataset.classes.includes(label)
    ? say(lang, 'trained', 'entraînée')
    : label < 0
      ? say(lang, 'far outlier', 'très éloignée')
      : say(lang, 'unseen', 'inconnue');
const SPLIT: Record<string, [string, string]> = { train: ['train', 'entraînement'], test: ['test', 'test'], probe: ['unseen', 'inconnues'] };
const splitName = (s: string, lang: Lang) => say(lang, ...(SPLIT[s] ?? [s, s]));

export const dataCounts: FigureDef = {
  name: 'data-counts',
  title: { en: 'Inputs per class and split', fr: 'Entrées par classe et par partition' },
  caption: (r, lang) => {
    const outliers = r.dataset.probes.filter((l) => l < 0).map((l) => className(r, l));
    const held = Math.round(100 * r.spec.dataset.testFraction);
    return say(
      lang,
      `Number of inputs of each class in the training and test splits (stratified, ${held} % held out for testing) and in the set of unseen classes the model never trains on${outliers.length ? `, far outliers (${outliers.join(', ')}) included.` : '.'}`,
      `Nombre d’entrées de chaque classe dans les partitions d’entraînement et de test (stratifiées, ${held}\u202F% réservés au test) et dans l’ensemble des classes inconnues, sur lesquelles le modèle ne s’entraîne jamais${outliers.length ? `, entrées très éloignées (${outliers.join(', ')}) comprises.` : '.'}`,
    );
  },
  rows: (r, lang) => r.dataset.counts.map((c) => ({ split: splitName(c.split, lang), class: className(r, c.label), count: c.count })),
  // Horizontal bars, so that long class names (Fashion-MNIST) read level.
  plot: (r, rows, lang) => ({
    height: 50 + 30 * allLabels(r).length,
    marginLeft: 100,
    marginRight: 40,
    y: { label: say(lang, 'Class', 'Classe'), type: 'band', domain: allLabels(r).map((l) => className(r, l)), padding: 0.15 },
    x: {
      label: say(lang, 'Inputs (count)', 'Entrées (nombre)'),
      grid: true,
      ticks: 3,
      tickFormat: (n: number) => (n >= 1000 ? `${n / 1000}${say(lang, 'k', '\u202Fk')}` : String(n)),
      insetRight: 36,
    },
    fx: { label: null, domain: ['train', 'test', 'probe'].map((s) => splitName(s, lang)), padding: 0.12 },
    color: classScale(allLabels(r), (l) => className(r, l)),
    marks: [
      Plot.barX(rows, { fx: 'split', y: 'class', x: 'count', fill: 'class' }),
      Plot.text(rows, { fx: 'split', y: 'class', x: 'count', text: 'count', textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  }),
  key: (r, lang) => classKey(r, allLabels(r), lang),
};

export const dataSamples: FigureDef = {
  name: 'data-samples',
  title: { en: 'Sample inputs', fr: 'Exemples d’entrées' },
  caption: (r, lang) => {
    const perClass = Math.max(...allLabels(r).map((l) => r.dataset.samples.filter((s) => s.label === l).length));
    return say(
      lang,
      `The first ${perClass} inputs of each class as the model sees them (${r.dataset.width} × ${r.dataset.height} grey levels); unseen inputs come from classes absent from training.`,
      `Les ${perClass} premières entrées de chaque classe telles que le modèle les voit (${r.dataset.width} × ${r.dataset.height} niveaux de gris)\u202F; les entrées inconnues viennent de classes absentes de l’entraînement.`,
    );
  },
  rows: (r) => {
    const seen = new Map<number, number>();
    return r.dataset.samples.map((s) => {
      const col = seen.get(s.label) ?? 0;
      seen.set(s.label, col + 1);
      return { class: className(r, s.label), split: s.split, column: col, sourceIndex: s.index };
    });
  },
  plot: (r, rows, lang) => {
    const size = 34;
    const rowName = (d: Row) => `${d.class} (${d.split === 'probe' ? say(lang, 'unseen', 'inconnue') : say(lang, 'trained', 'entraînée')})`;
    const labels = [...new Set(rows.map(rowName))];
    const columns = Math.max(...rows.map((d) => Number(d.column))) + 1;
    const withSrc = rows.map((d, i) => ({
      ...d,
      row: rowName(d),
      src: greyPngDataUri(decodePixels(r.dataset.samples[i].pixels), r.dataset.width, r.dataset.height),
    }));
    return {
      width: 170 + columns * (size + 4),
      height: 30 + labels.length * (size + 6),
      marginLeft: 160,
      x: { type: 'band', domain: Array.from({ length: columns }, (_, i) => i), axis: null, padding: 0.05 },
      y: { type: 'band', domain: labels, label: null, padding: 0.05 },
      marks: [
        Plot.image(withSrc, {
          x: 'column',
          y: 'row',
          src: 'src',
          width: size,
          height: size,
          imageRendering: 'pixelated',
          title: (d) => `${d.class}, ${say(lang, 'input', 'entrée')} n° ${d.sourceIndex}`,
        }),
      ],
    };
  },
};

export const meanImages: FigureDef = {
  name: 'mean-images',
  title: { en: 'Mean image of each class', fr: 'Image moyenne de chaque classe' },
  applies: (r) => r.dataset.meanImages.length > 0,
  caption: (r, lang) => {
    const unseen = r.dataset.probes.length ? ` (${r.dataset.probes.map((l) => className(r, l)).join(', ')})` : '';
    const trained = r.dataset.classes.map((l) => className(r, l)).join(', ');
    return say(
      lang,
      `The pixel-wise mean of every input of each class (${r.dataset.width} × ${r.dataset.height}, darker is more ink): what a class looks like on average, and how much the unseen classes${unseen} overlap the trained classes (${trained}) before any layer sees them.`,
      `La moyenne pixel par pixel de toutes les entrées de chaque classe (${r.dataset.width} × ${r.dataset.height}, plus sombre signifie plus d’encre)\u00A0: l’allure moyenne d’une classe, et combien les classes inconnues${unseen} recouvrent les classes entraînées (${trained}) avant qu’aucune couche ne les voie.`,
    );
  },
  rows: (r, lang) =>
    order(r).map((m) => {
      const px = decodePixels(m.pixels);
      return { class: className(r, m.label), role: role(r, m.label, lang), meanInk: px.reduce((s, v) => s + v, 0) / px.length / 255 };
    }),
  plot: (r, rows, lang) => {
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
        Plot.image(withSrc, {
          x: 'class',
          y: 1,
          frameAnchor: 'top',
          dy: size / 2,
          src: 'src',
          width: size,
          height: size,
          imageRendering: 'pixelated',
          title: (d) => `${d.class} (${d.role})${say(lang, ': mean ink', '\u00A0: encre moyenne')} ${pctIn(Number(d.meanInk), lang)}`,
        }),
        Plot.text(rows, { x: 'class', y: 0, text: 'class', dy: 4, fill: 'class', fontWeight: 'bold', fontSize: 12 }),
        Plot.text(rows, { x: 'class', y: 0, text: 'role', dy: 20, fill: 'currentColor' }),
      ],
    };
  },
  key: (r, lang) => classKey(r, allLabels(r), lang),
};

/** Mean images in the page's class order: trained classes, then probes. */
function order(r: Result) {
  const labels = allLabels(r);
  return [...r.dataset.meanImages].sort((a, b) => rank(labels, a.label) - rank(labels, b.label));
}
const rank = (labels: number[], l: number) => (labels.includes(l) ? labels.indexOf(l) : labels.length + l);
