import { describe, expect, it } from 'vitest';
import { purity } from '../src/stats/purity.ts';
import { silhouette } from '../src/stats/silhouette.ts';
import { wilson } from '../src/stats/interval.ts';
import { fitKMeans } from '../src/signatures/kmeans.ts';
import { seededRandom } from '../src/util/random.ts';

describe('purity', () => {
  it('matches a hand count', () => {
    // cluster 0: labels a a b → 2; cluster 1: b b → 2; cluster 2: a → 1; 5 of 6.
    expect(purity([0, 0, 0, 1, 1, 2], [1, 1, 7, 7, 7, 1])).toBeCloseTo(5 / 6, 12);
    expect(purity([0, 1, 2], [4, 4, 4])).toBe(1);
  });
});

describe('silhouette', () => {
  it('matches a hand computation on four points on a line', () => {
    // Points 0, 1 (group A) and 4, 5 (group B).
    // For 0: a = 1, b = (4 + 5) / 2 = 4.5 → 1 − 1/4.5; for 1: a = 1, b = 3.5 → 1 − 1/3.5; symmetric for B.
    const s = silhouette([0, 1, 4, 5], 1, [0, 0, 1, 1]);
    expect(s).toBeCloseTo((2 * (1 - 1 / 4.5) + 2 * (1 - 1 / 3.5)) / 4, 12);
  });
  it('is negative for a labelling that cuts across the natural groups', () => {
    // For 0: a = 10, b = (0.1 + 10.1) / 2 = 5.1 → −0.49; likewise −0.5, −0.5, −0.49.
    expect(silhouette([0, 0.1, 10, 10.1], 1, [0, 1, 0, 1])).toBeCloseTo(-0.495, 12);
  });
});

describe('Wilson interval', () => {
  it('matches published values', () => {
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
    expect(wilson(0, 20)[0]).toBe(0);
    expect(wilson(20, 20)[1]).toBe(1);
  });
});

describe('k-means', () => {
  it('finds three separated blobs, same result for the same seed', () => {
    const random = seededRandom(3);
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
    ];
    const values = new Float32Array(300 * 2);
    for (let i = 0; i < 300; i++) {
      const c = centres[i % 3];
      values[2 * i] = c[0] + random() - 0.5;
      values[2 * i + 1] = c[1] + random() - 0.5;
    }
    const rows = Array.from({ length: 300 }, (_, i) => i);
    const a = fitKMeans(values, 2, rows, 3, 3, 1);
    const b = fitKMeans(values, 2, rows, 3, 3, 1);
    expect(a.centroids).toEqual(b.centroids);
    // Each blob holds 300 * 1/3 points of variance 1/12 per axis: inertia ≈ 300 · 2 / 12 = 50.
    expect(a.inertia).toBeGreaterThan(35);
    expect(a.inertia).toBeLessThan(65);
    const found = Array.from({ length: 3 }, (_, c) => [Math.round(a.centroids[2 * c]), Math.round(a.centroids[2 * c + 1])].join());
    expect(found.sort()).toEqual(['0,0', '0,10', '10,0']);
  });
});
