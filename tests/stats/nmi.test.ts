import { describe, expect, it } from 'vitest';
import { entropy, nmi } from '../../src/stats/nmi.ts';
import { seededRandom } from '../../src/util/random.ts';

describe('nmi', () => {
  it('matches a hand computation on six items', () => {
    // a = 000111, b = 001122. H(a) = ln 2, H(b) = ln 3.
    // Cells: (0,0) 2, (0,1) 1, (1,1) 1, (1,2) 2 of 6. The 2-cells each add
    // (1/3) ln((1/3) / (1/2 · 1/3)) = (1/3) ln 2, the 1-cells ln 1 = 0:
    // MI = (2/3) ln 2, NMI = (2/3) ln 2 / ((ln 2 + ln 3) / 2) = (4/3) ln 2 / ln 6 ≈ 0.51580.
    expect(nmi([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(((4 / 3) * Math.LN2) / Math.log(6), 12);
    expect(nmi([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.5158, 4);
  });

  it('is symmetric', () => {
    const a = [0, 1, 1, 2, 2, 2, 0, 1];
    const b = [1, 1, 0, 0, 2, 2, 2, 1];
    expect(nmi(a, b)).toBeCloseTo(nmi(b, a), 14);
  });

  it('is 1 for identical labellings and for a relabelled permutation of the labels', () => {
    const a = Int32Array.from([0, 0, 1, 1, 2, 2, 2, 3]);
    expect(nmi(a, a)).toBe(1);
    expect(
      nmi(
        a,
        a.map((v) => [7, -1, 42, 3][v]),
      ),
    ).toBeCloseTo(1, 14);
  });

  it('is 1 when both are constant, 0 when only one is', () => {
    expect(nmi([5, 5, 5], [2, 2, 2])).toBe(1);
    expect(nmi([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0);
  });

  it('is near 0 for independent labellings', () => {
    const random = seededRandom(11);
    const a = Int32Array.from({ length: 5000 }, () => Math.floor(random() * 4));
    const b = Int32Array.from({ length: 5000 }, () => Math.floor(random() * 4));
    expect(nmi(a, b)).toBeLessThan(0.005);
  });

  it('rejects labellings of different lengths', () => {
    expect(() => nmi([0, 1], [0])).toThrow(/length/);
  });

  it('entropy of a fair coin is ln 2', () => {
    expect(entropy([5, 5], 10)).toBeCloseTo(Math.LN2, 14);
  });
});
