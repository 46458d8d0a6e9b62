import { describe, expect, it } from 'vitest';
import { aucInterval, rocAuc, rocCurve } from '../../src/stats/auc.ts';
import { seededRandom } from '../../src/util/random.ts';

describe('rocAuc', () => {
  it('matches a hand count of positive–negative pairs', () => {
    // Positives 0.35, 0.8; negatives 0.1, 0.4. Pairs won: 0.35 > 0.1, 0.8 > 0.1, 0.8 > 0.4; lost: 0.35 < 0.4 → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
  });

  it('counts ties half', () => {
    // One negative at 1; positives at 1 (tie: ½) and 2 (win: 1) → 1.5 / 2.
    expect(rocAuc([1, 1, 2], [true, false, true])).toBe(0.75);
    expect(rocAuc([3, 3, 3, 3], [true, false, true, false])).toBe(0.5);
  });

  it('is 1 for perfectly separated scores and 0 when reversed', () => {
    const scores = [1, 2, 3, 4, 5, 6];
    expect(rocAuc(scores, [false, false, false, true, true, true])).toBe(1);
    expect(rocAuc(scores, [true, true, true, false, false, false])).toBe(0);
  });

  it('equals a brute-force pair count on random scores with ties', () => {
    const random = seededRandom(2);
    const scores = Array.from({ length: 300 }, () => Math.floor(random() * 20));
    const positive = scores.map(() => random() < 0.4);
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < scores.length; i++)
      for (let j = 0; j < scores.length; j++)
        if (positive[i] && !positive[j]) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
    expect(rocAuc(scores, positive)).toBeCloseTo(wins / pairs, 12);
  });

  it('is NaN without both classes', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });
});

describe('rocCurve', () => {
  it('steps through every distinct threshold, from (0, 0) to (1, 1)', () => {
    // scikit-learn's roc_curve gives fpr 0 0 ½ ½ 1, tpr 0 ½ ½ 1 1 for this example.
    const curve = rocCurve([0.1, 0.4, 0.35, 0.8], [false, false, true, true]);
    expect(curve.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(curve.map((p) => p.threshold)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('moves both rates at once on a tie', () => {
    expect(rocCurve([2, 2, 1], [true, false, false]).map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0.5, 1],
      [1, 1],
    ]);
  });

  it('is thinned to at most 200 points, keeping both ends, and its trapezoids give the AUC', () => {
    const random = seededRandom(4);
    const n = 5000;
    const positive = Array.from({ length: n }, (_, i) => i % 3 === 0);
    const scores = positive.map((p) => random() + (p ? 0.5 : 0));
    const full = rocCurve(scores, positive, Infinity);
    let area = 0;
    for (let i = 1; i < full.length; i++) area += ((full[i].fpr - full[i - 1].fpr) * (full[i].tpr + full[i - 1].tpr)) / 2;
    expect(area).toBeCloseTo(rocAuc(scores, positive), 12);
    const thin = rocCurve(scores, positive);
    expect(thin.length).toBeLessThanOrEqual(200);
    expect(thin[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(thin[thin.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
    for (let i = 1; i < thin.length; i++) {
      expect(thin[i].fpr).toBeGreaterThanOrEqual(thin[i - 1].fpr);
      expect(thin[i].tpr).toBeGreaterThanOrEqual(thin[i - 1].tpr);
    }
  });
});

describe('aucInterval (Hanley & McNeil)', () => {
  it('matches a hand-worked standard error', () => {
    // A = 0.9, 50 and 50: Q1 = 0.9/1.1, Q2 = 1.62/1.9, SE² = (0.09 + 49(Q1 − 0.81) + 49(Q2 − 0.81)) / 2500 = 0.00103194.
    const [lo, hi] = aucInterval(0.9, 50, 50);
    expect(lo).toBeCloseTo(0.9 - 1.959964 * Math.sqrt(0.00103194), 4);
    expect(hi).toBeCloseTo(0.9 + 1.959964 * Math.sqrt(0.00103194), 4);
  });

  it('narrows with more data and stays within [0, 1]', () => {
    const small = aucInterval(0.8, 20, 20);
    const large = aucInterval(0.8, 2000, 2000);
    expect(large[1] - large[0]).toBeLessThan((small[1] - small[0]) / 5);
    const [lo, hi] = aucInterval(0.999, 10, 10);
    expect(hi).toBeLessThanOrEqual(1);
    expect(lo).toBeGreaterThan(0.9);
  });
});

describe('rocAuc by sorted kinds', () => {
  it('counts the same wins and ties as walking one descending order', async () => {
    const { rocAuc } = await import('../../src/stats/auc.ts');
    const { seededRandom } = await import('../../src/util/random.ts');
    const random = seededRandom(9);
    for (const n of [2, 9, 200, 1401]) {
      // Coarse scores: many ties, across the two kinds too.
      const scores = Array.from({ length: n }, () => Math.round(random() * 20) / 4 - 2);
      const positive = Array.from({ length: n }, (_, i) => i === 0 || (i > 1 && random() < 0.3));
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          if (positive[i] && !positive[j]) {
            pairs++;
            wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
          }
      expect(rocAuc(scores, positive)).toBeCloseTo(wins / pairs, 12);
    }
  });
});
