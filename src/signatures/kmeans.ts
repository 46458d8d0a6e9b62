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

/** Index of the nearest centroid to row `i` of `values`. */
export function nearest(values: ArrayLike<number>, i: number, centroids: Float32Array, k: number, width: number): { cluster: number; distance: number } {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
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
