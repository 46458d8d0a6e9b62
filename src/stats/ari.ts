import { contingency, margins } from './contingency.ts';

const pairs = (m: number) => (m * (m - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985), as scikit-learn's
 * adjusted_rand_score: 1 for identical partitions (up to relabelling), about 0
 * for independent ones, negative below chance.
 */
export function ari(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { counts, rows, cols, n } = contingency(a, b);
  const { rowSums, colSums } = margins(counts, rows, cols);
  let index = 0;
  for (let k = 0; k < counts.length; k++) index += pairs(counts[k]);
  let sumA = 0;
  let sumB = 0;
  for (const r of rowSums) sumA += pairs(r);
  for (const c of colSums) sumB += pairs(c);
  const expected = n > 1 ? (sumA * sumB) / pairs(n) : 0;
  const max = (sumA + sumB) / 2;
  // max = expected only when both partitions are trivial in the same way (one
  // cluster each, or all singletons): identical, so 1, as scikit-learn says.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
