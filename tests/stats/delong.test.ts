import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/stats/auc.ts';
import { delong, delongInterval, midranks } from '../../src/stats/delong.ts';
import { seededRandom } from '../../src/util/random.ts';

/** DeLong by its definition: structural components by direct comparison of every pair. */
function bruteDelong(a: number[], b: number[], positive: boolean[]) {
  const pos = positive.flatMap((p, i) => (p ? [i] : []));
  const neg = positive.flatMap((p, i) => (p ? [] : [i]));
  const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
  const comps = (s: number[]) => ({
    v10: pos.map((i) => neg.reduce((t, j) => t + psi(s[i], s[j]), 0) / neg.length),
    v01: neg.map((j) => pos.reduce((t, i) => t + psi(s[i], s[j]), 0) / pos.length),
  });
  const ca = comps(a);
  const cb = comps(b);
  const cov = (x: number[], y: number[]) => {
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    return x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / (x.length - 1);
  };
  return { ab: cov(ca.v10, cb.v10) / pos.length + cov(ca.v01, cb.v01) / neg.length, aa: cov(ca.v10, ca.v10) / pos.length + cov(ca.v01, ca.v01) / neg.length };
}

describe('DeLong covariance of correlated AUCs', () => {
  it('matches the definition, ties included, and its AUCs are Mann–Whitney’s', () => {
    const random = seededRandom(4);
    const n = 60;
    const positive = Array.from({ length: n }, (_, i) => i % 3 === 0);
    const a = positive.map((p) => Math.round(10 * (random() + (p ? 0.4 : 0))) / 10);
    const b = a.map((v) => v + 0.3 * random());
    const { auc, covariance } = delong([a, b], positive);
    expect(auc[0]).toBeCloseTo(rocAuc(a, positive), 12);
    expect(auc[1]).toBeCloseTo(rocAuc(b, positive), 12);
    const brute = bruteDelong(a, b, positive);
    expect(covariance[0][1]).toBeCloseTo(brute.ab, 12);
    expect(covariance[0][0]).toBeCloseTo(brute.aa, 12);
    expect(covariance[1][0]).toBe(covariance[0][1]);
  });

  it('gives midranks to ties', () => {
    expect(Array.from(midranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
  });

  it('gives intervals inside (0, 1), even for an AUC near 1', () => {
    const [lo, hi] = delongInterval(0.995, 0.003 ** 2);
    expect(lo).toBeGreaterThan(0.9);
    expect(hi).toBeLessThan(1);
    expect(hi).toBeGreaterThan(0.995);
  });
});

describe('midranks', () => {
  it('gives the ranks of a comparison sort, ties sharing their mean', async () => {
    const { midranks } = await import('../../src/stats/delong.ts');
    const { seededRandom } = await import('../../src/util/random.ts');
    const random = seededRandom(3);
    for (const n of [1, 2, 7, 100, 1001]) {
      const values = Array.from({ length: n }, () => Math.round(random() * n * 0.3) / 7 - (random() < 0.1 ? 0 : 0.5));
      const order = values.map((_, i) => i).sort((p, q) => values[p] - values[q]);
      const want = new Float64Array(n);
      for (let i = 0; i < n; ) {
        let j = i;
        while (j < n && values[order[j]] === values[order[i]]) j++;
        for (let k = i; k < j; k++) want[order[k]] = (i + j + 1) / 2;
        i = j;
      }
      expect(midranks(values)).toEqual(want);
    }
    expect(Array.from(midranks([0, -0, 1]))).toEqual([1.5, 1.5, 3]);
  });
});
