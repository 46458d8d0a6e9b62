import { seededRandom, type Random } from '../util/random.ts';
import { DotKernel } from './dots.ts';

// Lloyd's k-means on typed arrays, following scikit-learn's KMeans(algorithm
// 'lloyd'): greedy k-means++ initialisation, convergence when the labels stop
// changing or the centres move less than `tolerance` × the mean variance of
// the features, empty clusters moved to the points farthest from their
// centre. Hamerly's bounds skip the distance computations that cannot change
// a label, so the iterations are Lloyd's, only cheaper; the dot products
// that remain run in WebAssembly SIMD on float32 (dots.c), as scikit-learn
// computes on float32 data. ml-kmeans, which
// fitKMeans('ml-kmeans') wraps, reaches the same inertias about twenty times more slowly.

export interface LloydOptions {
  restarts: number;
  /** Restart r uses seededRandom(seed + r), as fitKMeans does. */
  seed: number;
  maxIterations?: number;
  tolerance?: number;
  /**
   * Restart r starts from starts[r] (k × width) instead of k-means++: how
   * the benchmark runs scikit-learn's iterations and ours from the same centres.
   */
  starts?: readonly Float64Array[];
}

export interface LloydResult {
  k: number;
  /** `k × width` centroids, in the order the initialisation found them. */
  centroids: Float32Array;
  /** Sum of squared distances of the rows to their centroid. */
  inertia: number;
  iterations: number;
  /** Cluster of each fitted row (of `rows[j]` when rows are given). */
  assignments: Int32Array;
}

function squaredNorms(c: ArrayLike<number>, k: number, width: number, out: Float64Array): Float64Array {
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let d = j * width, end = d + width; d < end; d++) s += c[d] * c[d];
    out[j] = s;
  }
  return out;
}

/** The fitted rows, contiguous: `values` itself when all rows are fitted. */
function gather(values: Float32Array, width: number, rows: ArrayLike<number> | null): Float32Array {
  if (!rows) return values.subarray(0, Math.floor(values.length / width) * width);
  const x = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) x.set(values.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  return x;
}

/** Mean over the features of their variance, which scales the tolerance as in scikit-learn. */
function meanVariance(x: Float32Array, n: number, width: number): number {
  const sum = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let d = 0, o = i * width; d < width; d++) {
      const v = x[o + d];
      sum[d] += v;
      sq[d] += v * v;
    }
  }
  let total = 0;
  for (let d = 0; d < width; d++) total += Math.max(0, sq[d] / n - (sum[d] / n) ** 2);
  return total / width;
}

interface Data {
  x: Float32Array;
  n: number;
  width: number;
  norms: Float64Array;
  kernel: DotKernel;
}

/** Candidates drawn per new centre in greedy k-means++ (scikit-learn's choice). */
const trialsOf = (k: number): number => 2 + Math.floor(Math.log(k));

/**
 * Greedy k-means++: each new centre is the best, by resulting potential, of
 * 2 + ⌊ln k⌋ rows drawn with probability proportional to their squared
 * distance to the nearest centre so far.
 */
function kmeansPlusPlus(data: Data, k: number, random: Random): Float64Array {
  const { x, n, width, norms, kernel } = data;
  const trials = trialsOf(k);
  const centres = new Float64Array(k * width);
  const candidates = new Float64Array(trials * width);
  const candidateNorms = new Float64Array(trials);
  const candidateIds = new Int32Array(trials);
  const pots = new Float64Array(trials);
  const cumulative = new Float64Array(n);
  let closest = new Float64Array(n);
  const trial = new Float64Array(trials * n);

  const first = Math.floor(random() * n);
  centres.set(x.subarray(first * width, (first + 1) * width), 0);
  kernel.setCentres(centres, 1);
  const toFirst = kernel.dots(0, n, 0, 1);
  for (let i = 0; i < n; i++) closest[i] = Math.max(0, norms[i] + norms[first] - 2 * toFirst[i]);
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) cumulative[i] = running += closest[i];
    for (let t = 0; t < trials; t++) {
      const id = Math.min(n - 1, searchSorted(cumulative, random() * running));
      candidateIds[t] = id;
      candidates.set(x.subarray(id * width, (id + 1) * width), t * width);
      candidateNorms[t] = norms[id];
    }
    pots.fill(0);
    kernel.setCentres(candidates, trials);
    const products = kernel.dots(0, n, 0, trials);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < trials; t++) {
        const d = Math.min(closest[i], Math.max(0, norms[i] + candidateNorms[t] - 2 * products[i * trials + t]));
        trial[t * n + i] = d;
        pots[t] += d;
      }
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    centres.set(candidates.subarray(best * width, (best + 1) * width), c * width);
    closest = trial.slice(best * n, (best + 1) * n);
  }
  return centres;
}

/** First index whose cumulative value is at least `value` (numpy's searchsorted, side 'left'). */
function searchSorted(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface State {
  centres: Float64Array;
  centreNorms: Float64Array;
  labels: Int32Array;
  counts: Int32Array;
  /** Per-cluster float64 sums of the rows, kept up to date as rows move. */
  sums: Float64Array;
  /** Hamerly's bounds: on the distance to the own centre, and to any other. */
  upper: Float64Array;
  lower: Float64Array;
  /** Half the distance from each centre to the nearest other one. */
  half: Float64Array;
}

function move(data: Data, s: State, i: number, to: number): void {
  const { x, width } = data;
  const from = s.labels[i];
  const o = i * width;
  if (from >= 0) {
    s.counts[from]--;
    for (let d = 0, c = from * width; d < width; d++) s.sums[c + d] -= x[o + d];
  }
  s.counts[to]++;
  for (let d = 0, c = to * width; d < width; d++) s.sums[c + d] += x[o + d];
  s.labels[i] = to;
}

/**
 * Assigns each row to its nearest centre, as Lloyd's step does, but skips
 * the rows whose bounds prove their centre unchanged (Hamerly, 2010): after
 * the first few iterations most rows are skipped. Returns how many moved.
 */
function assign(data: Data, k: number, s: State, all: boolean): number {
  return all ? assignAll(data, k, s) : data.kernel.hamerlyAssign(k);
}

/**
 * The first assignment: every row to its nearest centre, all the products
 * in one kernel call, and the clusters' sums built by the kernel, each
 * adding its rows in row order as moving them one by one would.
 */
function assignAll(data: Data, k: number, s: State): number {
  const { n, norms, kernel } = data;
  const { centreNorms, labels, upper, lower } = s;
  const products = kernel.dots(0, n, 0, k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let best = 0;
    let bestD = centreNorms[0] - 2 * products[o];
    let second = Infinity;
    for (let j = 1; j < k; j++) {
      const d = centreNorms[j] - 2 * products[o + j];
      if (d < bestD) {
        second = bestD;
        bestD = d;
        best = j;
      } else if (d < second) second = d;
    }
    upper[i] = Math.sqrt(Math.max(0, norms[i] + bestD));
    lower[i] = Math.sqrt(Math.max(0, norms[i] + second));
    labels[i] = best;
    s.counts[best]++;
  }
  kernel.labelSums(k);
  return n;
}

/**
 * Gives each empty cluster the row farthest from its centre (taken from a
 * cluster that keeps at least one row), as scikit-learn does; returns
 * whether any row moved.
 */
function relocateEmpty(data: Data, k: number, s: State): boolean {
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (s.counts[j] === 0) empty.push(j);
  if (empty.length === 0) return false;
  // Rare, so exact distances rather than the bounds.
  const { x, n, width } = data;
  const far = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let d = 0, o = i * width, c = s.labels[i] * width; d < width; d++) far[i] += (x[o + d] - s.centres[c + d]) ** 2;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => far[b] - far[a] || a - b);
  let next = 0;
  for (const j of empty) {
    while (next < n && s.counts[s.labels[order[next]]] <= 1) next++;
    if (next === n) break;
    const i = order[next++];
    move(data, s, i, j);
    // Its bounds are for the old centres: have them recomputed.
    s.upper[i] = Infinity;
    s.lower[i] = 0;
  }
  return true;
}

/**
 * Moves the centres to the means of their rows and loosens the bounds by
 * how far the centres moved; returns the total squared shift.
 */
function update(data: Data, k: number, s: State): number {
  const { n, width } = data;
  const shifts = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    // A cluster left empty (fewer distinct rows than k) keeps its centre.
    if (s.counts[j] === 0) continue;
    const scale = 1 / s.counts[j];
    let shift = 0;
    for (let d = j * width, end = d + width; d < end; d++) {
      const v = s.sums[d] * scale;
      shift += (v - s.centres[d]) ** 2;
      s.centres[d] = v;
    }
    shifts[j] = shift;
  }
  let total = 0;
  let first = -1;
  for (let j = 0; j < k; j++) {
    total += shifts[j];
    shifts[j] = Math.sqrt(shifts[j]);
    if (first < 0 || shifts[j] > shifts[first]) first = j;
  }
  let secondShift = 0;
  for (let j = 0; j < k; j++) if (j !== first) secondShift = Math.max(secondShift, shifts[j]);
  for (let i = 0; i < n; i++) {
    const a = s.labels[i];
    s.upper[i] += shifts[a];
    s.lower[i] -= a === first ? secondShift : shifts[first];
  }
  squaredNorms(s.centres, k, width, s.centreNorms);
  data.kernel.setCentres(s.centres, k);
  for (let j = 0; j < k; j++) {
    let nearest = Infinity;
    for (let m = 0; m < k; m++) {
      if (m === j) continue;
      let d2 = 0;
      for (let d = 0; d < width; d++) d2 += (s.centres[j * width + d] - s.centres[m * width + d]) ** 2;
      nearest = Math.min(nearest, d2);
    }
    s.half[j] = Math.sqrt(nearest) / 2;
  }
  return total;
}

function run(
  data: Data,
  k: number,
  centres: Float64Array,
  maxIterations: number,
  tolerance: number,
): { centres: Float64Array; labels: Int32Array; iterations: number } {
  // The state lives in the kernel's memory, where its assignment steps run; every run starts it afresh.
  const { labels, counts, sums, upper, lower, half, centreNorms } = data.kernel.lloydState(k);
  labels.fill(-1);
  for (const v of [counts, sums, upper, lower, half]) v.fill(0);
  const s: State = { centres, centreNorms: squaredNorms(centres, k, data.width, centreNorms), labels, counts, sums, upper, lower, half };
  data.kernel.setCentres(centres, k);
  let iterations = 0;
  let stable = false;
  while (iterations < maxIterations) {
    const changed = assign(data, k, s, iterations === 0);
    iterations++;
    const moved = relocateEmpty(data, k, s);
    const shift = update(data, k, s);
    if (changed === 0 && !moved) {
      stable = true;
      break;
    }
    if (shift <= tolerance) break;
  }
  // The labels go with the last centres, and no cluster is left empty.
  if (!stable) assign(data, k, s, false);
  for (let tries = 0; s.counts.includes(0); tries++) {
    relocateEmpty(data, k, s);
    update(data, k, s);
    // With fewer distinct rows than clusters, ties go to the first centre and
    // reassigning would empty the same clusters again: the rows relocated
    // are as near their new centre as any other, so stop there.
    if (tries < 3) assign(data, k, s, false);
  }
  return { centres: s.centres, labels: s.labels.slice(), iterations };
}

/**
 * k-means of the given rows of `values` (row-major, `width` wide; null for
 * all rows), restarted `restarts` times; the run of lowest inertia is kept.
 */
/**
 * The last fit's rows, norms, spread and kernel: a layer is fitted at its k
 * and then at k = classes on the same rows, which need not be copied,
 * measured and loaded into a kernel twice.
 */
let prepared: { values: Float32Array; rows: ArrayLike<number> | null; width: number; capacity: number; restarts: number; data: Data; spread: number } | null =
  null;
/** Whether fits keep their prepared rows for the next (only within `sharingRows`). */
let sharing = false;

/**
 * Runs `work` with each fit's prepared rows kept for the next fit on the
 * same rows (the same `values` and `rows` arrays, left unchanged), and lets
 * them go after: computeSignatures' layers. Elsewhere (tests, benchmarks
 * timing one fit) every fit prepares its own.
 */
export function sharingRows<T>(work: () => T): T {
  sharing = true;
  try {
    return work();
  } finally {
    sharing = false;
    prepared = null;
  }
}

function prepare(values: Float32Array, width: number, rows: ArrayLike<number> | null, k: number, restarts: number): { data: Data; spread: number } {
  const need = Math.max(k, trialsOf(k));
  const p = prepared;
  if (sharing && p && p.values === values && p.rows === rows && p.width === width && p.capacity >= need && p.restarts >= restarts) return p;
  const x = gather(values, width, rows);
  const n = x.length / width;
  const kernel = new DotKernel(x, width, need, false, undefined, restarts);
  // The rows' norms in the kernel's memory, beside the state its assignment steps read.
  const data: Data = { x, n, width, norms: squaredNorms(x, n, width, kernel.lloydState(Math.min(k, n)).norms), kernel };
  const made = { values, rows, width, capacity: need, restarts, data, spread: meanVariance(x, n, width) };
  prepared = sharing ? made : null;
  return made;
}

export function lloyd(values: Float32Array, width: number, rows: ArrayLike<number> | null, k: number, options: LloydOptions): LloydResult {
  const { restarts, seed, maxIterations = 300, tolerance = 1e-4, starts } = options;
  const n = rows ? rows.length : Math.floor(values.length / width);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`lloyd: k = ${k} must be an integer from 1 to the ${n} rows`);
  if (!(restarts >= 1)) throw new Error(`lloyd: restarts = ${restarts} must be at least 1`);
  if (starts && (starts.length < restarts || starts.some((c) => c.length !== k * width)))
    throw new Error(`lloyd: starts must hold ${restarts} arrays of k × width = ${k * width} values`);
  const { data, spread } = prepare(values, width, rows, k, restarts);
  const scaled = tolerance * spread;
  const runs = Array.from({ length: restarts }, (_, r) =>
    run(data, k, starts ? Float64Array.from(starts[r]) : kmeansPlusPlus(data, k, seededRandom(seed + r)), maxIterations, scaled),
  );
  // Each run's inertia by direct differences (the norm expansion loses
  // digits when rows are far from the origin), all runs in one kernel call;
  // the first run of the lowest is kept, as when compared in turn.
  const inertias = data.kernel.inertias(runs, k);
  let best = 0;
  for (let r = 1; r < restarts; r++) if (inertias[r] < inertias[best]) best = r;
  const b = runs[best];
  return { k, centroids: Float32Array.from(b.centres), inertia: inertias[best], iterations: b.iterations, assignments: b.labels };
}
