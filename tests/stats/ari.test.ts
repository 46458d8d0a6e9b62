import { describe, expect, it } from 'vitest';
import { ari } from '../../src/stats/ari.ts';
import { seededRandom } from '../../src/util/random.ts';

describe('ari', () => {
  it('matches a hand computation on six items (scikit-learn documents the same value)', () => {
    // a = 000111, b = 001122; cells 2, 1, 1, 2 → Σ C(n_ij, 2) = 1 + 0 + 0 + 1 = 2.
    // Rows 3, 3 → Σ C(a_i, 2) = 6; columns 2, 2, 2 → Σ C(b_j, 2) = 3; C(6, 2) = 15.
    // Expected = 6 · 3 / 15 = 1.2, max = (6 + 3) / 2 = 4.5 → (2 − 1.2) / (4.5 − 1.2) = 8/33 ≈ 0.2424.
    expect(ari([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 12);
  });

  it('is negative below chance', () => {
    // Cells all 1 → index 0; Σ C(a_i, 2) = Σ C(b_j, 2) = 2, C(4, 2) = 6:
    // expected 4/6, max 2 → (0 − 2/3) / (2 − 2/3) = −0.5.
    expect(ari([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('is 1 for identical labellings, whatever the label values', () => {
    const a = Int32Array.from([0, 0, 1, 1, 2, 2, 2, 3]);
    expect(ari(a, a)).toBe(1);
    expect(
      ari(
        a,
        a.map((v) => [9, 4, 0, 1][v]),
      ),
    ).toBeCloseTo(1, 14);
  });

  it('is 1 for the trivial partitions, as scikit-learn', () => {
    expect(ari([1, 1, 1], [0, 0, 0])).toBe(1);
    expect(ari([0, 1, 2, 3], [3, 2, 1, 0])).toBe(1);
  });

  it('is near 0 for independent random labellings', () => {
    const random = seededRandom(5);
    const a = Int32Array.from({ length: 4000 }, () => Math.floor(random() * 5));
    const b = Int32Array.from({ length: 4000 }, () => Math.floor(random() * 3));
    expect(Math.abs(ari(a, b))).toBeLessThan(0.01);
  });

  it('is symmetric', () => {
    const a = [0, 1, 1, 2, 2, 2, 0, 1];
    const b = [1, 1, 0, 0, 2, 2, 2, 1];
    expect(ari(a, b)).toBeCloseTo(ari(b, a), 14);
  });
});
