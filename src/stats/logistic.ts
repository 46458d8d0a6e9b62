import { sharedGemm, toFloat64, transpose } from './gemm.ts';

/**
 * A linear probe: L2-regularised logistic regression on features
 * standardised with the training set's mean and standard deviation, fitted to
 * convergence by L-BFGS. Two classes fit one weight vector (sigmoid), more a
 * multinomial softmax: the same models as scikit-learn's
 * `LogisticRegression(C)` with its defaults, and the same objective,
 *   (1/n) Σ_i loss_i + ‖W‖² / (2 C n),
 * with the intercepts not penalised. `weights` are `d × outputs` row-major on
 * the standardised features (`outputs` = 1 for two classes, else nClasses).
 */
export interface LogisticModel {
  d: number;
  nClasses: number;
  mean: Float64Array;
  std: Float64Array;
  weights: Float64Array;
  bias: Float64Array;
  fit: FitReport;
}

/** How the fit ended: what a reader needs to trust that it converged. */
export interface FitReport {
  /** The objective at the end (mean cross-entropy plus the penalty). */
  loss: number;
  /** Largest absolute component of the objective's gradient at the end. */
  gradNorm: number;
  iterations: number;
  converged: boolean;
  /** Inverse regularisation strength, as scikit-learn's `C`. */
  c: number;
}

export interface LogisticOptions {
  /** Inverse L2 strength, scikit-learn's `C` (default 1, its default). */
  c?: number;
  /** Converged when every gradient component is at most this (mean objective). */
  tolerance?: number;
  maxIterations?: number;
  /**
   * How rows are walked: by their non-zeros (in JavaScript), or every value
   * as matrix products in the float64 SIMD kernel (gemm.c). Both compute the
   * same objective, summed in another order, so both reach the one optimum
   * (to the tolerance); `auto` takes the faster one for the data's density.
   */
  layout?: 'auto' | 'sparse' | 'dense';
}

/** A fit that did not reach its tolerance: the probe's accuracy would not be the model's. */
export class NotConverged extends Error {
  readonly report: FitReport;
  constructor(report: FitReport) {
    super(
      `logistic regression did not converge: gradient ${report.gradNorm.toExponential(2)} after ${report.iterations} L-BFGS iterations (loss ${report.loss.toFixed(6)})`,
    );
    this.name = 'NotConverged';
    this.report = report;
  }
}

const HISTORY = 10;

/**
 * Fits by L-BFGS from zero weights (the objective is strictly convex: one
 * optimum, no restarts) and stops on the gradient's largest component.
 * Throws `NotConverged` rather than return an unconverged probe.
 */
export function fitLogistic(x: ArrayLike<number>, n: number, d: number, y: ArrayLike<number>, nClasses: number, options: LogisticOptions = {}): LogisticModel {
  const { c = 1, tolerance = 1e-6, maxIterations = 2000, layout = 'auto' } = options;
  const K = nClasses === 2 ? 1 : nClasses;
  const { mean, std } = standardization(x, n, d);
  const rows = toFloat64(x, n * d);
  const objective = makeObjective({ rows, layout, n, d, K, y, mean, std, l2: 1 / (c * n) });
  const size = K * d + K;
  const w = new Float64Array(size);
  const g = new Float64Array(size);
  let loss = objective(w, g);
  let gradNorm = maxAbs(g);
  const s: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(size);
  const trial = new Float64Array(size);
  const gTrial = new Float64Array(size);
  const alpha = new Float64Array(HISTORY);
  let iterations = 0;
  while (gradNorm > tolerance && iterations < maxIterations) {
    iterations++;
    // Two-loop recursion: direction = −H g.
    for (let k = 0; k < size; k++) direction[k] = -g[k];
    for (let h = s.length - 1; h >= 0; h--) {
      alpha[h] = rho[h] * dot(s[h], direction);
      axpy(-alpha[h], yHist[h], direction);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      scale(direction, dot(s[last], yHist[last]) / dot(yHist[last], yHist[last]));
    } else scale(direction, 1 / Math.max(1, Math.sqrt(dot(g, g))));
    for (let h = 0; h < s.length; h++) axpy(alpha[h] - rho[h] * dot(yHist[h], direction), s[h], direction);
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      s.length = yHist.length = rho.length = 0;
      for (let k = 0; k < size; k++) direction[k] = -g[k] / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, direction);
    }
    // Backtracking to Armijo's sufficient decrease.
    let step = 1;
    let trialLoss = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let k = 0; k < size; k++) trial[k] = w[k] + step * direction[k];
      trialLoss = objective(trial, gTrial);
      if (trialLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(trialLoss <= loss + 1e-4 * step * slope) && !(trialLoss <= loss)) break;
    const sNew = new Float64Array(size);
    const yNew = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      sNew[k] = trial[k] - w[k];
      yNew[k] = gTrial[k] - g[k];
    }
    const sy = dot(sNew, yNew);
    if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
      if (s.length === HISTORY) {
        s.shift();
        yHist.shift();
        rho.shift();
      }
      s.push(sNew);
      yHist.push(yNew);
      rho.push(1 / sy);
    }
    w.set(trial);
    g.set(gTrial);
    loss = trialLoss;
    gradNorm = maxAbs(g);
  }
  const fit: FitReport = { loss, gradNorm, iterations, converged: gradNorm <= tolerance, c };
  if (!fit.converged) throw new NotConverged(fit);
  const weights = new Float64Array(d * K);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) weights[j * K + k] = w[k * d + j];
  return { d, nClasses, mean, std, weights, bias: w.slice(K * d), fit };
}

interface ObjectiveInput {
  rows: Float64Array;
  layout: NonNullable<LogisticOptions['layout']>;
  n: number;
  d: number;
  K: number;
  y: ArrayLike<number>;
  mean: Float64Array;
  std: Float64Array;
  l2: number;
}

/**
 * The objective and its gradient at parameters `w` (K × d class-major
 * weights on the standardised features, then K intercepts). Standardisation
 * is folded into the weights (W/σ on the raw x, the mean into the offset) so
 * that the raw rows, and their zeros, are used as they are.
 */
function makeObjective(input: ObjectiveInput): (w: Float64Array, grad: Float64Array) => number {
  const { rows, layout, n, d, K, y, mean, std, l2 } = input;
  // The non-zeros are gathered only when they will be walked.
  let nonZero = 0;
  if (layout === 'auto') for (let q = 0; q < n * d; q++) if (rows[q] !== 0) nonZero++;
  const sparse = layout === 'sparse' || (layout === 'auto' && nonZero < SPARSE_BELOW * n * d) ? sparseRows(rows, n, d) : null;
  const scaled = new Float64Array(K * d);
  const offset = new Float64Array(K);
  const gradB = new Float64Array(K);
  const p = new Float64Array(K);
  // The kernel's products beat walking the non-zeros from about a fifth of the values non-zero (measured on MNIST's pixels and ReLU layers).
  const pass = sparse ? sparsePass(sparse, n, d, K) : kernelPass(rows, n, d, K);
  return (w, grad) => {
    for (let c = 0; c < K; c++) {
      let o = w[K * d + c];
      for (let j = 0; j < d; j++) {
        const a = w[c * d + j] / std[j];
        scaled[c * d + j] = a;
        o -= mean[j] * a;
      }
      offset[c] = o;
    }
    gradB.fill(0);
    let loss = 0;
    const logits = pass.logits(scaled);
    const { residuals, classStride, rowStride } = pass;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < K; c++) p[c] = offset[c] + logits[i * rowStride + c * classStride];
      loss += K === 1 ? sigmoidLoss(p, y[i]) : softmaxLoss(p, y[i]);
      for (let c = 0; c < K; c++) {
        const r = p[c] / n;
        gradB[c] += r;
        residuals[c * classStride + i * rowStride] = r;
      }
    }
    const gradW = pass.gradient();
    let penalty = 0;
    for (let c = 0; c < K; c++)
      for (let j = 0; j < d; j++) {
        const k = c * d + j;
        penalty += w[k] * w[k];
        grad[k] = (gradW[k] - mean[j] * gradB[c]) / std[j] + l2 * w[k];
      }
    for (let c = 0; c < K; c++) grad[K * d + c] = gradB[c];
    return loss / n + (l2 / 2) * penalty;
  };
}

/** Below this share of non-zero values, walking the non-zeros is faster than the kernel's dense products. */
const SPARSE_BELOW = 0.2;

/**
 * The objective's two passes over the rows: logits of the scaled weights
 * (K × d, class-major), then the weights' gradient (K × d, class-major) from
 * the residuals the caller wrote — the raw part Rᵀ X, before
 * standardisation. Logits and residuals share one layout: value (i, c) at
 * `c · classStride + i · rowStride`.
 */
interface Pass {
  logits(scaled: Float64Array): Float64Array;
  residuals: Float64Array;
  classStride: number;
  rowStride: number;
  gradient(): Float64Array;
}

/** Dense rows as matrix products in the kernel, class-major: A·Xᵀ (K × n), then R·(Xᵀ)ᵀ (K × d) with Xᵀ kept beside X. */
function kernelPass(rows: Float64Array, n: number, d: number, K: number): Pass {
  // One fit at a time: the probe's own instance, emptied.
  const g = sharedGemm('logistic.ts');
  const xb = g.block(n * d, rows);
  const xt = g.block(d * n, transpose(rows, n, d));
  const ab = g.block(K * d);
  const zb = g.block(n * K);
  const rb = g.block(K * n);
  const gb = g.block(K * d);
  // Views made after the last allocation stay valid: the memory no longer grows.
  const [a, z, r, grad] = [g.view(ab), g.view(zb), g.view(rb), g.view(gb)];
  // The instance is reused: nothing may be read that this fit did not write.
  for (const v of [a, z, r, grad]) v.fill(0);
  return {
    logits(scaled) {
      a.set(scaled);
      g.productNT(ab, K, d, xb, n, zb);
      return z;
    },
    residuals: r,
    classStride: n,
    rowStride: 1,
    gradient() {
      g.productNT(rb, K, n, xt, d, gb);
      return grad;
    },
  };
}

/**
 * Sparse rows (blank pixels, dead ReLUs) by their non-zeros in the kernel,
 * with the classes side by side (K rounded up to even for the SIMD lanes):
 * logits and residuals are n × K2, the weights and gradient d × K2.
 */
function sparsePass(sparse: SparseRows, n: number, d: number, K: number): Pass {
  const K2 = K + (K % 2);
  // One fit at a time: the probe's own instance, emptied.
  const g = sharedGemm('logistic.ts');
  const rows = g.sparse(n, d, sparse.start, sparse.index, sparse.value);
  const wb = g.block(d * K2);
  const zb = g.block(n * K2);
  const rb = g.block(n * K2);
  const gb = g.block(d * K2);
  const [w, z, r, gt] = [g.view(wb), g.view(zb), g.view(rb), g.view(gb)];
  // The instance is reused: the padding lane (K odd) must hold zeros, as in fresh memory.
  for (const v of [w, z, r, gt]) v.fill(0);
  const grad = new Float64Array(K * d);
  return {
    logits(scaled) {
      for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) w[j * K2 + c] = scaled[c * d + j];
      g.sparseProduct(rows, wb, K2, zb);
      return z;
    },
    residuals: r,
    classStride: 1,
    rowStride: K2,
    gradient() {
      g.sparseTransposedProduct(rows, rb, K2, gb);
      for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) grad[c * d + j] = gt[j * K2 + c];
      return grad;
    },
  };
}

/** Binary: logit in z[0] → its loss; z[0] becomes the residual σ(z) − y. */
function sigmoidLoss(z: Float64Array, label: number): number {
  const t = z[0];
  // softplus(t) − y t, without overflow.
  const e = Math.exp(-Math.abs(t));
  const loss = Math.max(t, 0) + Math.log1p(e) - (label === 1 ? t : 0);
  // For t ≥ 0, exp(−t) is the e just computed: one exponential fewer, the same value.
  z[0] = 1 / (1 + (t >= 0 ? e : Math.exp(-t))) - (label === 1 ? 1 : 0);
  return loss;
}

/** Multinomial: logits in z → cross-entropy; z becomes the residual softmax(z) − one-hot(y). */
function softmaxLoss(z: Float64Array, label: number): number {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c]);
  const loss = max - z[label];
  let sum = 0;
  // One exponential per class, kept for the probabilities.
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(z[c] - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  z[label] -= 1;
  return loss + Math.log(sum);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let k = 0; k < x.length; k++) y[k] += a * x[k];
}

function scale(x: Float64Array, a: number): void {
  for (let k = 0; k < x.length; k++) x[k] *= a;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]));
  return m;
}

interface SparseRows {
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

function standardization(x: ArrayLike<number>, n: number, d: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const e = x[i * d + j] - mean[j];
      std[j] += e * e;
    }
  // A constant feature standardizes to 0 whatever its scale; 1 avoids 0/0.
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / n) || 1;
  return { mean, std };
}

function sparseRows(x: Float64Array, n: number, d: number): SparseRows {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let nz = 0;
    for (let j = 0; j < d; j++) if (x[i * d + j] !== 0) nz++;
    start[i + 1] = start[i] + nz;
  }
  const index = new Int32Array(start[n]);
  const value = new Float64Array(start[n]);
  for (let i = 0, k = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      if (v !== 0) {
        index[k] = j;
        value[k++] = v;
      }
    }
  return { start, index, value };
}

/** Most probable class of each of the `n` rows of `x`. */
export function predict(model: LogisticModel, x: ArrayLike<number>, n: number): Int32Array {
  const { d, mean, std, weights, bias } = model;
  const K = bias.length;
  const out = new Int32Array(n);
  const logits = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    logits.set(bias);
    for (let j = 0; j < d; j++) {
      const z = (x[i * d + j] - mean[j]) / std[j];
      if (z === 0) continue;
      for (let c = 0; c < K; c++) logits[c] += z * weights[j * K + c];
    }
    if (K === 1) {
      out[i] = logits[0] > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < K; c++) if (logits[c] > logits[best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Share of the `n` rows of `x` whose predicted class is `y`. */
export function accuracy(model: LogisticModel, x: ArrayLike<number>, n: number, y: ArrayLike<number>): number {
  if (n === 0) return NaN;
  const predicted = predict(model, x, n);
  let right = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === y[i]) right++;
  return right / n;
}
