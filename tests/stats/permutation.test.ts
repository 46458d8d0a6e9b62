import { describe, expect, it } from 'vitest';
import { permutationTest } from '../../src/stats/permutation.ts';
import { seededRandom } from '../../src/util/random.ts';

function sample(n: number, d: number, shift: (label: number) => number, seed: number) {
  const random = seededRandom(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const x = Float64Array.from({ length: n * d }, (_, k) => random() + shift(labels[Math.floor(k / d)]));
  return { x, labels };
}

describe('permutationTest', () => {
  it('measures the distance between the two class means, on their rows only', () => {
    // Class 3 at (0, 0) and (2, 0) → mean (1, 0); class 8 at (1, 3) → (1, 3): distance 3. Class 5 is left out.
    const x = [0, 0, 2, 0, 1, 3, 100, 100];
    const r = permutationTest(x, 4, 2, [3, 3, 8, 5], 3, 8, { permutations: 10, seed: 1 });
    expect(r.statistic).toBeCloseTo(3, 14);
    expect(r).toMatchObject({ nA: 2, nB: 1 });
  });

  it('gives the exact share of splits on a tiny case, checked by hand', () => {
    // A = {0, 1}, B = {10, 11} on a line: distance 10. Of the 6 ways to pick A's
    // two rows, {0, 1} and {10, 11} give 10, {0, 10} and {1, 11} give 1, {0, 11}
    // and {1, 10} give 0: p → 2/6 = 1/3.
    const r = permutationTest([0, 1, 10, 11], 4, 1, [0, 0, 1, 1], 0, 1, { permutations: 4000, seed: 3 });
    expect(r.statistic).toBe(10);
    expect(r.p).toBeGreaterThan(1 / 3 - 0.03);
    expect(r.p).toBeLessThan(1 / 3 + 0.03);
  });

  it('is small for clearly separated classes', () => {
    const { x, labels } = sample(100, 4, (l) => l, 1);
    const r = permutationTest(x, 100, 4, labels, 0, 1, { permutations: 199, seed: 2 });
    expect(r.p).toBe(1 / 200);
  });

  it('is not small for one distribution, and is reproducible by seed', () => {
    const { x, labels } = sample(100, 4, () => 0, 4);
    const r = permutationTest(x, 100, 4, labels, 0, 1, { permutations: 199, seed: 2 });
    expect(r.p).toBeGreaterThan(0.05);
    expect(permutationTest(x, 100, 4, labels, 0, 1, { permutations: 199, seed: 2 })).toEqual(r);
  });

  it('is NaN when a class has no rows', () => {
    expect(permutationTest([1, 2], 2, 1, [0, 0], 0, 1).p).toBeNaN();
  });
});
