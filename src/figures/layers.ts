import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { across, allLabels, className, intervalNote, layerIn, pctIn, say, seedNote, storedRow } from './labels.ts';
import { layerCurveMarks, type SeriesPoint } from './marks.ts';
import { classScale, seriesScale } from './palette.ts';
import { classKey } from './key.ts';
import type { FigureDef } from './types.ts';

const SPLITS = ['train', 'test'] as const;

/** k of each layer; "a–b" where seeds chose differently (k = auto). */
function kOf(r: Result, layer: number): string {
  const ks = r.runs.map((s) => s.layers[layer].k);
  const lo = Math.min(...ks);
  const hi = Math.max(...ks);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

export const purity: FigureDef = {
  name: 'purity',
  title: { en: 'Cluster purity per layer', fr: 'Pureté des clusters par couche' },
  caption: (r, lang) =>
    say(
      lang,
      `For each layer, the activations of the trained classes' inputs are clustered with k-means (k per layer shown under its name), and purity is the share of inputs whose cluster's majority class is their own, on the training and the test split. "input" clusters the raw pixels, for reference. The dashed line is the ${pctIn(r.spec.analysis.separationThreshold, lang, 0)} threshold of question 1; ${intervalNote(r, lang)}.`,
      `Pour chaque couche, les activations des entrées des classes entraînées sont regroupées par k-means (le k de chaque couche figure sous son nom), et la pureté est la part des entrées dont la classe majoritaire du cluster est la leur, sur les partitions d’entraînement et de test. «\u00A0entrée\u00A0» regroupe les pixels bruts, pour référence. La ligne en tirets est le seuil de ${pctIn(r.spec.analysis.separationThreshold, lang, 0)} de la question 1\u202F; ${intervalNote(r, lang)}.`,
    ),
  rows: (r) =>
    r.runs[0].layers.flatMap((l, i) =>
      SPLITS.map((split) => {
        // The test split's purity is the catalogue's stored statistic; the training split's is summarised the same way.
        const s =
          (split === 'test' ? storedRow(r, 'purity', { layer: l.name }) : null) ??
          across(
            r.runs.map((run) => run.layers[i].purity[split]),
            'purity',
          );
        return { layer: l.name, position: i, k: kOf(r, i), split, mean: s.mean, low: s.low, high: s.high };
      }),
    ),
  plot: (r, rows, lang) => {
    const layers = r.runs[0].layers;
    const points = rows.map((d) => ({ ...d, series: d.split })) as SeriesPoint[];
    const seeds = r.runs.flatMap((run) => run.layers.flatMap((l) => SPLITS.map((split) => ({ layer: l.name, series: split, value: l.purity[split] }))));
    const lowest = Math.min(0.5, ...points.map((d) => d.low), ...seeds.map((d) => d.value));
    const last = points.filter((d) => d.layer === layers[layers.length - 1].name);
    return {
      height: 280,
      marginLeft: 56,
      marginRight: 50,
      marginBottom: 46,
      x: {
        type: 'point',
        domain: layers.map((l) => l.name),
        label: say(lang, 'Layer (k clusters)', 'Couche (k clusters)'),
        tickFormat: (name: string) =>
          `${layerIn(name, lang)} (k=${kOf(
            r,
            layers.findIndex((l) => l.name === name),
          )})`,
        padding: 0.4,
      },
      y: { label: say(lang, 'Purity (%)', 'Pureté (%)'), percent: true, domain: [100 * lowest, 100], grid: true },
      color: seriesScale([...SPLITS]),
      marks: [
        Plot.ruleY([r.spec.analysis.separationThreshold], { strokeDasharray: '4,4', stroke: 'currentColor', strokeOpacity: 0.6 }),
        ...layerCurveMarks(points, seeds),
        // Train above test: the two often end at the same height.
        ...SPLITS.map((split, i) =>
          Plot.text(
            last.filter((d) => d.series === split),
            {
              x: 'layer',
              y: 'mean',
              text: (d: SeriesPoint) => (d.series === 'train' ? say(lang, 'train', 'entraînement') : 'test'),
              fill: 'series',
              textAnchor: 'start',
              dx: 8,
              dy: i === 0 ? -7 : 7,
            },
          ),
        ),
      ],
    };
  },
};

export const clusterComposition: FigureDef = {
  name: 'cluster-composition',
  explore: (r) => `#seed=${r.seeds[0]}`,
  title: { en: 'What each cluster holds, layer by layer', fr: 'Ce que contient chaque cluster, couche par couche' },
  caption: (r, lang) =>
    say(
      lang,
      `Members of each k-means cluster by class, for every input: training, test and unseen inputs${seedNote(r, lang)}. A cluster shared by two trained classes mixes them; unseen inputs show which trained classes' clusters an unseen class borrows.`,
      `Membres de chaque cluster k-means par classe, pour toutes les entrées\u00A0: entraînement, test et entrées inconnues${seedNote(r, lang)}. Un cluster partagé par deux classes entraînées les mélange\u202F; les entrées inconnues montrent quels clusters des classes entraînées une classe inconnue emprunte.`,
    ),
  rows: (r) =>
    r.runs[0].layers.flatMap((l) => l.clusters.map((c) => ({ layer: l.name, cluster: `c${c.cluster}`, class: className(r, c.label), count: c.count }))),
  plot: (r, rows, lang) => {
    const layers = r.runs[0].layers;
    const most = Math.max(...layers.map((l) => l.k));
    // Clusters in number order (c2 before c10), and wide enough a band for each name.
    const clusters = Array.from({ length: most }, (_, i) => `c${i}`);
    const many = most > 6;
    return {
      width: Math.max(640, 70 + layers.length * (most * (many ? 16 : 24) + 24)),
      height: 300,
      marginLeft: 56,
      marginBottom: 40,
      fx: { domain: layers.map((l) => l.name), label: null, padding: 0.08 },
      x: {
        label: many ? say(lang, 'Cluster number', 'Numéro de cluster') : 'Cluster',
        type: 'band',
        domain: clusters,
        tickFormat: (c: string) => (many ? c.slice(1) : c),
        padding: 0.15,
      },
      y: { label: say(lang, 'Inputs (count)', 'Entrées (nombre)'), grid: true },
      color: classScale(allLabels(r), (l) => className(r, l)),
      marks: [
        Plot.barY(rows, { fx: 'layer', x: 'cluster', y: 'count', fill: 'class', title: (d) => `${d.layer} ${d.cluster}: ${d.count} × ${d.class}` }),
        Plot.ruleY([0]),
      ],
    };
  },
  key: (r, lang) => classKey(r, allLabels(r), lang),
};
