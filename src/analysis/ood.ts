import type { LayerStats, SeedRun } from '../results/schema.ts';
import { rocAuc, rocCurve } from '../stats/auc.ts';
import { kthNeighbourDistance } from '../stats/knn.ts';
import { fitMahalanobis, nearestCentroidDistance } from '../stats/mahalanobis.ts';
import { gather, pick, subset, type Context } from './context.ts';
import { pathKey } from './paths.ts';

const REFERENCE = 3000;
const BINS = 24;
const ROC_POINTS = 60;

export type Scores = Record<'centroid' | 'knn' | 'mahalanobis', Float64Array>;

/** Each out-of-distribution score for the queries (trained classes' test inputs, then probes) at one layer. */
function layerScores(ctx: Context, layerIndex: number, queries: number[]): Scores {
  const layer = ctx.acts.layers[layerIndex];
  const d = layer.units;
  const train = ctx.rows.train;
  const xTrain = gather(layer, train);
  const yTrain = pick(ctx.classIndex, train);
  const xq = gather(layer, queries);
  const reference = subset(layer, train, ctx.classIndex, REFERENCE, ctx.spec.analysis.seed + 31);
  const maha = fitMahalanobis(xTrain, train.length, d, yTrain, ctx.data.classes.length);
  return {
    centroid: Float64Array.from(nearestCentroidDistance(maha, xq, queries.length)),
    knn: Float64Array.from(kthNeighbourDistance(reference.x, reference.rows.length, xq, queries.length, d, ctx.spec.analysis.neighbours)),
    mahalanobis: Float64Array.from(maha.score(xq, queries.length)),
  };
}

function histogram(test: number[], probe: number[]): SeedRun['oodCurves'][number]['histogram'] {
  const all = [...test, ...probe].filter(Number.isFinite).sort((a, b) => a - b);
  // Clip the top 1 % so that a few extreme probes do not squash the rest.
  const lo = all[0] ?? 0;
  const hi = all[Math.floor(0.99 * (all.length - 1))] ?? 1;
  const width = (hi - lo) / BINS || 1;
  const out: SeedRun['oodCurves'][number]['histogram'] = [];
  for (const [group, values] of [['test', test], ['probe', probe]] as const) {
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

/**
 * Question 3 at every layer: how far each probe class sits from the trained
 * classes (nearest centroid, Deep k-NN, Mahalanobis), as ROC AUC of probes
 * against the trained classes' test inputs; and where probe paths first leave
 * the paths seen in training.
 */
export function outOfDistribution(ctx: Context, withCurves: boolean, inputScores?: Map<string, Scores>): { perLayer: Pick<LayerStats, 'ood' | 'leftPaths'>[]; curves: SeedRun['oodCurves'] } {
  const test = ctx.rows.test;
  const probeLabels = ctx.data.probes;
  const queries = [...test, ...ctx.rows.probe];
  const curves: SeedRun['oodCurves'] = [];
  const hiddenNames = ctx.acts.layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
  const perLayer = ctx.acts.layers.map((layer, li) => {
    // The raw input is the same for every seed: its scores, the costliest (widest layer), are computed once.
    const cached = layer.kind === 'input' ? inputScores?.get(layer.name) : undefined;
    const scores = cached ?? layerScores(ctx, li, queries);
    if (layer.kind === 'input') inputScores?.set(layer.name, scores);
    const ood: LayerStats['ood'] = [];
    for (const probe of probeLabels) {
      const probeIdx = ctx.rows.probe.map((r, i) => (ctx.labels[r] === probe ? test.length + i : -1)).filter((i) => i >= 0);
      const idx = [...test.keys(), ...probeIdx];
      const positive = idx.map((i) => i >= test.length);
      for (const score of ['centroid', 'knn', 'mahalanobis'] as const) {
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
            histogram: histogram([...test.keys()].map((i) => scores[score][i]), probeIdx.map((i) => scores[score][i])),
          });
        }
      }
    }
    const h = hiddenNames.indexOf(layer.name);
    const leftPaths = h < 0 ? [] : probeLabels.map((probe) => ({ probe, share: leftShare(ctx, probe, h + 1) }));
    return { ood, leftPaths };
  });
  return { perLayer, curves };
}

/** Share of a probe class whose path over the first `depth` hidden layers no training input took. */
function leftShare(ctx: Context, probe: number, depth: number): number {
  const prefix = (r: number) => pathKey(ctx.sigs.paths[r].subarray(0, depth));
  const seen = new Set(ctx.rows.train.map(prefix));
  const rows = ctx.rows.probe.filter((r) => ctx.labels[r] === probe);
  return rows.length ? rows.filter((r) => !seen.has(prefix(r))).length / rows.length : 0;
}

/** Baselines: maximum softmax probability, and the rarity of the input's path in training. */
export function baselineAucs(ctx: Context, probe: number): { msp: number; pathRarity: number } {
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
  const rarity = rows.map((r) => -Math.log(((counts.get(pathKey(ctx.sigs.paths[r])) ?? 0) + 1) / (ctx.rows.train.length + 1)));
  return { msp: rocAuc(msp, positive), pathRarity: rocAuc(rarity, positive) };
}
