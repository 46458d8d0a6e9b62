import { kmeans } from 'ml-kmeans';
import { squaredDistance } from '../stats/distance.ts';
import { lloyd } from './lloyd.ts';

/** `lloyd` (typed arrays, Hamerly's bounds; the default) or the `ml-kmeans` package (the reference it is checked and benchmarked against). */
export type KMeansEngine = 'lloyd' | 'ml-kmeans';

export interface Clustering {
  k: number;
  /** `k × width` centroids, largest cluster first. */
  centroids: Float32Array;
  inertia: number;
  iterations: number;
}

function toRows(values: Float32Array, width: number, rows: ArrayLike<number>): number[][] {
  return Array.from(rows, (r) => Array.from(values.subarray(r * width, (r + 1) * width)));
}

/**
 * Index of the nearest centroid to row `i` of `values` (the first of equals).
 * Each squared distance is `squaredDistance`'s sum, term by term; four
 * centroids' sums go side by side (then two), since one sum's additions wait on each other.
 */
export function nearest(values: ArrayLike<number>, i: number, centroids: Float32Array, k: number, width: number): { cluster: number; distance: number } {
  let best = 0;
  let bestD = Infinity;
  const o = i * width;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const p = c * width;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < width; d++) {
      const v = values[o + d];
      const e0 = v - centroids[p + d];
      const e1 = v - centroids[p + width + d];
      const e2 = v - centroids[p + 2 * width + d];
      const e3 = v - centroids[p + 3 * width + d];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    if (s0 < bestD) {
      bestD = s0;
      best = c;
    }
    if (s1 < bestD) {
      bestD = s1;
      best = c + 1;
    }
    if (s2 < bestD) {
      bestD = s2;
      best = c + 2;
    }
    if (s3 < bestD) {
      bestD = s3;
      best = c + 3;
    }
  }
  if (c + 2 <= k) {
    const p = c * width;
    let s0 = 0;
    let s1 = 0;
    for (let d = 0; d < width; d++) {
      const v = values[o + d];
      const e0 = v - centroids[p + d];
      const e1 = v - centroids[p + width + d];
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    if (s0 < bestD) {
      bestD = s0;
      best = c;
    }
    if (s1 < bestD) {
      bestD = s1;
      best = c + 1;
    }
    c += 2;
  }
  for (; c < k; c++) {
    const d = squaredDistance(values, i, centroids, c, width);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return { cluster: best, distance: bestD };
}

/**
 * k-means with k-means++ initialisation on the given rows, restarted with
 * seeds `seed`, `seed + 1`…; the run of lowest inertia is kept and its
 * clusters are renumbered by decreasing size so that ids read the same way
 * in every figure.
 */
export function fitKMeans(
  values: Float32Array,
  width: number,
  rows: ArrayLike<number>,
  k: number,
  restarts: number,
  seed: number,
  engine: KMeansEngine = 'lloyd',
): Clustering {
  if (engine === 'lloyd') {
    const r = lloyd(values, width, rows, k, { restarts, seed });
    return sortBySize({ k, centroids: r.centroids, inertia: r.inertia, iterations: r.iterations }, values, width, rows);
  }
  const data = toRows(values, width, rows);
  let best: Clustering | null = null;
  for (let r = 0; r < restarts; r++) {
    const result = kmeans(data, k, { seed: seed + r, initialization: 'kmeans++', maxIterations: 300 });
    const centroids = Float32Array.from(result.centroids.flat());
    let inertia = 0;
    for (let i = 0; i < data.length; i++) inertia += squaredDistance(data[i], 0, centroids, result.clusters[i], width);
    if (!best || inertia < best.inertia) best = { k, centroids, inertia, iterations: result.iterations };
  }
  return sortBySize(best!, values, width, rows);
}

function sortBySize(c: Clustering, values: Float32Array, width: number, rows: ArrayLike<number>): Clustering {
  const sizes = new Array(c.k).fill(0);
  for (let i = 0; i < rows.length; i++) sizes[nearest(values, rows[i], c.centroids, c.k, width).cluster]++;
  const order = sizes
    .map((s, i) => [s, i])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, i]) => i);
  const centroids = new Float32Array(c.centroids.length);
  order.forEach((from, to) => centroids.set(c.centroids.subarray(from * width, (from + 1) * width), to * width));
  return { ...c, centroids };
}
