import { describe, expect, it } from 'vitest';
import { linearCka, linearCkaMatrix } from '../../src/stats/cka.ts';
import { seededRandom } from '../../src/util/random.ts';

function randomMatrix(n: number, p: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n * p }, () => random() * 2 - 1);
}

/** y = x Q, Q (p × p) the rotation by `angle` in the plane of the first two columns. */
function rotate(x: Float64Array, n: number, p: number, angle: number): Float64Array {
  const y = Float64Array.from(x);
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  for (let i = 0; i < n; i++) {
    const [a, b] = [x[i * p], x[i * p + 1]];
    y[i * p] = c * a - s * b;
    y[i * p + 1] = s * a + c * b;
  }
  return y;
}

describe('linearCka', () => {
  it('is the squared correlation for one column each, checked by hand', () => {
    // x = 1 2 3, y = 1 0 2 → centred −1 0 1 and 0 −1 1: cross 1, variances 2 and 2 → 1² / (2 · 2) = 0.25.
    expect(linearCka([1, 2, 3], 3, 1, [1, 0, 2], 1)).toBeCloseTo(0.25, 12);
  });

  it('is 1 for a representation with itself, invariant to orthogonal transforms, isotropic scaling and shifts', () => {
    const [n, p] = [200, 6];
    const x = randomMatrix(n, p, 1);
    expect(linearCka(x, n, p, x, p)).toBeCloseTo(1, 12);
    const y = rotate(x, n, p, 0.7).map((v, k) => 3.5 * v + (k % p));
    expect(linearCka(x, n, p, y, p)).toBeCloseTo(1, 12);
    // A permutation of the columns is orthogonal too.
    const swapped = x.map((_, k) => x[k - (k % p) + (((k % p) + 1) % p)]);
    expect(linearCka(x, n, p, swapped, p)).toBeCloseTo(1, 12);
  });

  it('is symmetric, and small for independent representations', () => {
    const n = 1000;
    const x = randomMatrix(n, 5, 2);
    const y = randomMatrix(n, 3, 3);
    const a = linearCka(x, n, 5, y, 3);
    expect(a).toBeCloseTo(linearCka(y, n, 3, x, 5), 12);
    expect(a).toBeLessThan(0.05);
  });

  it('is not invariant to anisotropic scaling', () => {
    const [n, p] = [300, 4];
    const x = randomMatrix(n, p, 4);
    const y = x.map((v, k) => (k % p === 0 ? 10 * v : v));
    expect(linearCka(x, n, p, y, p)).toBeLessThan(0.9);
  });

  it('gives the same value through Gram matrices when columns outnumber rows', () => {
    // Zero columns change nothing, but 12 columns for 10 rows take the n × n route.
    const [n, p, q] = [10, 3, 4];
    const x = randomMatrix(n, p, 5);
    const y = randomMatrix(n, q, 6);
    const wide = new Float64Array(n * 12);
    for (let i = 0; i < n; i++) wide.set(x.subarray(i * p, (i + 1) * p), i * 12);
    expect(linearCka(wide, n, 12, y, q)).toBeCloseTo(linearCka(x, n, p, y, q), 12);
  });

  it('samples rows above maxRows, reproducibly by seed', () => {
    const [n, p] = [500, 3];
    const x = randomMatrix(n, p, 7);
    const y = x.map((v, k) => v + 0.5 * Math.sin(k));
    const full = linearCka(x, n, p, y, p);
    const a = linearCka(x, n, p, y, p, 1, 200);
    expect(a).toBe(linearCka(x, n, p, y, p, 1, 200));
    expect(a).not.toBe(linearCka(x, n, p, y, p, 2, 200));
    expect(Math.abs(a - full)).toBeLessThan(0.1);
    expect(linearCka(x, n, p, x, p, 1, 200)).toBeCloseTo(1, 12);
  });

  it('is 0 against a constant representation', () => {
    expect(linearCka([1, 2, 3], 3, 1, [4, 4, 4], 1)).toBe(0);
  });
});

describe('linearCkaMatrix', () => {
  it('gives every pair what linearCka gives it, wide and narrow layers alike', async () => {
    const random = seededRandom(8);
    const n = 40;
    const widths = [60, 5, 12, 1];
    const layers = widths.map((d) => ({ x: Float64Array.from({ length: n * d }, () => (random() < 0.3 ? 0 : random())), d }));
    const m = linearCkaMatrix(layers, n, 3);
    for (let a = 0; a < layers.length; a++) {
      expect(m[a][a]).toBe(1);
      for (let b = a + 1; b < layers.length; b++) {
        expect(m[a][b]).toBeCloseTo(linearCka(layers[a].x, n, layers[a].d, layers[b].x, layers[b].d, 3), 12);
        expect(m[b][a]).toBe(m[a][b]);
      }
    }
  });
});

describe('linearCkaMatrix with Gram matrices already known', () => {
  it('gives the same matrix as computing them afresh', () => {
    const random = seededRandom(8);
    const n = 20;
    // A layer wider than n rows (Gram matrices) beside narrower ones.
    const layers = [30, 5, 3].map((d) => ({ x: Float64Array.from({ length: n * d }, random), d }));
    const known = new Map<number, { g: Float64Array; norm: number }>();
    const first = linearCkaMatrix(layers, n, 0, 3000, known);
    expect(known.has(0)).toBe(true);
    const again = linearCkaMatrix(layers, n, 0, 3000, new Map([[0, known.get(0)!]]));
    expect(again).toEqual(first);
    expect(again).toEqual(linearCkaMatrix(layers, n));
  });
});
