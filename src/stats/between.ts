import { seededRandom, shuffle } from '../util/random.ts';

/**
 * Between-class scatter of `n` rows (`d` wide) grouped by `groups` (0..G-1):
 * Σ_g n_g ‖mean_g − mean‖². For two groups it is n_a n_b / n · ‖mean_a − mean_b‖²,
 * a monotone function of the distance between the two class signatures.
 */
export function betweenScatter(x: ArrayLike<number>, n: number, d: number, groups: ArrayLike<number>, nGroups: number): number {
  const sums = new Float64Array(nGroups * d);
  const sizes = new Float64Array(nGroups);
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    sizes[g]++;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      sums[g * d + j] += v;
      total[j] += v;
    }
  }
  let s = 0;
  for (let g = 0; g < nGroups; g++) {
    if (sizes[g] === 0) continue;
    for (let j = 0; j < d; j++) {
      const diff = sums[g * d + j] / sizes[g] - total[j] / n;
      s += sizes[g] * diff * diff;
    }
  }
  return s;
}

/**
 * Permutation test of "the groups' mean vectors differ": the labels are
 * shuffled `permutations` times (seeded) and the p-value is the share of
 * shuffles whose scatter reaches the observed one, (1 + #≥) / (1 + permutations).
 */
export function scatterPermutationTest(x: ArrayLike<number>, n: number, d: number, groups: ArrayLike<number>, nGroups: number, permutations: number, seed: number): { statistic: number; p: number } {
  const statistic = betweenScatter(x, n, d, groups, nGroups);
  const shuffled = Int32Array.from(groups);
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffle(shuffled, random);
    if (betweenScatter(x, n, d, shuffled, nGroups) >= statistic * (1 - 1e-12)) atLeast++;
  }
  return { statistic, p: (1 + atLeast) / (1 + permutations) };
}
