import type { Activations, LayerActivations } from '../activations/index.ts';
import { inputIds } from '../data/ids.ts';
import type { Dataset } from '../data/types.ts';
import { INPUTS_FORMAT, INPUTS_VERSION, type InputsIndex, type SeedInputs } from '../results/inputs.ts';
import type { LayerStats } from '../results/schema.ts';
import type { Signatures } from '../signatures/index.ts';
import { nearestRows } from '../stats/knn.ts';
import { project } from '../stats/pca.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { coveringSet, jaccard, noSpecificPath, outgoingWeight } from './classes.ts';
import { gather, makeContext, type Context } from './context.ts';
import { REFERENCE, SCORES, type Scores } from './ood.ts';
import { pathKey } from './paths.ts';
import { layerProjection, projectionRows, rounded, UMAP_SETTINGS } from './projections.ts';

// Every stored input, one seed's model: what the explorer and inputs.csv show
// of it. Nothing here is a new statistic: the clusters, maps, scores and
// neighbours are those the analysis computed, kept per input instead of
// summarised (the maps, computed for the figures on a sample, are extended to
// every input: see everyInput).

export interface InputsSource {
  spec: ExperimentSpec;
  data: Dataset;
  acts: Activations;
  sigs: Signatures;
  kernels: Float32Array[];
  /** The analysis' out-of-distribution scores of each layer (analyse's `scores`). */
  scores: Scores[];
  /** The analysis' layers, for the classes' specific paths. */
  layers: LayerStats[];
  seed: number;
  /** The raw input layer's maps, the same for every seed: filled by whichever computes them first (a seed, or input-layer.ts), lent to the others. */
  inputMaps?: Map<string, InputMaps>;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4 + 0;
const significant = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(5)) : null);

/** What is the same for every seed: ids, labels, rows, layers (`acts` and `sigs` of any seed). */
export function inputsIndex(
  spec: ExperimentSpec,
  data: Dataset,
  { acts, sigs }: { acts: Activations; sigs: Signatures },
  id: string,
  hash: string,
  seeds: number[],
): InputsIndex {
  const ids = inputIds(data);
  const nTrain = data.train.count;
  const nTest = data.test.count;
  const n = ids.length;
  return {
    format: INPUTS_FORMAT,
    version: INPUTS_VERSION,
    id,
    hash,
    ranges: { train: [0, nTrain], test: [nTrain, nTrain + nTest], probe: [nTrain + nTest, n] },
    scored: [nTrain, n],
    ids,
    labels: [...data.train.labels, ...data.test.labels, ...data.probe.labels],
    layers: sigs.layers.map((l) => ({ name: l.name, kind: l.kind, k: l.k })),
    classes: [...data.classes],
    probes: [...data.probes],
    names: { ...data.names },
    seeds,
    scores: [...SCORES],
    neighbours: Math.min(spec.analysis.neighbours, nTrain),
    reference: Math.min(REFERENCE, nTrain),
    image: { width: data.width, height: data.height },
    projection: {
      sample: projectionRows(makeContext(spec, data, acts, sigs, [])),
      umapNeighbours: UMAP_SETTINGS.neighbours,
      umapEpochs: UMAP_SETTINGS.epochs,
      minDist: UMAP_SETTINGS.minDist,
    },
    coverage: spec.analysis.coverage,
  };
}

/** One seed's columns of the per-input artifact. */
export function seedInputs(source: InputsSource): SeedInputs {
  const { spec, data, acts, sigs, kernels, scores, layers, seed } = source;
  const ctx = makeContext(spec, data, acts, sigs, kernels);
  const n = acts.count;
  const output = acts.layers[acts.layers.length - 1];
  const C = output.units;
  const prediction = new Array<number>(n);
  const probabilities = new Array<number>(n * C);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 0; j < C; j++) {
      const p = output.values[i * C + j];
      probabilities[i * C + j] = round4(p);
      if (p > output.values[i * C + best]) best = j;
    }
    prediction[i] = best;
  }
  const maps = acts.layers.map((_, li) => everyInput(ctx, li, source.inputMaps));
  const scoredRows = [...ctx.rows.test, ...ctx.rows.probe];
  return {
    seed,
    prediction,
    probabilities,
    clusters: sigs.layers.map((l) => Array.from(l.assignments)),
    pca: maps.map((m) => m.pca),
    umap: maps.map((m) => m.umap),
    scores: scores.map((s) => SCORES.map((name) => Array.from(s[name], significant))),
    baselines: baselines(ctx, scoredRows),
    neighbours: scores.map((s) => Array.from(s.neighbours.rows)),
    specific: specificPaths(ctx, layers),
  };
}

export interface InputMaps {
  pca: SeedInputs['pca'][number];
  umap: SeedInputs['umap'][number];
}
type Maps = InputMaps;

/**
 * Layer `li` mapped to two dimensions for every input. The maps are the
 * figures' (the same sample of test and probe inputs, the same PCA and
 * UMAP): PCA places every other input by projecting it on the sample's
 * components; UMAP, which has no such formula, places it at the mean of its
 * nearest sample rows' positions weighted by UMAP's membership strengths
 * (umap-learn's `transform` starting point, without its further epochs).
 * The sample's own rows keep their fitted positions.
 */
export function everyInput(ctx: Context, li: number, inputMaps?: Map<string, Maps>): Maps {
  const layer = ctx.acts.layers[li];
  const cached = layer.kind === 'input' ? inputMaps?.get(layer.name) : undefined;
  if (cached) return cached;
  const rows = projectionRows(ctx);
  const fit = layerProjection(ctx, li, rows);
  const n = ctx.acts.count;
  const m = fit.pca.components.length;
  const scores = new Float64Array(n * m);
  if (m > 0) project(fit.pca, layer.values, n, scores);
  const px = Array.from({ length: n }, (_, i) => (m > 0 ? scores[i * m] : 0));
  const py = Array.from({ length: n }, (_, i) => (m > 1 ? scores[i * m + 1] : 0));
  rows.forEach((r, i) => {
    px[r] = fit.coordinates[0][i];
    py[r] = fit.coordinates[1][i];
  });
  const [x, y] = rounded(px, py);
  const out: Maps = {
    pca: { x, y, explained: [fit.pca.explained[0] ?? 0, fit.pca.explained[1] ?? 0] },
    umap: fit.umap ? umapEveryInput(layer, rows, fit.umap, fit.neighbours, n) : null,
  };
  if (layer.kind === 'input') inputMaps?.set(layer.name, out);
  return out;
}

function umapEveryInput(layer: LayerActivations, rows: number[], embedding: number[][], k: number, n: number): Maps['umap'] {
  const ux = new Array<number>(n);
  const uy = new Array<number>(n);
  const inSample = new Set(rows);
  rows.forEach((r, i) => {
    ux[r] = embedding[i][0];
    uy[r] = embedding[i][1];
  });
  const others = Array.from({ length: n }, (_, i) => i).filter((i) => !inSample.has(i));
  const d = layer.units;
  const near = nearestRows(gather(layer, rows), rows.length, gather(layer, others), others.length, d, k);
  const target = Math.log2(near.k);
  others.forEach((r, q) => {
    const dist = near.distances.subarray(q * near.k, (q + 1) * near.k);
    const w = membership(dist, target);
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (let j = 0; j < near.k; j++) {
      const e = embedding[near.indices[q * near.k + j]];
      sx += w[j] * e[0];
      sy += w[j] * e[1];
      sw += w[j];
    }
    ux[r] = sx / sw;
    uy[r] = sy / sw;
  });
  const [x, y] = rounded(ux, uy);
  return { x, y };
}

/**
 * UMAP's membership strengths of one point's neighbours (distances sorted,
 * nearest first): exp(−(d − ρ)/σ), ρ the nearest distance, σ found by
 * bisection so that they sum to log2(k) (umap-learn's smooth_knn_dist).
 */
export function membership(dist: ArrayLike<number>, target: number): Float64Array {
  const k = dist.length;
  const rho = dist[0];
  const w = new Float64Array(k);
  const sum = (sigma: number) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(-Math.max(0, dist[j] - rho) / sigma);
    return s;
  };
  let lo = 0;
  let hi = Infinity;
  let sigma = 1;
  for (let it = 0; it < 64; it++) {
    const s = sum(sigma);
    if (Math.abs(s - target) < 1e-5) break;
    if (s > target) {
      hi = sigma;
      sigma = (lo + hi) / 2;
    } else {
      lo = sigma;
      sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2;
    }
  }
  for (let j = 0; j < k; j++) w[j] = Math.exp(-Math.max(0, dist[j] - rho) / Math.max(sigma, 1e-12));
  return w;
}

/** Maximum softmax probability, energy and path rarity of each scored input, as the baselines' AUCs read them. */
function baselines(ctx: Context, rows: number[]): SeedInputs['baselines'] {
  const out = ctx.acts.layers[ctx.acts.layers.length - 1];
  const c = out.units;
  const counts = new Map<string, number>();
  for (const r of ctx.rows.train) counts.set(pathKey(ctx.sigs.paths[r]), (counts.get(pathKey(ctx.sigs.paths[r])) ?? 0) + 1);
  const logits = ctx.acts.logits;
  return {
    msp: rows.map((r) => {
      let best = 0;
      for (let j = 0; j < c; j++) best = Math.max(best, out.values[r * c + j]);
      return significant(1 - best);
    }),
    energy: logits
      ? rows.map((r) => {
          let max = -Infinity;
          for (let j = 0; j < c; j++) max = Math.max(max, logits[r * c + j]);
          let sum = 0;
          for (let j = 0; j < c; j++) sum += Math.exp(logits[r * c + j] - max);
          return significant(-(max + Math.log(sum)));
        })
      : null,
    rarity: rows.map((r) => significant(-Math.log(((counts.get(pathKey(ctx.sigs.paths[r])) ?? 0) + 1) / (ctx.rows.train.length + 1)))),
  };
}

/**
 * Each input's own specific path at every hidden layer that has them (the
 * neurons carrying `analysis.coverage` of its activation × outgoing weight,
 * as specificPathMatch computes it), set beside the classes' specific paths.
 */
function specificPaths(ctx: Context, layers: LayerStats[]): SeedInputs['specific'] {
  const out: SeedInputs['specific'] = [];
  let hiddenIndex = -1;
  ctx.acts.layers.forEach((layer, li) => {
    if (layer.kind !== 'hidden') return;
    hiddenIndex++;
    const classes = layers[li]?.classes ?? [];
    if (noSpecificPath(layer) || classes.length === 0) return;
    const d = layer.units;
    const weight = outgoingWeight(ctx.kernels[hiddenIndex], d);
    const n = ctx.acts.count;
    const nearest = new Array<number>(n);
    const best = new Array<number>(n);
    const own = new Array<number | null>(n);
    const contribution = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) contribution[j] = Math.abs(layer.values[r * d + j]) * weight[j];
      const mine = coveringSet(contribution, ctx.spec.analysis.coverage).neurons;
      let top = -1;
      let at = 0;
      own[r] = null;
      classes.forEach((c, ci) => {
        const j = jaccard(mine, c.specific);
        if (j > top) [top, at] = [j, ci];
        if (c.label === ctx.labels[r]) own[r] = round4(j);
      });
      nearest[r] = classes[at].label;
      best[r] = round4(top);
    }
    out.push({ layer: layer.name, nearest, jaccard: best, own });
  });
  return out;
}
