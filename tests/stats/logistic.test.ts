import { describe, expect, it } from 'vitest';
import { accuracy, fitLogistic, NotConverged, predict } from '../../src/stats/logistic.ts';
import { seededRandom } from '../../src/util/random.ts';

/** Gaussian-ish blobs: class c centred at 4·e_c in d dimensions, unit spread. */
function blobs(nPerClass: number, classes: number, d: number, seed: number): { x: Float64Array; y: Int32Array; n: number } {
  const random = seededRandom(seed);
  const n = nPerClass * classes;
  const x = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < d; j++) x[i * d + j] = (j === y[i] ? 4 : 0) + (random() + random() + random() - 1.5);
  }
  return { x, y, n };
}

describe('fitLogistic', () => {
  it('separates three blobs, on held-out data too', () => {
    const train = blobs(100, 3, 5, 1);
    const test = blobs(100, 3, 5, 2);
    const model = fitLogistic(train.x, train.n, 5, train.y, 3, { c: 1 });
    expect(accuracy(model, train.x, train.n, train.y)).toBe(1);
    expect(accuracy(model, test.x, test.n, test.y)).toBeGreaterThanOrEqual(0.99);
  });

  it('reaches ≥ 99 % on data split by a random hyperplane, with a margin', () => {
    const random = seededRandom(3);
    const d = 20;
    const w = Array.from({ length: d }, () => random() - 0.5);
    const rows: number[][] = [];
    const labels: number[] = [];
    while (rows.length < 600) {
      const row = Array.from({ length: d }, () => random() * 2 - 1);
      const s = row.reduce((t, v, j) => t + v * w[j], 0);
      if (Math.abs(s) < 0.05) continue;
      rows.push(row);
      labels.push(s > 0 ? 1 : 0);
    }
    const x = Float64Array.from(rows.flat());
    const model = fitLogistic(x, rows.length, d, labels, 2, { c: 100 });
    expect(accuracy(model, x, rows.length, labels)).toBeGreaterThanOrEqual(0.99);
  });

  it('stores the training mean and standard deviation, and ignores the features’ scale and offset', () => {
    const { x, y, n } = blobs(50, 2, 3, 4);
    const model = fitLogistic(x, n, 3, y, 2);
    const mean0 = Array.from({ length: n }, (_, i) => x[i * 3]).reduce((a, b) => a + b) / n;
    expect(model.mean[0]).toBeCloseTo(mean0, 12);
    // Standardization makes the fit the same for 1000 x + 7 (but for rounding).
    const moved = x.map((v) => 1000 * v + 7);
    const other = fitLogistic(moved, n, 3, y, 2);
    for (let k = 0; k < model.weights.length; k++) expect(other.weights[k]).toBeCloseTo(model.weights[k], 6);
    expect(Array.from(predict(other, moved, n))).toEqual(Array.from(predict(model, x, n)));
  });

  it('takes the same path on sparse rows as on dense ones', () => {
    // Mostly zeros (like blank pixels) selects the sparse kernels; a tiny shift, the dense ones.
    const random = seededRandom(5);
    const [n, d] = [200, 30];
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const x = Float64Array.from({ length: n * d }, (_, k) => (random() < 0.1 || k % d === y[Math.floor(k / d)] ? random() + 1 : 0));
    const sparse = fitLogistic(x, n, d, y, 3, { c: 1 });
    const dense = fitLogistic(
      x.map((v) => v + 1e-3),
      n,
      d,
      y,
      3,
      { c: 1 },
    );
    // Both converge to the one optimum (the tiny shift is absorbed by standardisation).
    for (let k = 0; k < sparse.weights.length; k++) expect(dense.weights[k]).toBeCloseTo(sparse.weights[k], 4);
  });

  it('fits the same walking non-zeros in JavaScript or every value in the kernel', () => {
    const random = seededRandom(9);
    const [n, d, C] = [300, 40, 4];
    const y = Int32Array.from({ length: n }, (_, i) => i % C);
    // Half the values zero, as in a ReLU layer; the rest signed, so that zero products of either sign occur.
    const x = Float64Array.from({ length: n * d }, () => (random() < 0.5 ? 0 : 2 * random() - 1));
    const sparse = fitLogistic(x, n, d, y, C, { layout: 'sparse', tolerance: 1e-8 });
    const dense = fitLogistic(x, n, d, y, C, { layout: 'dense', tolerance: 1e-8 });
    // Another summation order, the same optimum: a strictly convex objective.
    for (let k = 0; k < dense.weights.length; k++) expect(dense.weights[k]).toBeCloseTo(sparse.weights[k], 5);
    for (let k = 0; k < dense.bias.length; k++) expect(dense.bias[k]).toBeCloseTo(sparse.bias[k], 5);
    expect(dense.fit.loss).toBeCloseTo(sparse.fit.loss, 12);
    expect(Array.from(fitLogistic(x, n, d, y, C, { tolerance: 1e-8 }).weights)).toEqual(Array.from(dense.weights));
  });

  it('copes with a constant feature', () => {
    const { x, y, n } = blobs(40, 2, 2, 6);
    const padded = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) padded.set([x[2 * i], 5, x[2 * i + 1]], 3 * i);
    const model = fitLogistic(padded, n, 3, y, 2);
    expect(model.weights.every(Number.isFinite)).toBe(true);
    expect(accuracy(model, padded, n, y)).toBe(1);
  });

  it('fits 1600 × 784 sparse rows, two classes', () => {
    const random = seededRandom(7);
    const [n, d] = [1600, 784];
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    // About a fifth of the pixels inked, as in MNIST; class 1 inks the first half more.
    const x = Float32Array.from({ length: n * d }, (_, k) => (random() < (y[Math.floor(k / d)] === 1 && k % d < 392 ? 0.3 : 0.15) ? random() : 0));
    const model = fitLogistic(x, n, d, y, 2, { c: 1 });
    expect(accuracy(model, x, n, y)).toBeGreaterThanOrEqual(0.99);
  });

  it('converges: it stops on the gradient, reports the fit, and the gradient is zero at its answer', () => {
    const { x, y, n } = blobs(60, 3, 4, 11);
    const model = fitLogistic(x, n, 4, y, 3, { c: 0.5, tolerance: 1e-8 });
    expect(model.fit).toMatchObject({ converged: true, c: 0.5 });
    expect(model.fit.gradNorm).toBeLessThanOrEqual(1e-8);
    expect(model.fit.iterations).toBeGreaterThan(0);
    // Nudging any weight raises the objective: a minimum, not a stop on an iteration count.
    const looser = fitLogistic(x, n, 4, y, 3, { c: 0.5, tolerance: 1e-2 });
    expect(looser.fit.loss).toBeGreaterThanOrEqual(model.fit.loss - 1e-12);
  });

  it('fits one weight vector for two classes, a softmax for more', () => {
    const two = blobs(40, 2, 3, 12);
    expect(fitLogistic(two.x, two.n, 3, two.y, 2).weights).toHaveLength(3);
    const three = blobs(40, 3, 3, 12);
    expect(fitLogistic(three.x, three.n, 3, three.y, 3).weights).toHaveLength(9);
  });

  it('refuses to return an unconverged fit', () => {
    const { x, y, n } = blobs(60, 3, 4, 13);
    expect(() => fitLogistic(x, n, 4, y, 3, { maxIterations: 2, tolerance: 1e-12 })).toThrow(NotConverged);
  });
});
