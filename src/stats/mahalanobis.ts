import { cholesky, lowerInverse, lowerProductNT, productNT, transpose } from './gemm.ts';

/**
 * Class-conditional Gaussians with one shared covariance (Lee et al. 2018):
 * an input's score is its Mahalanobis distance to the nearest class mean,
 * larger is stranger. The shared covariance is the pooled within-class
 * covariance shrunk toward a scaled identity by Ledoit & Wolf's (2004)
 * intensity, as scikit-learn's `LedoitWolf(assume_centered=True)` on the
 * rows centred by their class means: it makes Σ invertible when some
 * directions never vary in training (dead units, blank pixels), and the
 * intensity is estimated, not chosen.
 */
export interface MahalanobisModel {
  d: number;
  /** Labels of the classes that had rows, in the order of `means`. */
  classes: number[];
  /** Class means, one row of `d` per class. */
  means: Float64Array;
  /** Lower Cholesky factor L of the shrunk covariance, d × d row-major. */
  cholesky: Float64Array;
  /** The shrinkage intensity used, in [0, 1]. */
  shrinkage: number;
  /** Mahalanobis distance of each of the `n` rows of `x` to the nearest class mean. */
  score(x: ArrayLike<number>, n: number): Float64Array;
}

export interface MahalanobisOptions {
  /**
   * Σ ← (1 − α) Σ + α (tr Σ / d) I with α by Ledoit–Wolf (the default), or a
   * fixed α in [0, 1].
   */
  shrinkage?: 'ledoit-wolf' | number;
  /** Xᵀ X of these rows (`rawGram`), when the caller fits two models on them: it is then not computed again. */
  gram?: Float64Array;
}

/** Fits class means and the shared within-class covariance of the `n` rows of `x` labelled `y` (0..nClasses − 1). */
export function fitMahalanobis(
  x: ArrayLike<number>,
  n: number,
  d: number,
  y: ArrayLike<number>,
  nClasses: number,
  options: MahalanobisOptions = {},
): MahalanobisModel {
  const { shrinkage: choice = 'ledoit-wolf', gram } = options;
  const sums = new Float64Array(nClasses * d);
  const sizes = new Float64Array(nClasses);
  for (let i = 0; i < n; i++) {
    const c = y[i];
    sizes[c]++;
    for (let j = 0; j < d; j++) sums[c * d + j] += x[i * d + j];
  }
  // Σ_i x xᵀ − Σ_c n_c μ_c μ_cᵀ: Xᵀ X of the raw rows as one product in the kernel.
  const cov = gram ? gram.slice() : rawGram(x, n, d);
  const classes: number[] = [];
  for (let c = 0; c < nClasses; c++) if (sizes[c] > 0) classes.push(c);
  const means = new Float64Array(classes.length * d);
  const meanOf = new Int32Array(nClasses).fill(-1);
  classes.forEach((c, m) => {
    meanOf[c] = m;
    for (let j = 0; j < d; j++) means[m * d + j] = sums[c * d + j] / sizes[c];
    for (let j = 0; j < d; j++) {
      const u = sizes[c] * means[m * d + j];
      if (u === 0) continue;
      for (let k = j; k < d; k++) cov[j * d + k] -= u * means[m * d + k];
    }
  });
  let trace = 0;
  let frobenius = 0;
  for (let j = 0; j < d; j++)
    for (let k = j; k < d; k++) {
      const v = cov[j * d + k] / n;
      cov[j * d + k] = v;
      if (j === k) trace += v;
      frobenius += j === k ? v * v : 2 * v * v;
    }
  const mu = trace / d;
  let shrinkage: number;
  if (choice === 'ledoit-wolf') {
    // Σ_i ‖x_i − μ_c‖⁴, the one sum Ledoit–Wolf needs beyond Σ itself.
    let fourth = 0;
    for (let i = 0; i < n; i++) {
      const m = meanOf[y[i]];
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const e = x[i * d + j] - means[m * d + j];
        sq += e * e;
      }
      fourth += sq * sq;
    }
    const delta = (frobenius - 2 * mu * trace + d * mu * mu) / d;
    const beta = Math.min(delta, (fourth / n - frobenius) / (d * n));
    shrinkage = beta <= 0 || delta <= 0 ? 0 : Math.min(1, beta / delta);
  } else shrinkage = choice;
  // A layer that never varies in training has no scale: the identity stands in.
  const ridge = shrinkage * (mu > 0 ? mu : 1);
  for (let j = 0; j < d; j++)
    for (let k = j; k < d; k++) {
      const v = (1 - shrinkage) * cov[j * d + k] + (j === k ? (mu > 0 ? ridge : 1) : 0);
      cov[j * d + k] = v;
      cov[k * d + j] = v;
    }
  const cholesky = choleskyInPlace(cov, d);
  // L⁻¹ once (d³/6), so that whitening the queries is one product in the
  // kernel rather than a triangular solve per query; the means are whitened
  // by the same operator.
  const whitening = lowerInverse(cholesky, d);
  const whitenedMeans = productNT(means, classes.length, d, whitening, d, false, true);
  return {
    d,
    classes,
    means,
    cholesky,
    shrinkage,
    score(q: ArrayLike<number>, nq: number): Float64Array {
      // With z = L⁻¹x, (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖z − L⁻¹μ‖²: one whitening per query, not per class.
      const z = lowerProductNT(q, nq, d, whitening, d);
      return nearestDistances(z, nq, whitenedMeans, classes.length, d);
    },
  };
}

/** Xᵀ X (d × d) of the `n` rows of `x`, both triangles filled. */
export function rawGram(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const xt = transpose(x, n, d);
  return productNT(xt, d, n, xt, d, true);
}

/**
 * Relative Mahalanobis distance (Ren et al. 2021): the squared distance to
 * the nearest class minus the squared distance under one Gaussian fitted to
 * every training row (its own Ledoit–Wolf covariance), which removes what
 * the classes share with the background. From the two models' distances
 * (`score`) of the same rows.
 */
export function relativeMahalanobis(own: Float64Array, background: Float64Array): Float64Array {
  return own.map((v, i) => v * v - background[i] * background[i]);
}

/** Same as `model.score`. */
export function mahalanobisScore(model: MahalanobisModel, x: ArrayLike<number>, n: number): Float64Array {
  return model.score(x, n);
}

/** Euclidean distance of each of the `n` rows of `x` to the nearest class mean. */
export function nearestCentroidDistance(model: MahalanobisModel, x: ArrayLike<number>, n: number): Float64Array {
  return nearestDistances(x, n, model.means, model.classes.length, model.d);
}

/**
 * Each row's Euclidean distance to its nearest centre: the square root of
 * the smallest Σ_j (x_j − c_j)², each sum taken in column order. One sum's
 * additions wait on each other, so four rows' sums go side by side (each
 * the same sum as alone).
 */
function nearestDistances(x: ArrayLike<number>, n: number, centres: Float64Array, count: number, d: number): Float64Array {
  const out = new Float64Array(n).fill(Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const [o0, o1, o2, o3] = [i * d, (i + 1) * d, (i + 2) * d, (i + 3) * d];
    for (let m = 0; m < count; m++) {
      const c = m * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const v = centres[c + j];
        const e0 = x[o0 + j] - v;
        const e1 = x[o1 + j] - v;
        const e2 = x[o2 + j] - v;
        const e3 = x[o3 + j] - v;
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      out[i] = Math.min(out[i], s0);
      out[i + 1] = Math.min(out[i + 1], s1);
      out[i + 2] = Math.min(out[i + 2], s2);
      out[i + 3] = Math.min(out[i + 3], s3);
    }
  }
  for (; i < n; i++)
    for (let m = 0; m < count; m++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const e = x[i * d + j] - centres[m * d + j];
        s += e * e;
      }
      out[i] = Math.min(out[i], s);
    }
  for (let r = 0; r < n; r++) out[r] = Math.sqrt(out[r]);
  return out;
}

/**
 * Cholesky factor of a symmetric positive-definite matrix, overwriting its
 * lower triangle (the upper is zeroed), in the float64 kernel.
 */
export function choleskyInPlace(a: Float64Array, d: number): Float64Array {
  return cholesky(a, d);
}

/** Solves L z = b for lower-triangular L; b and z are read and written at offsets. */
export function forwardSolve(l: Float64Array, d: number, b: ArrayLike<number>, bo: number, z: Float64Array, zo: number): void {
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    let s = b[bo + i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * z[zo + k];
    z[zo + i] = s / l[ri + i];
  }
}
