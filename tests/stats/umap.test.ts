import { UMAP } from 'umap-js';
import { describe, expect, it } from 'vitest';
import { exactNeighbours } from '../../src/analysis/projections.ts';
import { umapLayout } from '../../src/stats/umap.ts';
import { seededRandom } from '../../src/util/random.ts';

// Chemins' UMAP against umap-js, the implementation it replaces: the same
// neighbours, start and seeded random stream must give the same layout, bit
// for bit, or the figures would change with the rewrite.

/** Three blobs in `d` dimensions, with a duplicated row (a zero distance, ρ's other branch). */
function blobs(n: number, d: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (j === i % 3 ? 8 : 0) + random() * 2 - 1;
  x.copyWithin(d, 0, d);
  return x;
}

function viaUmapJs(x: Float32Array, n: number, d: number, k: number, epochs: number, seed: number): number[][] {
  const { indices, distances } = exactNeighbours(x, n, d, k);
  const random = seededRandom(seed);
  const u = new UMAP({ nComponents: 2, nNeighbors: k, nEpochs: epochs, minDist: 0.1, random });
  u.setPrecomputedKNN(indices, distances);
  const data = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const total = u.initializeFit(data);
  const e = u.getEmbedding();
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) e[i][c] = Math.sin(i * 7 + c) * 10 + 1e-4 * (random() * 2 - 1);
  for (let s = 0; s < total; s++) u.step();
  return u.getEmbedding();
}

describe('exactNeighbours', () => {
  /** The definition: itself, then the k − 1 others of smallest squared distance, ties to the lower row. */
  function bruteForce(x: Float32Array, n: number, d: number, k: number): { indices: number[][]; distances: number[][] } {
    const indices: number[][] = [];
    const distances: number[][] = [];
    for (let a = 0; a < n; a++) {
      const others = Array.from({ length: n }, (_, b) => b).filter((b) => b !== a);
      const sq = (b: number) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (x[a * d + j] - x[b * d + j]) ** 2;
        return s;
      };
      const ranked = others.map((b) => [sq(b), b]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      indices.push([a, ...ranked.slice(0, k - 1).map((r) => r[1])]);
      distances.push([0, ...ranked.slice(0, k - 1).map((r) => Math.sqrt(r[0]))]);
    }
    return { indices, distances };
  }

  for (const [n, d, k, copies] of [
    [60, 5, 10, 5],
    [200, 40, 15, 5],
    [120, 784, 15, 5],
    [50, 2, 15, 5],
    // More copies than neighbours: the later copies' k nearest by (distance, row) are all earlier copies, not themselves.
    [80, 12, 10, 25],
  ])
    it(`is the brute-force definition (${n} rows, ${d} dimensions, ${k} neighbours, ${copies} copies of a row)`, () => {
      const x = blobs(n, d, n + d);
      // Copies of row 0 (rows 1 to copies) and mostly-blank rows, as raw pixels: zero distances and ties among them.
      for (let c = 2; c <= copies; c++) x.copyWithin(c * d, 0, d);
      if (d > 100) for (let i = 10; i < n; i++) for (let j = 0; j < d; j++) if ((i * 31 + j * 7) % 5 !== 0) x[i * d + j] = 0;
      expect(exactNeighbours(x, n, d, k)).toEqual(bruteForce(x, n, d, k));
    });
});

describe('umapLayout', () => {
  for (const [n, d, k, epochs] of [
    [60, 5, 10, 50],
    [151, 12, 15, 200],
  ])
    it(`gives umap-js's layout to the last bit (${n} rows, ${d} dimensions, ${k} neighbours, ${epochs} epochs)`, () => {
      const x = blobs(n, d, n);
      const expected = viaUmapJs(x, n, d, k, epochs, 42);
      const { indices, distances } = exactNeighbours(x, n, d, k);
      const random = seededRandom(42);
      const y = umapLayout(indices, distances, { epochs, minDist: 0.1, random, start: (i, c) => Math.sin(i * 7 + c) * 10 + 1e-4 * (random() * 2 - 1) });
      const got = Array.from({ length: n }, (_, i) => [y[2 * i], y[2 * i + 1]]);
      expect(got).toEqual(expected);
    });

  it('separates three blobs', () => {
    const n = 90;
    const x = blobs(n, 4, 7);
    const { indices, distances } = exactNeighbours(x, n, 4, 10);
    const random = seededRandom(1);
    const y = umapLayout(indices, distances, { epochs: 200, minDist: 0.1, random, start: () => random() * 20 - 10 });
    // Every row (but the duplicate pair) lies nearer its own blob's centre than any other's.
    const rows = (b: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === b && i > 1);
    const centres = [0, 1, 2].map((b) => [0, 1].map((c) => rows(b).reduce((s, i) => s + y[2 * i + c], 0) / rows(b).length));
    const nearest = (i: number) => {
      const dist = centres.map(([cx, cy]) => Math.hypot(y[2 * i] - cx, y[2 * i + 1] - cy));
      return dist.indexOf(Math.min(...dist));
    };
    for (let i = 2; i < n; i++) expect(nearest(i)).toBe(i % 3);
  });
});
