import type { LayerActivations } from '../activations/index.ts';
import type { LayerStats } from '../results/schema.ts';
import { meanDistanceRatioInterval, scatterPermutationTest } from '../stats/between.ts';
import { gather, pick, type Context } from './context.ts';

/** Σ_k |W_jk|: how strongly each neuron of a layer feeds the next one. */
export function outgoingWeight(kernel: Float32Array, units: number): Float64Array {
  const next = kernel.length / units;
  const out = new Float64Array(units);
  for (let j = 0; j < units; j++) for (let k = 0; k < next; k++) out[j] += Math.abs(kernel[j * next + k]);
  return out;
}

/** The fewest neurons, largest first, whose contributions cover `coverage` of the total. */
export function coveringSet(contribution: ArrayLike<number>, coverage: number): { neurons: number[]; share: number } {
  // It runs once per input and layer: the values are sorted natively (no
  // comparator), summed and counted largest first, and only the neurons
  // taken are then ordered — the same sums, in the same order, and the same
  // neurons as sorting every (value, index) pair.
  const n = contribution.length;
  const values = Float64Array.from(contribution).sort();
  let total = 0;
  for (let q = n - 1; q >= 0; q--) total += values[q];
  if (total <= 0) return { neurons: [], share: 0 };
  let covered = 0;
  let m = 0;
  for (let q = n - 1; q >= 0 && covered < coverage * total; q--, m++) covered += values[q];
  if (m === 0) return { neurons: [], share: covered / total };
  // The m-th largest value: everything above it is taken, then ties at it by index.
  const threshold = values[n - m];
  const above: number[] = [];
  for (let j = 0; j < n; j++) if (contribution[j] > threshold) above.push(j);
  const neurons = byContribution(contribution, above);
  for (let j = 0; j < n && neurons.length < m; j++) if (contribution[j] === threshold) neurons.push(j);
  return { neurons, share: covered / total };
}

/**
 * `indices` by decreasing contribution, ties by increasing index: a
 * bottom-up merge sort with the comparison written out (a comparator
 * callback cost several times as much). The order is total, so it is the
 * order any sort gives.
 */
function byContribution(c: ArrayLike<number>, indices: number[]): number[] {
  const n = indices.length;
  let from = indices;
  let to = new Array<number>(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        const x = from[a];
        const y = from[b];
        // y goes first only when strictly larger, or equal with a smaller index.
        if (c[y] > c[x] || (c[y] === c[x] && y < x)) {
          to[k++] = y;
          b++;
        } else {
          to[k++] = x;
          a++;
        }
      }
      while (a < mid) to[k++] = from[a++];
      while (b < hi) to[k++] = from[b++];
    }
    [from, to] = [to, from];
  }
  return from;
}

export function jaccard(a: number[], b: number[]): number {
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  const union = sa.size + b.length - inter;
  return union === 0 ? 1 : inter / union;
}

/** Mean |activation| of each neuron over `rows`, and the mean per-neuron standard deviation. */
function classProfile(layer: LayerActivations, rows: number[]): { mean: Float64Array; meanAbs: Float64Array; spread: number } {
  const d = layer.units;
  const mean = new Float64Array(d);
  const meanAbs = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) {
      const v = layer.values[r * d + j];
      mean[j] += v;
      meanAbs[j] += Math.abs(v);
      sq[j] += v * v;
    }
  }
  let spread = 0;
  for (let j = 0; j < d; j++) {
    mean[j] /= rows.length;
    meanAbs[j] /= rows.length;
    spread += Math.sqrt(Math.max(0, sq[j] / rows.length - mean[j] * mean[j]));
  }
  return { mean, meanAbs, spread: spread / d };
}

function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
}

/**
 * Question 2 at one hidden layer: each class's signature (mean activation),
 * its specific path (the neurons carrying most of its contribution to the
 * next layer, after Effective Path), how the classes differ, and whether the
 * difference beats shuffled labels.
 */
export function classSignatures(
  ctx: Context,
  layerIndex: number,
  hiddenIndex: number,
): Pick<LayerStats, 'classes' | 'pairs' | 'permutation' | 'classDistance' | 'noSpecificPath'> {
  const layer = ctx.acts.layers[layerIndex];
  const skip = noSpecificPath(layer);
  const weight = skip ? null : outgoingWeight(ctx.kernels[hiddenIndex], layer.units);
  const { coverage, permutations, seed } = ctx.spec.analysis;
  const classes = ctx.data.classes.map((label) => {
    const rows = ctx.rows.train.filter((r) => ctx.labels[r] === label);
    const p = classProfile(layer, rows);
    const specific = weight
      ? coveringSet(
          Array.from(p.meanAbs, (v, j) => v * weight[j]),
          coverage,
        )
      : { neurons: [], share: 0 };
    const byActivation = Array.from(p.meanAbs, (v, j) => [v, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return {
      label,
      mean: Array.from(p.mean, (v) => Math.round(v * 1e5) / 1e5),
      spread: p.spread,
      specific: specific.neurons,
      specificShare: specific.share,
      topByActivation: byActivation.slice(0, specific.neurons.length).map(([, j]) => j),
    };
  });
  const pairs = [];
  for (let a = 0; a < classes.length; a++)
    for (let b = a + 1; b < classes.length; b++)
      pairs.push({
        a: classes[a].label,
        b: classes[b].label,
        cosine: cosineDistance(classes[a].mean, classes[b].mean),
        jaccard: skip ? null : jaccard(classes[a].specific, classes[b].specific),
      });
  // The test is run on held-out inputs: on the training inputs, which the
  // network was fitted to separate, it would be significant by construction.
  const rows = ctx.rows.test;
  const x = gather(layer, rows);
  const groups = pick(ctx.classIndex, rows);
  const nClasses = ctx.data.classes.length;
  const test = scatterPermutationTest(x, rows.length, layer.units, groups, nClasses, permutations, seed + layerIndex);
  const permutation = { ...test, floor: 1 / (permutations + 1) };
  const classDistance = meanDistanceRatioInterval(x, rows.length, layer.units, groups, nClasses, BOOTSTRAP, seed + 7919 * (layerIndex + 1));
  return { classes, pairs, permutation, classDistance, ...(skip ? { noSpecificPath: skip } : {}) };
}

/** Bootstrap replicates of the class-distance ratio's interval. */
const BOOTSTRAP = 200;

/**
 * Why a layer has no specific path, or null when it has one. The outgoing
 * weights are a channel's (or a neuron's); a PCA component mixes every channel
 * at every position, and the pooling before the next layer is not linear, so
 * no weight belongs to a component: rather none than a number that means nothing.
 */
export function noSpecificPath(layer: LayerActivations): string | null {
  return layer.reduction?.method === 'pca' ? 'its units are principal components of the conv map, not channels: no outgoing weight belongs to one' : null;
}

/**
 * Per input: its own specific path at each hidden layer that has them,
 * compared (Jaccard, averaged over layers) with each class's; the share of
 * test inputs whose most similar class path is their own class's (null when
 * no layer has specific paths).
 */
export function specificPathMatch(
  ctx: Context,
  layers: { layerIndex: number; hiddenIndex: number; classes: { label: number; specific: number[] }[] }[],
): number | null {
  const perLayer = layers.filter((l) => !noSpecificPath(ctx.acts.layers[l.layerIndex]));
  if (perLayer.length === 0) return null;
  const { coverage } = ctx.spec.analysis;
  const weights = perLayer.map((l) => outgoingWeight(ctx.kernels[l.hiddenIndex], ctx.acts.layers[l.layerIndex].units));
  let hits = 0;
  for (const r of ctx.rows.test) {
    const score = new Float64Array(ctx.data.classes.length);
    perLayer.forEach((l, li) => {
      const layer = ctx.acts.layers[l.layerIndex];
      const d = layer.units;
      const own = coveringSet(
        Float64Array.from({ length: d }, (_, j) => Math.abs(layer.values[r * d + j]) * weights[li][j]),
        coverage,
      ).neurons;
      l.classes.forEach((c, ci) => (score[ci] += jaccard(own, c.specific)));
    });
    let best = 0;
    for (let c = 1; c < score.length; c++) if (score[c] > score[best]) best = c;
    if (best === ctx.classIndex[r]) hits++;
  }
  return ctx.rows.test.length ? hits / ctx.rows.test.length : 0;
}
