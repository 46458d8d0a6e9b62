import { squaredDistance } from './distance.ts';

/**
 * Mean silhouette of a labelling of `n` rows (`width` wide), with Euclidean
 * distance: for each row, (b − a) / max(a, b), where a is its mean distance to
 * its own group and b the smallest mean distance to another group. Rows alone
 * in their group count 0, as in scikit-learn. Needs two groups or more.
 */
export function silhouette(values: ArrayLike<number>, width: number, labels: ArrayLike<number>, rows?: ArrayLike<number>): number {
  const idx = rows ? Array.from(rows) : Array.from({ length: labels.length }, (_, i) => i);
  const groups = [...new Set(idx.map((i) => labels[i]))];
  if (groups.length < 2) return NaN;
  const gIndex = new Map(groups.map((g, i) => [g, i]));
  const sizes = new Array(groups.length).fill(0);
  for (const i of idx) sizes[gIndex.get(labels[i])!]++;
  let total = 0;
  const sums = new Float64Array(groups.length);
  for (const i of idx) {
    sums.fill(0);
    for (const j of idx) {
      if (i === j) continue;
      sums[gIndex.get(labels[j])!] += Math.sqrt(squaredDistance(values, i, values, j, width));
    }
    const own = gIndex.get(labels[i])!;
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let g = 0; g < groups.length; g++) if (g !== own && sizes[g] > 0) b = Math.min(b, sums[g] / sizes[g]);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / idx.length;
}
