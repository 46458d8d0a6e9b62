import { describe, expect, it } from 'vitest';
import { jackknifeOverSeeds, meanOverSeedPairs, meanOverSeeds } from '../../src/stats/seeds.ts';
import { meanInterval } from '../../src/stats/summary.ts';

describe('intervals over seeds', () => {
  it('is exactly Student’s t-interval for a plain mean on an unbounded scale', () => {
    const values = [0.3, 1.2, 0.8, 2.5, 1.1];
    const { value, interval } = meanOverSeeds(values, null);
    const t = meanInterval(values);
    expect(value).toBeCloseTo(t.mean, 14);
    expect(interval![0]).toBeCloseTo(t.interval[0], 12);
    expect(interval![1]).toBeCloseTo(t.interval[1], 12);
  });

  it('stays inside a statistic’s bounds, where a t-interval would not', () => {
    const values = [0.2, 0.99, 0.5, 1, 0.1];
    expect(meanInterval(values).interval[1]).toBeGreaterThan(1);
    const { interval } = meanOverSeeds(values, [0, 1]);
    expect(interval![0]).toBeGreaterThanOrEqual(0);
    expect(interval![1]).toBeLessThanOrEqual(1);
    const jaccard = meanOverSeeds([0, 0.5, 1], [0, 1]).interval!;
    expect(jaccard[0]).toBeGreaterThanOrEqual(0);
    expect(jaccard[1]).toBeLessThanOrEqual(1);
    // Bounded below only (a distance ratio): a log scale.
    expect(meanOverSeeds([0.01, 3, 0.2], [0, null]).interval![0]).toBeGreaterThan(0);
  });

  it('has no interval with one seed, and none for pairs with fewer than three', () => {
    expect(meanOverSeeds([0.7], [0, 1]).interval).toBeNull();
    expect(meanOverSeedPairs([0.7], 2, [0, 1]).interval).toBeNull();
  });

  it('resamples seeds, not pairs: a hand-worked jackknife over three seeds', () => {
    // Pairs (0,1), (0,2), (1,2); leaving seed i out keeps the one pair without it.
    const pairs = [0.2, 0.4, 0.9];
    const { value, interval } = meanOverSeedPairs(pairs, 3, null);
    expect(value).toBeCloseTo(0.5, 14);
    const left = [0.9, 0.4, 0.2];
    const m = (0.9 + 0.4 + 0.2) / 3;
    const se = Math.sqrt((2 / 3) * left.reduce((s, v) => s + (v - m) ** 2, 0));
    const t2 = 4.302652729911275; // t quantile 0.975 with 2 degrees of freedom
    expect(interval![0]).toBeCloseTo(0.5 - t2 * se, 8);
    expect(interval![1]).toBeCloseTo(0.5 + t2 * se, 8);
  });

  it('is wider than a t-interval that takes the pairs as independent', () => {
    const seeds = 5;
    const effect = [0.1, -0.2, 0.3, 0, 0.15];
    const pairs: number[] = [];
    for (let a = 0; a < seeds; a++) for (let b = a + 1; b < seeds; b++) pairs.push(0.5 + effect[a] + effect[b]);
    const naive = meanInterval(pairs).interval;
    const jack = meanOverSeedPairs(pairs, seeds, null).interval!;
    expect(jack[1] - jack[0]).toBeGreaterThan(1.5 * (naive[1] - naive[0]));
  });

  it('leaves a seed out through the estimate it is given', () => {
    const calls: boolean[][] = [];
    jackknifeOverSeeds((keep) => (calls.push(keep), keep.filter(Boolean).length), 3, null);
    expect(calls).toEqual([
      [true, true, true],
      [false, true, true],
      [true, false, true],
      [true, true, false],
    ]);
  });
});
