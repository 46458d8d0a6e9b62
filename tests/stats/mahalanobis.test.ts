import { describe, expect, it } from 'vitest';
import { choleskyInPlace, fitMahalanobis, forwardSolve, mahalanobisScore, nearestCentroidDistance } from '../../src/stats/mahalanobis.ts';
import { seededRandom } from '../../src/util/random.ts';

/**
 * Two classes in 2-D, each four points μ ± (a, 0), μ ± (0, b): the within-class
 * covariance is exactly diag(a²/2, b²/2), off-diagonals 0.
 */
function cross(a: number, b: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (const [c, [mx, my]] of [
    [0, [0, 0]],
    [1, [10, 0]],
  ] as const)
    for (const [dx, dy] of [
      [a, 0],
      [-a, 0],
      [0, b],
      [0, -b],
    ]) {
      x.push(mx + dx, my + dy);
      y.push(c);
    }
  return { x, y };
}

describe('fitMahalanobis', () => {
  it('equals the Euclidean distance when the covariance is the identity', () => {
    // a = b = √2 → Σ = I, tr Σ / d = 1, so the shrinkage leaves it at I.
    const { x, y } = cross(Math.SQRT2, Math.SQRT2);
    const model = fitMahalanobis(x, 8, 2, y, 2);
    const queries = [1, 2, 7, -3, 5, 0, 30, 30];
    const maha = model.score(queries, 4);
    const euclid = nearestCentroidDistance(model, queries, 4);
    for (let i = 0; i < 4; i++) expect(maha[i]).toBeCloseTo(euclid[i], 12);
    // (1, 2) is √5 from class 0's mean (0, 0); (7, −3) is √18 from (10, 0).
    expect(euclid[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(euclid[1]).toBeCloseTo(Math.sqrt(18), 12);
  });

  it('matches a hand computation with a diagonal covariance', () => {
    // a = √8, b = √2 → Σ = diag(4, 1). Query (2, 2): from (0, 0), √(2²/4 + 2²/1) = √5.
    const { x, y } = cross(Math.sqrt(8), Math.SQRT2);
    const exact = fitMahalanobis(x, 8, 2, y, 2, { shrinkage: 0 });
    expect(exact.score([2, 2], 1)[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(mahalanobisScore(exact, [2, 2], 1)[0]).toBeCloseTo(Math.sqrt(5), 12);
    // Shrinkage 0.01: Σ = 0.99 diag(4, 1) + 0.01 · 2.5 I = diag(3.985, 1.015).
    const shrunk = fitMahalanobis(x, 8, 2, y, 2, { shrinkage: 0.01 });
    expect(shrunk.shrinkage).toBe(0.01);
    expect(shrunk.score([2, 2], 1)[0]).toBeCloseTo(Math.sqrt(4 / 3.985 + 4 / 1.015), 12);
  });

  it('estimates its shrinkage by Ledoit–Wolf, in [0, 1] (scikit-learn parity: tests/parity)', () => {
    const skewed = cross(Math.sqrt(8), Math.SQRT2);
    const lw = fitMahalanobis(skewed.x, 8, 2, skewed.y, 2).shrinkage;
    expect(lw).toBeGreaterThan(0);
    expect(lw).toBeLessThanOrEqual(1);
  });

  it('accounts for correlation: along the spread is nearer than across it', () => {
    const random = seededRandom(1);
    const n = 2000;
    const x = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const t = random() * 2 - 1;
      x[2 * i] = t + 0.1 * (random() - 0.5);
      x[2 * i + 1] = t + 0.1 * (random() - 0.5);
    }
    const model = fitMahalanobis(x, n, 2, new Int32Array(n), 1);
    const [along, across] = model.score([0.5, 0.5, 0.5, -0.5], 2);
    expect(along).toBeLessThan(2);
    expect(across).toBeGreaterThan(5 * along);
    // Euclidean distance cannot tell them apart.
    const [e1, e2] = nearestCentroidDistance(model, [0.5, 0.5, 0.5, -0.5], 2);
    expect(e1).toBeCloseTo(e2, 1);
  });

  it('skips classes without rows and stays finite on constant features', () => {
    const x = [1, 0, 2, 0, 3, 0, 4, 0];
    const model = fitMahalanobis(x, 4, 2, [0, 0, 2, 2], 3, { shrinkage: 0.01 });
    expect(model.classes).toEqual([0, 2]);
    expect(Array.from(model.means)).toEqual([1.5, 0, 3.5, 0]);
    const s = model.score([1.5, 0, 1.5, 1], 2);
    expect(s[0]).toBe(0);
    // A value on the never-varying feature is far: only the ridge's variance is there.
    expect(s[1]).toBeGreaterThan(10);
  });

  it('fits 784 dimensions of sparse pixels with finite scores', () => {
    const random = seededRandom(2);
    const [n, d] = [1600, 784];
    const x = Float32Array.from({ length: n * d }, () => (random() < 0.2 ? random() : 0));
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const model = fitMahalanobis(x, n, d, y, 2);
    const scores = model.score(x.subarray(0, 100 * d), 100);
    expect(scores.every(Number.isFinite)).toBe(true);
  });
});

describe('Cholesky', () => {
  it('factors a known matrix and solves by substitution', () => {
    // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
    const l = choleskyInPlace(Float64Array.from([4, 2, 2, 3]), 2);
    expect(l[0]).toBe(2);
    expect(l[1]).toBe(0);
    expect(l[2]).toBe(1);
    expect(l[3]).toBeCloseTo(Math.SQRT2, 14);
    // L z = (2, 1 + √2) → z = (1, 1).
    const z = new Float64Array(2);
    forwardSolve(l, 2, [2, 1 + Math.SQRT2], 0, z, 0);
    expect(z[0]).toBeCloseTo(1, 14);
    expect(z[1]).toBeCloseTo(1, 14);
  });

  it('rebuilds a random positive-definite matrix', () => {
    const random = seededRandom(3);
    const d = 12;
    const b = Array.from({ length: d * d }, () => random() - 0.5);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) a[i * d + j] += b[i * d + k] * b[j * d + k] + (i === j && k === 0 ? 0.1 : 0);
    const l = choleskyInPlace(Float64Array.from(a), d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += l[i * d + k] * l[j * d + k];
        expect(s).toBeCloseTo(a[i * d + j], 10);
      }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('lowerInverse', () => {
  it('whitens as forward substitution does, to rounding', async () => {
    const { lowerInverse } = await import('../../src/stats/gemm.ts');
    const random = seededRandom(31);
    const d = 9;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = (i === j ? d : 0) + random() - 0.5;
    const l = choleskyInPlace(a, d);
    const w = lowerInverse(l, d);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(w[i * d + j]).toBe(0);
    const b = Float64Array.from({ length: d }, () => random());
    const z = new Float64Array(d);
    forwardSolve(l, d, b, 0, z, 0);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += w[i * d + j] * b[j];
      expect(s).toBeCloseTo(z[i], 13);
    }
  });
});

describe('a shared Xᵀ X', () => {
  it('fits the same model as computing it again', async () => {
    const { rawGram } = await import('../../src/stats/mahalanobis.ts');
    const random = seededRandom(41);
    const [n, d] = [60, 7];
    const x = Float64Array.from({ length: n * d }, () => random());
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const gram = rawGram(x, n, d);
    const before = gram.slice();
    const shared = fitMahalanobis(x, n, d, y, 3, { gram });
    const own = fitMahalanobis(x, n, d, y, 3);
    expect(Array.from(gram)).toEqual(Array.from(before));
    expect(shared.shrinkage).toBe(own.shrinkage);
    expect(Array.from(shared.score(x, n))).toEqual(Array.from(own.score(x, n)));
  });
});
