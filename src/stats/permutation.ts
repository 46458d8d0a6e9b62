import { seededRandom, shuffle } from '../util/random.ts';

export interface PermutationOptions {
  permutations?: number;
  seed?: number;
}

/**
 * Permutation test of "classes A and B have different mean vectors" over the
 * rows of `x` labelled `classA` or `classB`: the statistic is the Euclidean
 * distance between the two means, and the p-value the share of label
 * shufflings (seeded) that reach it, (1 + #≥) / (1 + permutations), which is
 * never 0 and keeps the test valid for any number of permutations.
 */
export function permutationTest(
  x: ArrayLike<number>,
  n: number,
  d: number,
  labels: ArrayLike<number>,
  classA: number,
  classB: number,
  options: PermutationOptions = {},
): { statistic: number; p: number; nA: number; nB: number } {
  const { permutations = 999, seed = 1 } = options;
  const inA: number[] = [];
  const inB: number[] = [];
  for (let i = 0; i < n; i++) {
    if (labels[i] === classA) inA.push(i);
    else if (labels[i] === classB) inB.push(i);
  }
  // Class A's rows first, so that the observed split is "the first nA rows".
  const rows = [...inA, ...inB];
  const nA = inA.length;
  const nB = rows.length - nA;
  if (nA === 0 || nB === 0) return { statistic: NaN, p: NaN, nA, nB };
  const total = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) total[j] += x[r * d + j];
  const sumA = new Float64Array(d);
  const distance = (order: ArrayLike<number>) => {
    sumA.fill(0);
    for (let i = 0; i < nA; i++) for (let j = 0; j < d; j++) sumA[j] += x[order[i] * d + j];
    let s = 0;
    for (let j = 0; j < d; j++) {
      const e = sumA[j] / nA - (total[j] - sumA[j]) / nB;
      s += e * e;
    }
    return Math.sqrt(s);
  };
  const statistic = distance(rows);
  const order = Int32Array.from(rows);
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffle(order, random);
    // A relative tolerance, so that a shuffle equal to the observed split up to rounding counts as reaching it.
    if (distance(order) >= statistic * (1 - 1e-12)) atLeast++;
  }
  return { statistic, p: (1 + atLeast) / (1 + permutations), nA, nB };
}
