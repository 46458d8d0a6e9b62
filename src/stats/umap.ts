import { findABParams } from 'umap-js/dist/umap.js';

/**
 * UMAP's fuzzy graph and layout (McInnes, Healy & Melville 2018) on
 * precomputed exact neighbours, in typed arrays: the same algorithm and the
 * same arithmetic in the same order as umap-js 1.4 (`initializeFit`, then
 * `step` for every epoch), so the same seeded random stream gives the same
 * layout to the last bit (tests/stats/umap.test.ts checks it against umap-js
 * itself). umap-js builds its graph in string-keyed maps and its layout in
 * arrays of arrays, which made UMAP a quarter of an experiment's analysis;
 * only its curve fit (`findABParams`) is still called, once per setting.
 */
export interface UmapOptions {
  epochs: number;
  minDist: number;
  /** Uniform numbers in [0, 1), consumed in umap-js's order. */
  random: () => number;
  /** The starting layout, `n × 2` (umap-js starts at random; the caller chooses). */
  start: (i: number, c: number) => number;
}

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;

const abCache = new Map<number, { a: number; b: number }>();
function curve(minDist: number): { a: number; b: number } {
  let ab = abCache.get(minDist);
  if (!ab) abCache.set(minDist, (ab = findABParams(1, minDist)));
  return ab;
}

/**
 * A 2-D layout of the `n` rows whose `k` nearest neighbours (themselves
 * first, at distance 0) are `indices[i]` and `distances[i]`. Returns the
 * layout, `n × 2` row-major.
 */
export function umapLayout(indices: number[][], distances: number[][], options: UmapOptions): Float64Array {
  const n = indices.length;
  const k = indices[0].length;
  const { rhos, sigmas } = smoothDistances(distances, k);
  // The directed membership strengths A, row by row, as a map per row for the transpose's look-ups.
  const strength: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const c = indices[i][j];
      if (c === -1) continue;
      const d = distances[i][j];
      strength[i].set(c, c === i ? 0 : d - rhos[i] <= 0 ? 1 : Math.exp(-((d - rhos[i]) / sigmas[i])));
    }
  // The fuzzy union A + Aᵀ − A∘Aᵀ, its entries in umap-js's order (by row, then column).
  const columns: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (let i = 0; i < n; i++)
    for (const c of strength[i].keys()) {
      columns[i].add(c);
      columns[c].add(i);
    }
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  let max = 0;
  for (let r = 0; r < n; r++)
    for (const c of [...columns[r]].sort((x, y) => x - y)) {
      const a = strength[r].get(c) ?? 0;
      const b = strength[c].get(r) ?? 0;
      const v = a + b - a * b;
      if (max < v) max = v;
      rows.push(r);
      cols.push(c);
      values.push(v);
    }
  const { epochs, random } = options;
  const tail: number[] = [];
  const head: number[] = [];
  const weights: number[] = [];
  for (let e = 0; e < values.length; e++) {
    if (values[e] < max / epochs || !values[e]) continue;
    weights.push(values[e]);
    tail.push(rows[e]);
    head.push(cols[e]);
  }
  // umap-js draws a random start before the caller's replaces it: draw as many numbers, so the stream stays aligned.
  for (let i = 0; i < 2 * n; i++) random();
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) y[2 * i + c] = options.start(i, c);
  optimise(y, n, Int32Array.from(head), Int32Array.from(tail), weights, options);
  return y;
}

/** umap-js's smoothKNNDistance with local connectivity 1 and bandwidth 1: each row's ρ (nearest non-zero distance) and σ. */
function smoothDistances(distances: number[][], k: number): { rhos: Float64Array; sigmas: Float64Array } {
  const n = distances.length;
  const target = Math.log(k) / Math.log(2);
  const rhos = new Float64Array(n);
  const sigmas = new Float64Array(n);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  let meanOfMeans: number | null = null;
  for (let i = 0; i < n; i++) {
    const row = distances[i];
    const nonZero = row.filter((d) => d > 0);
    if (nonZero.length >= 1) rhos[i] = nonZero[0];
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < 64; it++) {
      let psum = 0;
      for (let j = 1; j < row.length; j++) {
        const d = row[j] - rhos[i];
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    sigmas[i] = mid;
    const floor = MIN_K_DIST_SCALE * (rhos[i] > 0 ? mean(row) : (meanOfMeans ??= mean(distances.map(mean))));
    if (sigmas[i] < floor) sigmas[i] = floor;
  }
  return { rhos, sigmas };
}

/** umap-js's optimizeLayoutStep for every epoch, on a flat layout. */
function optimise(y: Float64Array, n: number, head: Int32Array, tail: Int32Array, weights: number[], { epochs, minDist, random }: UmapOptions): void {
  const { a, b } = curve(minDist);
  const edges = weights.length;
  let largest = -Infinity;
  for (const w of weights) if (w > largest) largest = w;
  const perSample = new Float64Array(edges).fill(-1);
  for (let e = 0; e < edges; e++) {
    const samples = (weights[e] / largest) * epochs;
    if (samples > 0) perSample[e] = epochs / samples;
  }
  const perNegative = perSample.map((s) => s / NEGATIVE_SAMPLE_RATE);
  const nextSample = Float64Array.from(perSample);
  const nextNegative = Float64Array.from(perNegative);
  const clip = (x: number) => Math.min(CLIP, Math.max(x, -CLIP));
  let alpha = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let e = 0; e < edges; e++) {
      if (nextSample[e] > epoch) continue;
      const j = head[e];
      const cj = 2 * j;
      const ck = 2 * tail[e];
      let dx = y[cj] - y[ck];
      let dy = y[cj + 1] - y[ck + 1];
      const dist = dx ** 2 + dy ** 2;
      let coeff = 0;
      if (dist > 0) {
        coeff = -2 * a * b * dist ** (b - 1);
        coeff /= a * dist ** b + 1;
      }
      // x then y, each moving both ends, as umap-js's loop over dimensions does.
      let g = clip(coeff * dx) * alpha;
      y[cj] += g;
      y[ck] += -g;
      dy = y[cj + 1] - y[ck + 1];
      g = clip(coeff * dy) * alpha;
      y[cj + 1] += g;
      y[ck + 1] += -g;
      nextSample[e] += perSample[e];
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e]);
      for (let p = 0; p < negatives; p++) {
        const other = Math.floor(random() * n);
        const co = 2 * other;
        dx = y[cj] - y[co];
        dy = y[cj + 1] - y[co + 1];
        const d2 = dx ** 2 + dy ** 2;
        let repel = 0;
        if (d2 > 0) {
          repel = 2 * b;
          repel /= (0.001 + d2) * (a * d2 ** b + 1);
        } else if (j === other) continue;
        y[cj] += (repel > 0 ? clip(repel * dx) : 4) * alpha;
        dy = y[cj + 1] - y[co + 1];
        y[cj + 1] += (repel > 0 ? clip(repel * dy) : 4) * alpha;
      }
      nextNegative[e] += negatives * perNegative[e];
    }
    alpha = 1 - epoch / epochs;
  }
}
