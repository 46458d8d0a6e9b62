import { describe, expect, it } from 'vitest';
import { meanInterval, tCdf, tQuantile } from '../../src/stats/summary.ts';

describe('tQuantile', () => {
  it('matches the printed t-table (97.5 %)', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    // Large df tends to the normal's 1.95996.
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
  });

  it('has closed forms at 1 and 2 degrees of freedom', () => {
    // df = 1 is Cauchy: tan(π (p − ½)); df = 2: (2p − 1) / √(2p(1 − p)).
    expect(tQuantile(0.9, 1)).toBeCloseTo(Math.tan(Math.PI * 0.4), 9);
    expect(tQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 9);
    expect(tQuantile(0.025, 2)).toBeCloseTo(-0.95 / Math.sqrt(2 * 0.975 * 0.025), 9);
  });

  it('inverts a CDF that agrees with integrating the density', () => {
    // df = 4: density (3/8)(1 + t²/4)^(−5/2); Simpson's rule from 0 to 2.776445 should give 0.475.
    const density = (t: number) => 0.375 * (1 + (t * t) / 4) ** -2.5;
    const [a, b, m] = [0, 2.776445105, 1000];
    const h = (b - a) / m;
    let s = density(a) + density(b);
    for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * density(a + i * h);
    expect((s * h) / 3).toBeCloseTo(0.475, 8);
    expect(tCdf(b, 4)).toBeCloseTo(0.975, 8);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 14);
  });
});

describe('meanInterval', () => {
  it('matches a hand computation for five values', () => {
    // 1..5: mean 3, s = √2.5, half width 2.776445 · √2.5 / √5 = 2.776445 / √2 ≈ 1.963243.
    const { mean, interval, n } = meanInterval([1, 2, 3, 4, 5]);
    expect(mean).toBe(3);
    expect(n).toBe(5);
    expect(interval[0]).toBeCloseTo(3 - 2.776445105 / Math.SQRT2, 8);
    expect(interval[1]).toBeCloseTo(3 + 2.776445105 / Math.SQRT2, 8);
  });

  it('gives [v, v] for one value, a point interval for equal values, NaN for none', () => {
    expect(meanInterval([0.7]).interval).toEqual([0.7, 0.7]);
    const same = meanInterval([2, 2, 2]);
    expect(same.interval[0]).toBeCloseTo(2, 14);
    expect(same.interval[1]).toBeCloseTo(2, 14);
    expect(meanInterval([]).mean).toBeNaN();
  });

  it('widens at a higher level', () => {
    const v = [0.8, 0.85, 0.9];
    const [lo95, hi95] = meanInterval(v).interval;
    const [lo99, hi99] = meanInterval(v, 0.99).interval;
    expect(lo99).toBeLessThan(lo95);
    expect(hi99).toBeGreaterThan(hi95);
  });
});
