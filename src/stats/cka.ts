import { productNT, transpose } from './gemm.ts';
import { seededRandom, shuffle } from '../util/random.ts';

/**
 * Linear CKA (Kornblith et al. 2019) between two representations of the same
 * `n` inputs, `x` (n × p) and `y` (n × q), row-major:
 * ‖Yᶜᵀ Xᶜ‖²_F / (‖Xᶜᵀ Xᶜ‖_F ‖Yᶜᵀ Yᶜ‖_F), columns centred. 1 for the same
 * representation, invariant to orthogonal transforms and isotropic scaling.
 * Above `maxRows` rows, a seeded sample of `maxRows` rows is used.
 */
export function linearCka(x: ArrayLike<number>, n: number, p: number, y: ArrayLike<number>, q: number, seed = 0, maxRows = 3000): number {
  let rows: Int32Array | null = null;
  if (n > maxRows) {
    rows = shuffle(
      Int32Array.from({ length: n }, (_, i) => i),
      seededRandom(seed),
    ) as Int32Array;
    rows = rows.subarray(0, maxRows).sort();
  }
  const m = rows ? rows.length : n;
  const xs = gatherRows(x, p, rows, m);
  const ys = gatherRows(y, q, rows, m);
  if (p < m && q < m) return viaFeatures(xs, ys, m, p, q);
  return viaGram(xs, ys, m, p, q);
}

function gatherRows(x: ArrayLike<number>, w: number, rows: Int32Array | null, m: number): Float64Array {
  const out = new Float64Array(m * w);
  for (let i = 0; i < m; i++) {
    const r = rows ? rows[i] : i;
    for (let j = 0; j < w; j++) out[i * w + j] = x[r * w + j];
  }
  return out;
}

function columnMeans(x: Float64Array, n: number, w: number): Float64Array {
  const mean = new Float64Array(w);
  for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) mean[j] += x[i * w + j];
  for (let j = 0; j < w; j++) mean[j] /= n;
  return mean;
}

/**
 * Aᶜᵀ Bᶜ (wa × wb) as Aᵀ B − n μ_A μ_Bᵀ, the raw product in the float64
 * kernel (rows of Aᵀ against rows of Bᵀ); AᵀA computes half and mirrors it.
 */
function centredCross(a: Float64Array, wa: number, b: Float64Array, wb: number, n: number): Float64Array {
  const symmetric = a === b && wa === wb;
  const at = transpose(a, n, wa);
  const out = productNT(at, wa, n, symmetric ? at : transpose(b, n, wb), wb, symmetric);
  const ma = columnMeans(a, n, wa);
  const mb = symmetric ? ma : columnMeans(b, n, wb);
  for (let j = 0; j < wa; j++) for (let k = 0; k < wb; k++) out[j * wb + k] -= n * ma[j] * mb[k];
  return out;
}

function squaredNorm(m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i] * m[i];
  return s;
}

function ratio(cross: number, xx: number, yy: number): number {
  const denom = Math.sqrt(xx) * Math.sqrt(yy);
  // A constant representation carries no similarity structure at all.
  return denom > 0 ? Math.min(1, Math.max(0, cross / denom)) : 0;
}

function viaFeatures(x: Float64Array, y: Float64Array, n: number, p: number, q: number): number {
  const cross = squaredNorm(centredCross(x, p, y, q, n));
  const xx = squaredNorm(centredCross(x, p, x, p, n));
  const yy = squaredNorm(centredCross(y, q, y, q, n));
  return ratio(cross, xx, yy);
}

/** Wide representations (more columns than rows): ⟨K, L⟩ / (‖K‖ ‖L‖) with K, L the centred n × n Gram matrices. */
function viaGram(x: Float64Array, y: Float64Array, n: number, p: number, q: number): number {
  const k = centredGram(x, n, p);
  const l = centredGram(y, n, q);
  let kl = 0;
  for (let i = 0; i < k.length; i++) kl += k[i] * l[i];
  return ratio(kl, squaredNorm(k), squaredNorm(l));
}

function centredGram(x: Float64Array, n: number, w: number): Float64Array {
  const mean = columnMeans(x, n, w);
  const c = new Float64Array(n * w);
  for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) c[i * w + j] = x[i * w + j] - mean[j];
  return productNT(c, n, w, c, n, true);
}

/**
 * Linear CKA between every pair of `layers` (n rows each, `d` columns),
 * symmetric with ones on the diagonal. Each pair is computed as
 * `linearCka` would (features when both are narrower than n, else Gram
 * matrices), but each layer's centred Gram matrix and self-product norm is
 * computed once, not once per pair.
 */
export function linearCkaMatrix(
  layers: { x: ArrayLike<number>; d: number }[],
  n: number,
  seed = 0,
  maxRows = 3000,
  /** Centred Gram matrices and their squared norms already computed, by layer index (filled as they are computed). */
  known: Map<number, { g: Float64Array; norm: number }> = new Map(),
): number[][] {
  let rows: Int32Array | null = null;
  if (n > maxRows) {
    rows = shuffle(
      Int32Array.from({ length: n }, (_, i) => i),
      seededRandom(seed),
    ) as Int32Array;
    rows = rows.subarray(0, maxRows).sort();
  }
  const m = rows ? rows.length : n;
  const xs = layers.map((l) => gatherRows(l.x, l.d, rows, m));
  const grams = known;
  const gram = (a: number) => {
    let found = grams.get(a);
    if (!found) {
      const g = centredGram(xs[a], m, layers[a].d);
      found = { g, norm: squaredNorm(g) };
      grams.set(a, found);
    }
    return found;
  };
  const selfNorms = new Map<number, number>();
  const selfNorm = (a: number) => {
    let v = selfNorms.get(a);
    if (v === undefined) {
      v = squaredNorm(centredCross(xs[a], layers[a].d, xs[a], layers[a].d, m));
      selfNorms.set(a, v);
    }
    return v;
  };
  const out = layers.map(() => new Array<number>(layers.length).fill(1));
  for (let a = 0; a < layers.length; a++)
    for (let b = a + 1; b < layers.length; b++) {
      let v: number;
      if (layers[a].d < m && layers[b].d < m) v = ratio(squaredNorm(centredCross(xs[a], layers[a].d, xs[b], layers[b].d, m)), selfNorm(a), selfNorm(b));
      else {
        const ka = gram(a);
        const kb = gram(b);
        let kl = 0;
        for (let i = 0; i < ka.g.length; i++) kl += ka.g[i] * kb.g[i];
        v = ratio(kl, ka.norm, kb.norm);
      }
      out[a][b] = v;
      out[b][a] = v;
    }
  return out;
}
