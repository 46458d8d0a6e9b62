import { describe, expect, it } from 'vitest';
import { pca, symmetricEigen } from '../../src/stats/pca.ts';
import { seededRandom } from '../../src/util/random.ts';

/** A random d × d orthogonal basis (rows), by Gram–Schmidt. */
function basis(d: number, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  const rows: Float64Array[] = [];
  while (rows.length < d) {
    const v = Float64Array.from({ length: d }, () => random() * 2 - 1);
    for (const u of rows) {
      const s = v.reduce((a, x, j) => a + x * u[j], 0);
      for (let j = 0; j < d; j++) v[j] -= s * u[j];
    }
    const norm = Math.hypot(...v);
    rows.push(v.map((x) => x / norm));
  }
  return rows;
}

/**
 * The corners of a box {−1, 1}³ scaled by `scales`, laid along the first three
 * axes of `axes`, plus an offset: the latent coordinates have zero mean and no
 * covariance, so the principal axes are exactly those three, in that order.
 */
function box(axes: Float64Array[], scales: number[], offset: number): { x: Float64Array; latent: number[][] } {
  const d = axes[0].length;
  const latent: number[][] = [];
  for (let c = 0; c < 8; c++) latent.push(scales.map((s, k) => s * ((c >> k) & 1 ? 1 : -1)));
  const x = new Float64Array(latent.length * d);
  latent.forEach((z, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = offset * (j + 1) + z.reduce((s, zk, k) => s + zk * axes[k][j], 0);
  });
  return { x, latent };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, j) => s + v * b[j], 0);

describe('pca', () => {
  it('finds the axes and variances of a hand-checked 2-D example', () => {
    // Along (2, 1)/√5 at ±2√5, along (1, −2)/√5 at ±√5: variances 40/3 and 10/3, 80 % and 20 %.
    const { components, variances, explained, scores } = pca([4, 2, -4, -2, 1, -2, -1, 2], 4, 2);
    expect(components[0][0]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(components[0][1]).toBeCloseTo(1 / Math.sqrt(5), 12);
    // The sign convention: the largest loading is positive, so (1, −2) is shown as (−1, 2).
    expect(components[1][0]).toBeCloseTo(-1 / Math.sqrt(5), 12);
    expect(components[1][1]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(variances[0]).toBeCloseTo(40 / 3, 10);
    expect(variances[1]).toBeCloseTo(10 / 3, 10);
    expect(explained[0]).toBeCloseTo(0.8, 12);
    expect(explained[1]).toBeCloseTo(0.2, 12);
    expect(scores[0]).toBeCloseTo(2 * Math.sqrt(5), 10);
    expect(scores[1]).toBeCloseTo(0, 10);
  });

  it('recovers known principal axes in a rotated, shifted 40-dimensional space', () => {
    const d = 40;
    const axes = basis(d, 3);
    const scales = [5, 2, 0.5];
    const { x, latent } = box(axes, scales, 3);
    const out = pca(x, latent.length, d, 2);
    const total = scales.reduce((s, v) => s + v * v, 0);
    for (let c = 0; c < 2; c++) {
      expect(Math.abs(dot(out.components[c], axes[c]))).toBeCloseTo(1, 9);
      expect(out.variances[c]).toBeCloseTo((scales[c] ** 2 * 8) / 7, 8);
      expect(out.explained[c]).toBeCloseTo(scales[c] ** 2 / total, 9);
      expect(Math.hypot(...out.components[c])).toBeCloseTo(1, 12);
      // Each score is the latent coordinate, up to the component's sign.
      const sign = Math.sign(dot(out.components[c], axes[c]));
      latent.forEach((z, i) => expect(out.scores[i * 2 + c]).toBeCloseTo(sign * z[c], 8));
    }
    expect(dot(out.components[0], out.components[1])).toBeCloseTo(0, 12);
    expect(Array.from(out.mean.subarray(0, 3))).toEqual([3, 6, 9].map((v) => expect.closeTo(v, 10)));
  });

  it('matches the eigenvectors of the covariance on noisy data', () => {
    const [n, d] = [300, 12];
    const random = seededRandom(9);
    const axes = basis(d, 4);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: d }, (_, k) => (random() * 2 - 1) * (6 / (k + 1)));
      for (let j = 0; j < d; j++) x[i * d + j] = z.reduce((s, zk, k) => s + zk * axes[k][j], 0);
    }
    const out = pca(x, n, d, 2);
    // The covariance, formed directly, and its eigenvectors.
    const mean = Array.from({ length: d }, (_, j) => Array.from({ length: n }, (_, i) => x[i * d + j]).reduce((a, b) => a + b, 0) / n);
    const cov = Array.from({ length: d }, (_, a) =>
      Array.from(
        { length: d },
        (_, b) => Array.from({ length: n }, (_, i) => (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b])).reduce((s, v) => s + v, 0) / (n - 1),
      ),
    );
    const eig = symmetricEigen(cov);
    const trace = cov.reduce((s, row, i) => s + row[i], 0);
    for (let c = 0; c < 2; c++) {
      expect(Math.abs(dot(out.components[c], eig.vectors[c]))).toBeCloseTo(1, 8);
      expect(out.variances[c]).toBeCloseTo(eig.values[c], 8);
      expect(out.explained[c]).toBeCloseTo(eig.values[c] / trace, 9);
    }
  });

  it('gives the same signs whatever its start, the row order or the sign of the data', () => {
    const [n, d] = [120, 30];
    const random = seededRandom(5);
    const axes = basis(d, 6);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: d }, (_, k) => (random() * 2 - 1) * (4 / (k + 1)));
      for (let j = 0; j < d; j++) x[i * d + j] = z.reduce((s, zk, k) => s + zk * axes[k][j], 0);
    }
    const ref = pca(x, n, d, 2, { seed: 1 });
    const convention = (v: Float64Array) => {
      const largest = Math.max(...v.map(Math.abs));
      return v[v.findIndex((a) => Math.abs(a) >= largest * (1 - 1e-6))] > 0;
    };
    for (const c of ref.components) expect(convention(c)).toBe(true);
    const reversed = new Float64Array(n * d);
    for (let i = 0; i < n; i++) reversed.set(x.subarray((n - 1 - i) * d, (n - i) * d), i * d);
    const variants = [
      pca(x, n, d, 2, { seed: 2 }),
      pca(x, n, d, 2, { seed: 77, oversample: 2 }),
      pca(reversed, n, d, 2),
      pca(
        x.map((v) => -v),
        n,
        d,
        2,
      ),
    ];
    for (const out of variants) for (let c = 0; c < 2; c++) out.components[c].forEach((v, j) => expect(v).toBeCloseTo(ref.components[c][j], 8));
    // Negated data: the same axes, so every point lands on the opposite side.
    const negated = variants[3];
    for (let i = 0; i < 5; i++) expect(negated.scores[i * 2]).toBeCloseTo(-ref.scores[i * 2], 8);
    expect(pca(x, n, d, 2, { seed: 2 }).scores).toEqual(pca(x, n, d, 2, { seed: 2 }).scores);
  });

  it('handles rank-deficient and constant data, and fewer dimensions than asked', () => {
    // Two-class softmax outputs (p, 1 − p): one direction of variance only.
    const probs = [0.1, 0.3, 0.5, 0.9, 0.95].flatMap((p) => [p, 1 - p]);
    const out = pca(probs, 5, 2, 2);
    expect(out.explained[0]).toBeCloseTo(1, 12);
    expect(out.explained[1]).toBeCloseTo(0, 12);
    expect(Math.abs(out.components[0][0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(dot(out.components[0], out.components[1]))).toBeLessThan(1e-12);
    for (const v of out.scores) expect(Number.isFinite(v)).toBe(true);
    const flat = pca(new Float64Array(12).fill(3), 4, 3, 2);
    expect(flat.explained).toEqual([0, 0]);
    expect([...flat.scores]).toEqual(new Array(8).fill(0));
    const oneD = pca([1, 2, 4], 3, 1, 2);
    expect(oneD.components).toHaveLength(1);
    expect(oneD.explained[0]).toBeCloseTo(1, 12);
  });

  it('diagonalises a small symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1, 0],
      [1, 2, 0],
      [0, 0, 5],
    ]);
    expect(values.map((v) => Number(v.toFixed(10)))).toEqual([5, 3, 1]);
    expect(Math.abs(vectors[1][0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(vectors[0][2])).toBeCloseTo(1, 12);
  });
});
