import { describe, expect, it } from 'vitest';
import { betweenScatter, scatterPermutationTest } from '../../src/stats/between.ts';
import { seededRandom } from '../../src/util/random.ts';

describe('betweenScatter', () => {
  it('matches a hand-worked case and the two-group identity n_a n_b / n · ‖Δmean‖²', () => {
    // Means 1 and 11 around a grand mean of 6: 2·5² + 2·5² = 100 = (2·2/4)·10².
    expect(betweenScatter([0, 2, 10, 12], 4, 1, [0, 0, 1, 1], 2)).toBeCloseTo(100, 12);
    // Two dimensions: means (0,0) and (3,4), three rows each: 3·3/6 · 25 = 37.5.
    const x = [1, 0, -1, 0, 0, 0, 3, 5, 3, 3, 3, 4];
    expect(betweenScatter(x, 6, 2, [0, 0, 0, 1, 1, 1], 2)).toBeCloseTo(37.5, 12);
  });

  it('is zero when every group has the same mean', () => {
    expect(betweenScatter([1, 3, 3, 1], 4, 1, [0, 0, 1, 1], 2)).toBe(0);
  });
});

describe('scatterPermutationTest', () => {
  it('gives the smallest possible p to groups that are far apart', () => {
    const random = seededRandom(3);
    const n = 60;
    const x = Array.from({ length: n }, (_, i) => (i < 30 ? 0 : 5) + random());
    const groups = Array.from({ length: n }, (_, i) => (i < 30 ? 0 : 1));
    const { p } = scatterPermutationTest(x, n, 1, groups, 2, 199, 1);
    expect(p).toBe(1 / 200);
  });

  it('finds nothing in groups drawn from one distribution, and p near the exact one on four points', () => {
    const random = seededRandom(8);
    const n = 200;
    const x = Array.from({ length: n * 3 }, () => random());
    const groups = Array.from({ length: n }, (_, i) => i % 2);
    expect(scatterPermutationTest(x, n, 3, groups, 2, 199, 2).p).toBeGreaterThan(0.05);
    // Of the 6 ways to split four points in two pairs, 2 reach the observed scatter: p → 1/3.
    const { p } = scatterPermutationTest([0, 2, 10, 12], 4, 1, [0, 0, 1, 1], 2, 2000, 4);
    expect(p).toBeGreaterThan(0.29);
    expect(p).toBeLessThan(0.38);
  });

  it('is the same for the same seed', () => {
    const x = [0.1, 0.5, 0.3, 0.9, 0.2, 0.4];
    const g = [0, 1, 0, 1, 0, 1];
    expect(scatterPermutationTest(x, 6, 1, g, 2, 50, 9)).toEqual(scatterPermutationTest(x, 6, 1, g, 2, 50, 9));
  });
});

describe('the kernel’s group sums', () => {
  it('give the plain loop’s scatter bit for bit, odd widths included', async () => {
    const { seededRandom } = await import('../../src/util/random.ts');
    const random = seededRandom(8);
    for (const [n, d, G] of [
      [30, 7, 3],
      [41, 16, 4],
    ]) {
      const x = Float32Array.from({ length: n * d }, () => random() * 2 - 1);
      const groups = Int32Array.from({ length: n }, () => Math.floor(random() * G));
      const sums = new Float64Array(G * d);
      const sizes = new Float64Array(G);
      const total = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        sizes[groups[i]]++;
        for (let j = 0; j < d; j++) {
          sums[groups[i] * d + j] += x[i * d + j];
          total[j] += x[i * d + j];
        }
      }
      let s = 0;
      for (let g = 0; g < G; g++) {
        if (sizes[g] === 0) continue;
        for (let j = 0; j < d; j++) {
          const diff = sums[g * d + j] / sizes[g] - total[j] / n;
          s += sizes[g] * diff * diff;
        }
      }
      expect(betweenScatter(x, n, d, groups, G)).toBe(s);
    }
  });
});
