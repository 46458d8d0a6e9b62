import { contingency, margins } from './contingency.ts';

/**
 * Normalized mutual information of two labellings, MI / mean(H(a), H(b)) in
 * nats (scikit-learn's default, arithmetic normalization). 1 when both are
 * constant, as in scikit-learn: two identical trivial partitions agree fully.
 * 0 when only one is constant.
 */
export function nmi(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { counts, rows, cols, n } = contingency(a, b);
  if (n === 0 || (rows === 1 && cols === 1)) return 1;
  const { rowSums, colSums } = margins(counts, rows, cols);
  let mi = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const c = counts[i * cols + j];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (rowSums[i] * colSums[j]));
    }
  const normalizer = (entropy(rowSums, n) + entropy(colSums, n)) / 2;
  // Rounding can leave MI a hair above the normalizer or below 0.
  return Math.min(1, Math.max(0, mi / Math.max(normalizer, Number.EPSILON)));
}

/** Shannon entropy (nats) of a distribution given by counts summing to `n`. */
export function entropy(counts: ArrayLike<number>, n: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) h -= (counts[i] / n) * Math.log(counts[i] / n);
  return h;
}
