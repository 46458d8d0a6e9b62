import { sharedGemm } from './gemm.ts';

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
  const n = idx.length;
  const G = groups.length;
  const group = Int32Array.from(idx, (i) => gIndex.get(labels[i])!);
  const sizes = new Array(G).fill(0);
  for (let a = 0; a < n; a++) sizes[group[a]]++;
  // The rows packed once into the float64 kernel; each pair measured once
  // there (direct differences) and added to both rows' sums here.
  const kernel = sharedGemm('silhouette.ts');
  const xb = kernel.block(n * width);
  const outb = kernel.block(n);
  const x = kernel.view(xb);
  idx.forEach((i, a) => {
    for (let j = 0; j < width; j++) x[a * width + j] = values[i * width + j];
  });
  const distances = kernel.view(outb);
  const sums = new Float64Array(n * G);
  for (let a = 0; a < n; a++) {
    const ga = group[a];
    kernel.distancesAfter(xb, n, width, a, outb);
    for (let c = a + 1; c < n; c++) {
      const dist = distances[c - a - 1];
      sums[a * G + group[c]] += dist;
      sums[c * G + ga] += dist;
    }
  }
  let total = 0;
  for (let a = 0; a < n; a++) {
    const own = group[a];
    if (sizes[own] <= 1) continue;
    const mean = sums[a * G + own] / (sizes[own] - 1);
    let b = Infinity;
    for (let g = 0; g < G; g++) if (g !== own && sizes[g] > 0) b = Math.min(b, sums[a * G + g] / sizes[g]);
    const m = Math.max(mean, b);
    total += m > 0 ? (b - mean) / m : 0;
  }
  return total / n;
}
