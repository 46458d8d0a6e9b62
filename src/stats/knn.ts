import { DotKernel } from '../signatures/dots.ts';
import { toFloat64 } from './gemm.ts';

/**
 * Nearest training rows by Euclidean distance, exactly. A squared distance
 * is first screened as ‖q‖² + ‖t‖² − 2 q·t, the dot products for a block of
 * queries at once in WebAssembly SIMD (float32, the kernel k-means uses).
 * That form cancels when the distance is tiny beside the norms (near-
 * saturated softmax outputs), so every row that could be among the k
 * nearest, given the screen's rounding bound, is measured again by direct
 * differences in double precision, and only direct distances are ranked and
 * returned.
 */

/** Queries screened per kernel call. */
const BLOCK = 32;
/** float32's unit roundoff, for the screen's rounding bound. */
const EPSILON32 = 2 ** -23;

interface Reference {
  x: Float32Array | Float64Array;
  n: number;
  d: number;
  /** The screen's products; none when every pair is measured directly (few columns). */
  kernel: DotKernel | null;
  /** Whether the screen's products walk the rows' non-zeros (mostly blank rows, as raw pixels). */
  sparse: boolean;
  /** Whether the kernel holds the rows exactly (float32 rows): then it measures the distances too. */
  exactInKernel: boolean;
}

/**
 * Below this share of non-zero values the screen walks the non-zeros: raw
 * MNIST pixels are 19 % non-zero, ReLU layers about 60 % (both faster so,
 * measured); softmax outputs, never zero, keep the dense products.
 */
const SPARSE_BELOW = 0.9;

/**
 * At most this many columns, every pair is measured directly: the screen's
 * products cost as much as the differences, and on near-saturated softmax
 * outputs its bound lets a third of the rows through anyway.
 */
const DIRECT_UP_TO = 8;

function reference(x: ArrayLike<number>, n: number, d: number, k: number): Reference {
  // float32 rows (the activations) are measured as they are, each value
  // exact in double, and the kernel holds them exactly; others are copied
  // to float64 first and measured here.
  const f32 = x instanceof Float32Array;
  const exact = f32 ? x.subarray(0, n * d) : toFloat64(x, n * d);
  if (d <= DIRECT_UP_TO) {
    const kernel = f32 ? new DotKernel(exact as Float32Array, d, BLOCK, false, { k, norms: new Float64Array(n) }) : null;
    return { x: exact, n, d, kernel, sparse: false, exactInKernel: f32 };
  }
  const norms = new Float64Array(n);
  let nonZero = 0;
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let j = t * d; j < (t + 1) * d; j++) {
      const v = exact[j];
      s += v * v;
      if (v !== 0) nonZero++;
    }
    norms[t] = s;
  }
  const sparse = nonZero < SPARSE_BELOW * n * d;
  const x32 = exact instanceof Float32Array ? exact : new Float32Array(exact);
  return { x: exact, n, d, kernel: new DotKernel(x32, d, BLOCK, sparse, { k, norms }), sparse, exactInKernel: f32 };
}

/**
 * For every query row, in blocks: its `k` nearest training rows, nearest
 * first, with their squared distances, handed to `visit` (buffers reused).
 * The neighbours are the k smallest (squared distance, row) pairs: a row
 * tied with a later one comes first, whichever way the rows are visited.
 */
function eachNearest(
  ref: Reference,
  query: ArrayLike<number>,
  nQuery: number,
  k: number,
  visit: (q: number, idx: Int32Array, dist: Float64Array, found: number) => void,
): void {
  const { x, n, d, kernel } = ref;
  // Each query's k best so far (squared distances ascending), side by side for the block.
  const idx = new Int32Array(BLOCK * k);
  const dist = new Float64Array(BLOCK * k);
  const found = new Int32Array(BLOCK);
  const block = new Float64Array(BLOCK * d);
  const queryNorms = new Float64Array(BLOCK);
  // (d + 2) roundings in the dot product, two more in the inputs' float32 copies, with room to spare.
  const slack = 4 * (d + 4) * EPSILON32;
  /** Row t measured against query b directly. */
  const measure = (b: number, t: number) => {
    const qo = b * d;
    const to = t * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const e = block[qo + j] - x[to + j];
      s += e * e;
    }
    return s;
  };
  /** Row t, at squared distance s from query b, kept if it is among b's k best so far (rows come in order). */
  const keep = (b: number, t: number, s: number) => {
    const o = b * k;
    const full = found[b] === k;
    if (full && s >= dist[o + k - 1]) return;
    let p = full ? k - 1 : found[b]++;
    while (p > 0 && dist[o + p - 1] > s) {
      dist[o + p] = dist[o + p - 1];
      idx[o + p] = idx[o + p - 1];
      p--;
    }
    dist[o + p] = s;
    idx[o + p] = t;
  };
  for (let first = 0; first < nQuery; first += BLOCK) {
    const count = Math.min(BLOCK, nQuery - first);
    for (let b = 0; b < count; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = query[(first + b) * d + j];
        block[b * d + j] = v;
        s += v * v;
      }
      queryNorms[b] = s;
    }
    found.fill(0);
    if (d <= DIRECT_UP_TO) {
      if (kernel && ref.exactInKernel) {
        const near = kernel.nearestDirect(block, count);
        idx.set(near.idx.subarray(0, count * k));
        dist.set(near.dist.subarray(0, count * k));
        found.set(near.found.subarray(0, count));
      } else for (let b = 0; b < count; b++) for (let t = 0; t < n; t++) keep(b, t, measure(b, t));
    } else if (kernel) {
      kernel.setCentres(block, count);
      // Either sum has at most d + 2 roundings: the same bound, so the same screen guarantee.
      if (ref.sparse) kernel.sparseDots(0, n, count);
      else kernel.dots(0, n, 0, count);
      // Each query's k-th smallest upper bound holds at least k rows, so a
      // row whose lower bound exceeds it is farther than the k-th neighbour:
      // only the others (about k per query) are measured, rows in order.
      const pairs = kernel.screen(count, queryNorms, slack);
      const exact = ref.exactInKernel ? kernel.pairDistances(block, count, pairs.length) : null;
      for (let i = 0; i < pairs.length; i++) {
        const t = (pairs[i] / count) | 0;
        const b = pairs[i] - t * count;
        keep(b, t, exact ? exact[i] : measure(b, t));
      }
    }
    for (let b = 0; b < count; b++) visit(first + b, idx.subarray(b * k, (b + 1) * k), dist.subarray(b * k, (b + 1) * k), found[b]);
  }
}

/**
 * Share of test rows whose `k` nearest training rows' majority label is their
 * own. A tied vote goes to the tied label with the nearest member.
 */
export function knnAccuracy(
  trainX: ArrayLike<number>,
  trainY: ArrayLike<number>,
  testX: ArrayLike<number>,
  testY: ArrayLike<number>,
  d: number,
  k: number,
): number {
  const nTrain = trainY.length;
  const nTest = testY.length;
  if (nTest === 0 || nTrain === 0) return NaN;
  const votes = new Map<number, number>();
  let right = 0;
  eachNearest(reference(trainX, nTrain, d, Math.min(k, nTrain)), testX, nTest, Math.min(k, nTrain), (q, idx, _, found) => {
    if (vote(found, (r) => trainY[idx[r]], votes) === testY[q]) right++;
  });
  return right / nTest;
}

/**
 * `knnAccuracy` from neighbours already found (by `nearestRows` on the same
 * training rows): `labels` holds each test row's neighbours' labels, nearest
 * first, `k` per row.
 */
export function knnAccuracyOf(labels: ArrayLike<number>, k: number, testY: ArrayLike<number>): number {
  const nTest = testY.length;
  if (nTest === 0 || k === 0) return NaN;
  const votes = new Map<number, number>();
  let right = 0;
  for (let q = 0; q < nTest; q++) if (vote(k, (r) => labels[q * k + r], votes) === testY[q]) right++;
  return right / nTest;
}

/** The majority label of `found` neighbours, nearest first; a tie goes to the tied label with the nearest member. */
function vote(found: number, labelOf: (r: number) => number, votes: Map<number, number>): number {
  votes.clear();
  let best = labelOf(0);
  let bestVotes = 0;
  for (let r = 0; r < found; r++) votes.set(labelOf(r), (votes.get(labelOf(r)) ?? 0) + 1);
  // Neighbours are nearest first, so the first label reaching the top count is the nearest tied one.
  for (let r = 0; r < found; r++) {
    const label = labelOf(r);
    const v = votes.get(label)!;
    if (v > bestVotes) {
      best = label;
      bestVotes = v;
    }
  }
  return best;
}

/**
 * Distance from each query row to its `k`-th nearest training row, larger is
 * stranger: the k-NN out-of-distribution score of Sun et al. (2022, "Out-of-
 * distribution detection with deep nearest neighbors"), here on the layer's
 * activations as they are (not normalised). Queries are assumed distinct from
 * the training rows.
 */
export function kthNeighbourDistance(trainX: ArrayLike<number>, nTrain: number, queryX: ArrayLike<number>, nQuery: number, d: number, k: number): Float64Array {
  const out = new Float64Array(nQuery);
  const kk = Math.min(k, nTrain);
  if (kk < 1) return out.fill(NaN);
  eachNearest(reference(trainX, nTrain, d, kk), queryX, nQuery, kk, (q, _, dist) => (out[q] = Math.sqrt(dist[kk - 1])));
  return out;
}

/**
 * The `k` nearest training rows of every query row, nearest first: `indices`
 * and Euclidean `distances`, `nQuery × k` row-major (k = min(k, nTrain)).
 * The same search as the k-NN score's, so its k-th distance is that score.
 */
export function nearestRows(
  trainX: ArrayLike<number>,
  nTrain: number,
  queryX: ArrayLike<number>,
  nQuery: number,
  d: number,
  k: number,
): { k: number; indices: Int32Array; distances: Float64Array } {
  const kk = Math.max(0, Math.min(k, nTrain));
  const indices = new Int32Array(nQuery * kk);
  const distances = new Float64Array(nQuery * kk);
  if (kk < 1) return { k: kk, indices, distances };
  eachNearest(reference(trainX, nTrain, d, kk), queryX, nQuery, kk, (q, idx, dist) => {
    indices.set(idx, q * kk);
    for (let r = 0; r < kk; r++) distances[q * kk + r] = Math.sqrt(dist[r]);
  });
  return { k: kk, indices, distances };
}
