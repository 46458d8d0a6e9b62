import { describe, expect, it } from 'vitest';
import { pca, project } from '../../src/stats/pca.ts';
import { seededRandom } from '../../src/util/random.ts';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, j) => s + v * b[j], 0);

describe('pca and project, as a conv signature uses them', () => {
  it('puts data on a line on one component that explains all its variance', () => {
    // Points t · (1, 2, 2) / 3 + (5, 5, 5): one direction, nothing across it.
    const ts = [-3, -1, 0, 2, 4, 7];
    const x = ts.flatMap((t) => [5 + t / 3, 5 + (2 * t) / 3, 5 + (2 * t) / 3]);
    const fit = pca(x, ts.length, 3, 2);
    expect(fit.explained[0]).toBeCloseTo(1, 12);
    expect(fit.explained[1]).toBeCloseTo(0, 12);
    expect(Array.from(fit.components[0])).toEqual([expect.closeTo(1 / 3, 12), expect.closeTo(2 / 3, 12), expect.closeTo(2 / 3, 12)]);
    // The score of each point is its t, centred.
    const out = new Float64Array(ts.length * 2);
    project(fit, x, ts.length, out);
    const tMean = ts.reduce((a, b) => a + b, 0) / ts.length;
    ts.forEach((t, i) => {
      expect(out[i * 2]).toBeCloseTo(t - tMean, 10);
      expect(out[i * 2 + 1]).toBeCloseTo(0, 10);
    });
  });

  it('keeps orthonormal components, sends the mean to zero, and places rows in batches as the fit does', () => {
    const random = seededRandom(5);
    const n = 60;
    const d = 12;
    const x = Float64Array.from({ length: n * d }, (_, i) => random() * ((i % d) + 1));
    const fit = pca(x, n, d, 4);
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(dot(fit.components[a], fit.components[b])).toBeCloseTo(a === b ? 1 : 0, 10);
    const atMean = new Float32Array(4);
    project(fit, fit.mean, 1, atMean);
    for (const v of atMean) expect(v).toBeCloseTo(0, 5);
    // Two batches written at their row offsets give the fit's own scores.
    const out = new Float64Array(n * 4);
    project(fit, x.subarray(0, 25 * d), 25, out, 0);
    project(fit, x.subarray(25 * d), n - 25, out, 25);
    out.forEach((v, i) => expect(v).toBeCloseTo(fit.scores[i], 10));
    expect(() => project(fit, x.subarray(0, 5), 1, out)).toThrow(/not 1 × 12/);
  });
});
