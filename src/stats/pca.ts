import { seededRandom } from '../util/random.ts';

// Principal component analysis by subspace iteration with Rayleigh–Ritz: the
// covariance is applied as Xᵀ(X v) / (n − 1), never formed, so a 784-pixel
// layer costs as little as a 2-unit one; a block a few vectors wider than the
// components asked for makes the top ones converge fast even when their
// variances are close, and exactly after one step when the block spans every
// dimension.

export interface Pca {
  /** Mean of every column. */
  mean: Float64Array;
  /** Unit loading vectors (length d), largest variance first. */
  components: Float64Array[];
  /** Variance along each component (n − 1 in the denominator). */
  variances: number[];
  /** Share of the total variance along each component (0 when the data do not vary). */
  explained: number[];
  /** Coordinates of every row on the components, `n × components` row-major. */
  scores: Float64Array;
  /** Subspace iterations it took. */
  iterations: number;
}

export interface PcaOptions {
  /** Seed of the starting block; the result does not depend on it beyond the tolerance. */
  seed?: number;
  /** Converged when every component's residual ‖C v − λ v‖ is at most this times the largest variance. */
  tolerance?: number;
  maxIterations?: number;
  /** Extra vectors in the block beyond the components asked for. */
  oversample?: number;
}

/**
 * The top `k` principal components of `n × d` row-major data (at most `d`).
 * Signs are fixed by one convention: each component's largest loading (by
 * absolute value, the first such on a tie) is positive, so that the same data
 * always give the same picture.
 */
export function pca(values: ArrayLike<number>, n: number, d: number, k = 2, options: PcaOptions = {}): Pca {
  if (values.length !== n * d) throw new Error(`pca: ${values.length} values are not ${n} × ${d}`);
  const { seed = 1, tolerance = 1e-9, maxIterations = 500, oversample = 6 } = options;
  const m = Math.max(0, Math.min(k, d));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += values[i * d + j];
  if (n > 0) for (let j = 0; j < d; j++) mean[j] /= n;
  const x = new Float64Array(n * d);
  let total = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = values[i * d + j] - mean[j];
      x[i * d + j] = v;
      total += v * v;
    }
  const denom = Math.max(1, n - 1);
  total /= denom;
  if (m === 0) return { mean, components: [], variances: [], explained: [], scores: new Float64Array(0), iterations: 0 };

  const p = Math.min(d, m + oversample);
  const random = seededRandom(seed);
  let q: Float64Array[] = Array.from({ length: p }, () => Float64Array.from({ length: d }, () => random() * 2 - 1));
  orthonormalise(q);
  let ritz: { values: number[]; vectors: Float64Array[] } = { values: [], vectors: q };
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    const z = applyCovariance(x, n, d, q, denom);
    // Rayleigh–Ritz: the best approximations within span(q).
    const h = q.map((qa) => z.map((zb) => dot(qa, zb)));
    const eig = symmetricEigen(h);
    const vectors = eig.vectors.map((w) => combine(q, w));
    const images = eig.vectors.map((w) => combine(z, w));
    ritz = { values: eig.values, vectors };
    const scale = Math.max(0, eig.values[0]);
    let worst = 0;
    for (let c = 0; c < m; c++) {
      let r = 0;
      for (let j = 0; j < d; j++) r += (images[c][j] - eig.values[c] * vectors[c][j]) ** 2;
      worst = Math.max(worst, Math.sqrt(r));
    }
    if (worst <= tolerance * scale || p === d) break;
    q = images;
    orthonormalise(q);
  }

  const components = ritz.vectors.slice(0, m).map((v) => {
    // Loadings within a millionth of the largest count as a tie, so that
    // rounding noise cannot move the choice from one start to another.
    const largest = v.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
    const first = v.findIndex((a) => Math.abs(a) >= largest * (1 - 1e-6));
    return v[first] < 0 ? v.map((a) => -a) : Float64Array.from(v);
  });
  const variances = ritz.values.slice(0, m).map((v) => Math.max(0, v));
  const scores = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j] * components[c][j];
      scores[i * m + c] = s;
    }
  return { mean, components, variances, explained: variances.map((v) => (total > 0 ? Math.min(1, v / total) : 0)), scores, iterations };
}

/** C v for every v of the block, C = Xᵀ X / denom of the centred data. */
function applyCovariance(x: Float64Array, n: number, d: number, block: Float64Array[], denom: number): Float64Array[] {
  const out = block.map(() => new Float64Array(d));
  const t = new Float64Array(block.length);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let b = 0; b < block.length; b++) {
      const v = block[b];
      let s = 0;
      for (let j = 0; j < d; j++) s += x[row + j] * v[j];
      t[b] = s / denom;
    }
    for (let b = 0; b < block.length; b++) {
      const o = out[b];
      const s = t[b];
      if (s !== 0) for (let j = 0; j < d; j++) o[j] += s * x[row + j];
    }
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** Σ w[b] · block[b]. */
function combine(block: Float64Array[], w: number[]): Float64Array {
  const out = new Float64Array(block[0].length);
  block.forEach((v, b) => {
    if (w[b] !== 0) for (let j = 0; j < v.length; j++) out[j] += w[b] * v[j];
  });
  return out;
}

/**
 * Modified Gram–Schmidt in place, twice for accuracy. A vector that collapses
 * (the data have lower rank than the block) is replaced by the first unit
 * basis vector that is independent of those before it.
 */
function orthonormalise(block: Float64Array[]): void {
  const d = block[0]?.length ?? 0;
  let basis = 0;
  for (let b = 0; b < block.length; b++) {
    const v = block[b];
    const before = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) for (let a = 0; a < b; a++) subtract(v, block[a]);
    let norm = Math.sqrt(dot(v, v));
    while (!(norm > 1e-10 * Math.max(before, 1e-300)) || !Number.isFinite(norm)) {
      if (basis >= d) throw new Error('pca: no independent vector left');
      v.fill(0);
      v[basis++] = 1;
      for (let pass = 0; pass < 2; pass++) for (let a = 0; a < b; a++) subtract(v, block[a]);
      norm = Math.sqrt(dot(v, v));
      if (norm > 0.5) break;
    }
    for (let j = 0; j < d; j++) v[j] /= norm;
  }
}

function subtract(v: Float64Array, u: Float64Array): void {
  const s = dot(v, u);
  for (let j = 0; j < v.length; j++) v[j] -= s * u[j];
}

/**
 * Eigenvalues (largest first) and unit eigenvectors of a small symmetric
 * matrix, by cyclic Jacobi rotations.
 */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const p = matrix.length;
  const a = matrix.map((row, i) => row.map((v, j) => (v + matrix[j][i]) / 2));
  const v: number[][] = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < p; i++) {
      diag += a[i][i] * a[i][i];
      for (let j = i + 1; j < p; j++) off += a[i][j] * a[i][j];
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let i = 0; i < p; i++)
      for (let j = i + 1; j < p; j++) {
        if (a[i][j] === 0) continue;
        const theta = (a[j][j] - a[i][i]) / (2 * a[i][j]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < p; r++) {
          const ari = a[r][i];
          const arj = a[r][j];
          a[r][i] = c * ari - s * arj;
          a[r][j] = s * ari + c * arj;
        }
        for (let r = 0; r < p; r++) {
          const air = a[i][r];
          const ajr = a[j][r];
          a[i][r] = c * air - s * ajr;
          a[j][r] = s * air + c * ajr;
        }
        for (let r = 0; r < p; r++) {
          const vri = v[r][i];
          const vrj = v[r][j];
          v[r][i] = c * vri - s * vrj;
          v[r][j] = s * vri + c * vrj;
        }
      }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => a[y][y] - a[x][x] || x - y);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

/**
 * Coordinates of `n × d` row-major rows on the first `k` components of a
 * fitted PCA, written `n × k` into `out` at row `at`: what places rows the fit
 * never saw (test inputs, probes) in the same space, one batch at a time.
 */
export function project(
  fit: Pick<Pca, 'mean' | 'components'>,
  values: ArrayLike<number>,
  n: number,
  out: Float32Array | Float64Array,
  at = 0,
  k = fit.components.length,
): void {
  const d = fit.mean.length;
  if (values.length !== n * d) throw new Error(`project: ${values.length} values are not ${n} × ${d}`);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = values[i * d + j] - fit.mean[j];
    for (let c = 0; c < k; c++) out[(at + i) * k + c] = dot(centred, fit.components[c]);
  }
}
