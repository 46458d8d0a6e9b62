import { describe, expect, it } from 'vitest';
import { Gemm, productNT, transpose } from '../../src/stats/gemm.ts';
import { seededRandom } from '../../src/util/random.ts';

function random(length: number, seed: number): Float64Array {
  const r = seededRandom(seed);
  return Float64Array.from({ length }, () => r() * 2 - 1);
}

/** The plain double loop the kernel must agree with. */
function plain(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t] * b[j * k + t];
      c[i * n + j] = s;
    }
  return c;
}

function expectClose(got: Float64Array, want: Float64Array, k: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-13 * k);
}

describe('the float64 product kernel (gemm.c)', () => {
  // Odd sizes exercise every edge: rows not a multiple of 4, columns not of 2,
  // an odd inner length, and inner lengths past one block (256) and B rows past one block (64).
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 2, 2],
    [7, 3, 9],
    [9, 70, 257],
    [13, 131, 600],
    [66, 65, 513],
  ];
  for (const [m, k, n] of sizes)
    it(`a (${m} × ${k}) · bᵀ (${n} × ${k}) matches a plain double loop`, () => {
      const a = random(m * k, m + k);
      const b = random(n * k, n * k + 1);
      expectClose(productNT(a, m, k, b, n), plain(a, m, k, b, n), k);
    });

  for (const [m, k] of [
    [1, 3],
    [5, 3],
    [67, 33],
    [130, 301],
  ])
    it(`a·aᵀ computed by halves (${m} × ${k}) is the full product`, () => {
      const a = random(m * k, 7 * m + k);
      expectClose(productNT(a, m, k, a, m, true), plain(a, m, k, a, m), k);
    });

  it('keeps its blocks between products, and the transposes agree', () => {
    const [m, k, n] = [6, 11, 5];
    const a = random(m * k, 1);
    const b = random(n * k, 2);
    const g = new Gemm();
    const ab = g.block(m * k, a);
    const bt = g.block(n * k, transpose(transpose(b, n, k), k, n));
    const c = g.block(m * n);
    g.productNT(ab, m, k, bt, n, c);
    g.productNT(ab, m, k, bt, n, c);
    expectClose(g.view(c), plain(a, m, k, b, n), k);
    expect(() => g.productNT(ab, m + 1, k, bt, n, c)).toThrow(/too small/);
  });
});

describe('the kernel’s factorisations', () => {
  it('Cholesky rebuilds a random positive-definite matrix of odd size, and L⁻¹ L = I', async () => {
    const { cholesky, lowerInverse } = await import('../../src/stats/gemm.ts');
    const d = 13;
    const b = random(d * d, 5);
    const a = plain(b, d, d, b, d);
    for (let i = 0; i < d; i++) a[i * d + i] += 0.1;
    const l = cholesky(a.slice(), d);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(l[i * d + j]).toBe(0);
    // L Lᵀ = A: the rows of L dotted pairwise.
    expectClose(plain(l, d, d, l, d), a, 10 * d);
    const w = lowerInverse(l, d);
    const lt = Float64Array.from({ length: d * d }, (_, q) => l[(q % d) * d + Math.floor(q / d)]);
    const identity = Float64Array.from({ length: d * d }, (_, q) => (q % (d + 1) === 0 ? 1 : 0));
    expectClose(plain(w, d, d, lt, d), identity, 10 * d);
  });

  it('Cholesky names the first pivot that is not positive', async () => {
    const { cholesky } = await import('../../src/stats/gemm.ts');
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite \(pivot 1: -3\)/);
  });
});

describe('a lower-triangular b', () => {
  for (const [m, k] of [
    [5, 7],
    [9, 300],
  ])
    it(`skips its zeros and gives the full product (${m} × ${k})`, () => {
      const a = random(m * k, 3 * m);
      const b = random(k * k, 4 * k);
      for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) b[i * k + j] = 0;
      expectClose(productNT(a, m, k, b, k, false, true), plain(a, m, k, b, k), k);
    });
});

describe('distances after a row', () => {
  for (const [n, w] of [
    [2, 1],
    [7, 5],
    [12, 784],
  ])
    it(`match direct differences in a plain loop (${n} rows, ${w} wide)`, () => {
      const x = random(n * w, n + w);
      const g = new Gemm();
      const xb = g.block(n * w, x);
      const out = g.block(n);
      for (let a = 0; a < n; a++) {
        g.distancesAfter(xb, n, w, a, out);
        const got = g.view(out);
        for (let c = a + 1; c < n; c++) {
          let s = 0;
          for (let t = 0; t < w; t++) s += (x[a * w + t] - x[c * w + t]) ** 2;
          expect(Math.abs(got[c - a - 1] - Math.sqrt(s))).toBeLessThanOrEqual(1e-14 * w);
        }
      }
    });
});

/** dot() of gemm.c as it sums: even-t and odd-t lanes in t order, added, then the odd tail. */
function laneDot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let even = 0;
  let odd = 0;
  let t = 0;
  for (; t + 2 <= len; t += 2) {
    even += x[xo + t] * y[yo + t];
    odd += x[xo + t + 1] * y[yo + t + 1];
  }
  let v = even + odd;
  if (t < len) v += x[xo + t] * y[yo + t];
  return v;
}

/** A random symmetric positive-definite d × d matrix with some all-zero rows and columns but the diagonal (blank pixels). */
function spd(d: number, seed: number): Float64Array {
  const x = random(d * (d + 3), seed);
  for (let q = 0; q < x.length; q++) if (q % d === 3 || q % d === 7) x[q] = 0;
  const g = plain(transpose(x, d + 3, d), d, d + 3, transpose(x, d + 3, d), d);
  for (let j = 0; j < d; j++) g[j * d + j] += 0.5;
  return g;
}

describe('the factorisations four rows at a time', () => {
  for (const d of [3, 8, 11, 37])
    it(`give row-by-row's Cholesky and L⁻¹ bit for bit (d = ${d})`, async () => {
      const { cholesky, lowerInverse } = await import('../../src/stats/gemm.ts');
      const a = spd(d, d);
      // Row by row, as gemm.c did before rows were grouped.
      const l = a.slice();
      for (let i = 0; i < d; i++) {
        for (let j = 0; j <= i; j++) {
          const s = l[i * d + j] - laneDot(l, i * d, l, j * d, j);
          l[i * d + j] = i === j ? Math.sqrt(s) : s / l[j * d + j];
        }
        for (let j = i + 1; j < d; j++) l[i * d + j] = 0;
      }
      const got = cholesky(a.slice(), d);
      for (let q = 0; q < d * d; q++) expect(Object.is(got[q], l[q])).toBe(true);
      const w = new Float64Array(d * d);
      for (let i = 0; i < d; i++) {
        for (let k = 0; k < i; k++) {
          const c = l[i * d + k];
          if (c !== 0) for (let j = 0; j <= k; j++) w[i * d + j] -= c * w[k * d + j];
        }
        for (let j = 0; j < i; j++) w[i * d + j] /= l[i * d + i];
        w[i * d + i] = 1 / l[i * d + i];
      }
      const inv = lowerInverse(l, d);
      for (let q = 0; q < d * d; q++) expect(Object.is(inv[q], w[q])).toBe(true);
    });
});

describe('a lower-triangular b against sparse rows', () => {
  // Even sizes take the sparse walk (past one block of 256 for the largest); odd ones fall back to the dense product.
  for (const [m, k] of [
    [5, 6],
    [9, 40],
    [13, 300],
    [6, 7],
  ])
    it(`gives the dense product's bits (${m} × ${k})`, async () => {
      const { lowerProductNT } = await import('../../src/stats/gemm.ts');
      const r = seededRandom(m * k);
      const a = Float64Array.from({ length: m * k }, () => (r() < 0.2 ? r() * 2 - 1 : 0));
      const b = random(k * k, k + 1);
      for (let j = 0; j < k; j++) for (let t = j + 1; t < k; t++) b[j * k + t] = 0;
      const got = lowerProductNT(a, m, k, b, k);
      const want = productNT(a, m, k, b, k, false, true);
      for (let q = 0; q < m * k; q++) expect(got[q] === want[q]).toBe(true);
      expectClose(got, plain(a, m, k, b, k), k);
    });
});
