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
export function scatterPermutationTest(
  x: ArrayLike<number>,
  n: number,
  d: number,
  groups: ArrayLike<number>,
  nGroups: number,
  permutations: number,
  seed: number,
): { statistic: number; p: number } {
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

/**
 * How far apart the groups' mean vectors are, in units of the spread within
 * them: the mean over pairs of groups of ‖μ_a − μ_b‖, divided by the root
 * mean squared distance of a row to its own group's mean. 0 when the means
 * coincide; about 2 for two unit-variance Gaussians with means 2 apart per
 * dimension, whatever the dimension. NaN with fewer than two groups present.
 */
export function meanDistanceRatio(x: ArrayLike<number>, n: number, d: number, groups: ArrayLike<number>, nGroups: number, rows?: ArrayLike<number>): number {
  const sums = new Float64Array(nGroups * d);
  const sizes = new Float64Array(nGroups);
  const count = rows ? rows.length : n;
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r] : r;
    const g = groups[i];
    sizes[g]++;
    for (let j = 0; j < d; j++) sums[g * d + j] += x[i * d + j];
  }
  for (let g = 0; g < nGroups; g++) if (sizes[g] > 0) for (let j = 0; j < d; j++) sums[g * d + j] /= sizes[g];
  let within = 0;
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r] : r;
    const g = groups[i];
    for (let j = 0; j < d; j++) within += (x[i * d + j] - sums[g * d + j]) ** 2;
  }
  const spread = Math.sqrt(within / count);
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < nGroups; a++)
    for (let b = a + 1; b < nGroups; b++) {
      if (sizes[a] === 0 || sizes[b] === 0) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (sums[a * d + j] - sums[b * d + j]) ** 2;
      total += Math.sqrt(s);
      pairs++;
    }
  if (pairs === 0) return NaN;
  return spread > 0 ? total / pairs / spread : total > 0 ? Infinity : 0;
}

/**
 * `meanDistanceRatio` with a 95 % percentile-bootstrap interval over the rows,
 * resampled within each group (seeded), so that every replicate keeps the
 * groups' sizes.
 */
export function meanDistanceRatioInterval(
  x: ArrayLike<number>,
  n: number,
  d: number,
  groups: ArrayLike<number>,
  nGroups: number,
  replicates: number,
  seed: number,
): { value: number; interval: [number, number] } {
  const value = meanDistanceRatio(x, n, d, groups, nGroups);
  const members: number[][] = Array.from({ length: nGroups }, () => []);
  for (let i = 0; i < n; i++) members[groups[i]].push(i);
  const random = seededRandom(seed);
  const rows = new Int32Array(n);
  const draws: number[] = [];
  for (let b = 0; b < replicates; b++) {
    let k = 0;
    for (const m of members) for (let t = 0; t < m.length; t++) rows[k++] = m[Math.floor(random() * m.length)];
    draws.push(meanDistanceRatio(x, n, d, groups, nGroups, rows));
  }
  draws.sort((a, b) => a - b);
  const at = (q: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))];
  return { value, interval: [at(0.025), at(0.975)] };
}
