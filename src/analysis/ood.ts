import type { LayerStats, SeedRun } from '../results/schema.ts';
import { rocAuc, rocCurve } from '../stats/auc.ts';
import { delong } from '../stats/delong.ts';
import { nearestRows } from '../stats/knn.ts';
import { fitMahalanobis, nearestCentroidDistance, rawGram, relativeMahalanobis } from '../stats/mahalanobis.ts';
import { gather, pick, subset, type Context } from './context.ts';
import { pathKey } from './paths.ts';
import { SCORES, type ScoreName } from './scores.ts';

/** Training rows the k-NN score measures against, at most (a seeded sample beyond). */
export const REFERENCE = 3000;
const BINS = 24;
const ROC_POINTS = 60;

export { SCORES, type ScoreName } from './scores.ts';

export type Scores = Record<ScoreName, Float64Array> & {
  shrinkage: number;
  /** The k-NN score's neighbours: for each query, its `k` nearest reference rows (input rows, nearest first), `queries × k`. */
  neighbours: { k: number; rows: Int32Array };
};

/** Each out-of-distribution score for the queries (trained classes' test inputs, then probes) at one layer. */
type Time = <T>(part: string, work: () => T) => T;

export function layerScores(ctx: Context, layerIndex: number, queries: number[], time: Time): Scores {
  const layer = ctx.acts.layers[layerIndex];
  const d = layer.units;
  const train = ctx.rows.train;
  const xTrain = gather(layer, train);
  const yTrain = pick(ctx.classIndex, train);
  const xq = gather(layer, queries);
  const reference = subset(layer, train, ctx.classIndex, REFERENCE, ctx.spec.analysis.seed + 31);
  const classes = ctx.data.classes.length;
  // Both models start from the training rows' Xᵀ X: computed once.
  const gram = time('mahalanobis fit', () => rawGram(xTrain, train.length, d));
  const maha = time('mahalanobis fit', () => fitMahalanobis(xTrain, train.length, d, yTrain, classes, { gram }));
  const background = time('mahalanobis fit', () => fitMahalanobis(xTrain, train.length, d, new Int32Array(train.length), 1, { gram }));
  const near = time('knn distance', () => nearestRows(reference.x, reference.rows.length, xq, queries.length, d, ctx.spec.analysis.neighbours));
  // The class model's scores serve both scores: relative Mahalanobis subtracts the background's from them.
  const own = time('mahalanobis score', () => maha.score(xq, queries.length));
  return {
    mahalanobis: own,
    'relative-mahalanobis': time('mahalanobis score', () => relativeMahalanobis(own, background.score(xq, queries.length))),
    knn: near.k ? Float64Array.from({ length: queries.length }, (_, q) => near.distances[q * near.k + near.k - 1]) : new Float64Array(queries.length).fill(NaN),
    centroid: Float64Array.from(nearestCentroidDistance(maha, xq, queries.length)),
    shrinkage: maha.shrinkage,
    neighbours: { k: near.k, rows: near.indices.map((j) => reference.rows[j]) },
  };
}

function histogram(test: number[], probe: number[]): SeedRun['oodCurves'][number]['histogram'] {
  const all = [...test, ...probe].filter(Number.isFinite).sort((a, b) => a - b);
  // Clip the top 1 % so that a few extreme probes do not squash the rest.
  const lo = all[0] ?? 0;
  const hi = all[Math.floor(0.99 * (all.length - 1))] ?? 1;
  const width = (hi - lo) / BINS || 1;
  const out: SeedRun['oodCurves'][number]['histogram'] = [];
  for (const [group, values] of [
    ['test', test],
    ['probe', probe],
  ] as const) {
    const counts = new Array(BINS).fill(0);
    for (const v of values) counts[Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
    counts.forEach((c, b) => out.push({ group, x0: lo + b * width, x1: lo + (b + 1) * width, share: values.length ? c / values.length : 0 }));
  }
  return out;
}

function thin<T>(points: T[], n: number): T[] {
  if (points.length <= n) return points;
  return Array.from({ length: n }, (_, i) => points[Math.round((i * (points.length - 1)) / (n - 1))]);
}

/** Significant digits kept of a stored covariance: plenty for a standard error. */
const round = (v: number) => Number(v.toPrecision(6));

/**
 * Question 3 at every layer: how far each probe class sits from the trained
 * classes (Mahalanobis with a Ledoit–Wolf covariance, relative Mahalanobis,
 * k-th nearest-neighbour distance, nearest centroid), as ROC AUC of probes
 * against the trained classes' test inputs, with DeLong's covariance of all
 * those AUCs (they are measured on the same inputs); and where probe paths
 * first leave the paths seen in training.
 */
export function outOfDistribution(
  ctx: Context,
  withCurves: boolean,
  inputScores?: Map<string, Scores>,
  time: Time = (_, work) => work(),
): {
  perLayer: Pick<LayerStats, 'ood' | 'leftPaths' | 'mahalanobisShrinkage'>[];
  curves: SeedRun['oodCurves'];
  covariance: SeedRun['oodCovariance'];
  scores: Scores[];
} {
  const test = ctx.rows.test;
  const probeLabels = ctx.data.probes;
  const queries = [...test, ...ctx.rows.probe];
  const curves: SeedRun['oodCurves'] = [];
  const hiddenNames = ctx.acts.layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
  const all: Scores[] = [];
  const perLayer = ctx.acts.layers.map((layer, li) => {
    // The raw input is the same for every seed: its scores, the costliest (widest layer), are computed once.
    const cached = layer.kind === 'input' ? inputScores?.get(layer.name) : undefined;
    const scores = cached ?? layerScores(ctx, li, queries, time);
    if (layer.kind === 'input') inputScores?.set(layer.name, scores);
    all.push(scores);
    const ood: LayerStats['ood'] = [];
    for (const probe of probeLabels) {
      const { idx, positive, probeIdx } = probeQueries(ctx, probe);
      for (const score of SCORES) {
        const values = idx.map((i) => scores[score][i]);
        const auc = rocAuc(values, positive);
        ood.push({ probe, score, auc });
        if (withCurves) {
          curves.push({
            layer: layer.name,
            probe,
            score,
            auc,
            roc: thin(rocCurve(values, positive), ROC_POINTS).map((p) => ({ fpr: p.fpr, tpr: p.tpr })),
            histogram: histogram(
              [...test.keys()].map((i) => scores[score][i]),
              probeIdx.map((i) => scores[score][i]),
            ),
          });
        }
      }
    }
    const h = hiddenNames.indexOf(layer.name);
    const leftPaths = h < 0 ? [] : probeLabels.map((probe) => ({ probe, share: leftShare(ctx, probe, h + 1) }));
    return { ood, leftPaths, mahalanobisShrinkage: scores.shrinkage };
  });
  const covariance = probeLabels.map((probe) => {
    const { idx, positive } = probeQueries(ctx, probe);
    const candidates = ctx.acts.layers.flatMap((layer) => SCORES.map((score) => ({ layer: layer.name, score })));
    const vectors = ctx.acts.layers.flatMap((_, li) => SCORES.map((score) => idx.map((i) => all[li][score][i])));
    const { covariance: matrix } = time('delong', () => delong(vectors, positive));
    return { probe, candidates, matrix: matrix.map((row) => row.map(round)) };
  });
  return { perLayer, curves, covariance, scores: all };
}

/** The queries of one probe class: every test input of the trained classes, then that probe's inputs. */
function probeQueries(ctx: Context, probe: number): { idx: number[]; positive: boolean[]; probeIdx: number[] } {
  const test = ctx.rows.test;
  const probeIdx = ctx.rows.probe.map((r, i) => (ctx.labels[r] === probe ? test.length + i : -1)).filter((i) => i >= 0);
  const idx = [...test.keys(), ...probeIdx];
  return { idx, positive: idx.map((i) => i >= test.length), probeIdx };
}

/** Share of a probe class whose path over the first `depth` hidden layers no training input took. */
function leftShare(ctx: Context, probe: number, depth: number): number {
  const prefix = (r: number) => pathKey(ctx.sigs.paths[r].subarray(0, depth));
  const seen = new Set(ctx.rows.train.map(prefix));
  const rows = ctx.rows.probe.filter((r) => ctx.labels[r] === probe);
  return rows.length ? rows.filter((r) => !seen.has(prefix(r))).length / rows.length : 0;
}

/**
 * Baselines: maximum softmax probability (Hendrycks & Gimpel 2017), the
 * energy score −log Σ exp(logits) (Liu et al. 2020), and the rarity of the
 * input's path in training.
 */
export function baselineAucs(ctx: Context, probe: number): { msp: number; energy: number | null; pathRarity: number } {
  const out = ctx.acts.layers[ctx.acts.layers.length - 1];
  const c = out.units;
  const counts = new Map<string, number>();
  for (const r of ctx.rows.train) counts.set(pathKey(ctx.sigs.paths[r]), (counts.get(pathKey(ctx.sigs.paths[r])) ?? 0) + 1);
  const rows = [...ctx.rows.test, ...ctx.rows.probe.filter((r) => ctx.labels[r] === probe)];
  const positive = rows.map((r) => ctx.labels[r] === probe);
  const msp = rows.map((r) => {
    let best = 0;
    for (let j = 0; j < c; j++) best = Math.max(best, out.values[r * c + j]);
    return 1 - best;
  });
  const logits = ctx.acts.logits;
  const energy = logits
    ? rows.map((r) => {
        let max = -Infinity;
        for (let j = 0; j < c; j++) max = Math.max(max, logits[r * c + j]);
        let sum = 0;
        for (let j = 0; j < c; j++) sum += Math.exp(logits[r * c + j] - max);
        return -(max + Math.log(sum));
      })
    : null;
  const rarity = rows.map((r) => -Math.log(((counts.get(pathKey(ctx.sigs.paths[r])) ?? 0) + 1) / (ctx.rows.train.length + 1)));
  return { msp: rocAuc(msp, positive), energy: energy ? rocAuc(energy, positive) : null, pathRarity: rocAuc(rarity, positive) };
}
