import { readFileSync } from 'node:fs';

// Float64 matrix products in WebAssembly SIMD (gemm.c). A `Gemm` holds its
// own kernel instance and memory: a fit allocates its matrices once (the
// logistic probe's rows stay in the kernel for every objective evaluation)
// and reads results through views of the kernel's memory.

export { GEMM_VERSION } from './kernel-versions.ts';

let module: WebAssembly.Module | null = null;

function compiled(): WebAssembly.Module {
  if (!module) {
    module = new WebAssembly.Module(readFileSync(new URL('./gemm.wasm', import.meta.url)));
    warmUp(new WebAssembly.Instance(module, {}).exports as unknown as Exports);
  }
  return module;
}

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(): void;
  gemm_nt(a: number, m: number, k: number, b: number, n: number, c: number, lower: number): void;
  csr_dense(start: number, index: number, value: number, n: number, w: number, K: number, out: number): void;
  csr_t_dense(start: number, index: number, value: number, n: number, d: number, r: number, K: number, g: number): void;
  cholesky(a: number, d: number): number;
  lower_inverse(l: number, w: number, d: number): void;
  distances_after(x: number, n: number, w: number, a: number, out: number): void;
  group_sums(x: number, d: number, rows: number, count: number, groups: number, G: number, sums: number): void;
  within_squares(x: number, d: number, rows: number, count: number, groups: number, means: number): number;
  csr_lower_nt(start: number, index: number, value: number, m: number, k: number, bt: number, n: number, c: number, acc: number): void;
}

/** Sparse rows in the kernel's memory (CSR): row i's values are `value[start[i]…start[i+1])`, at columns `index[…]`. */
export interface SparseBlock {
  n: number;
  d: number;
  start: number;
  index: number;
  value: Block;
}

/**
 * Runs every function a few times on small problems. V8 first compiles
 * WebAssembly with its baseline compiler (Liftoff) and switches a function
 * to optimised code only from its next call: without this, a statistic's
 * one large call (a 784-wide Cholesky, a Gram matrix) ran whole in baseline
 * code, over twice as slowly. Costs about 20 ms, once per process,
 * when this module is imported: the optimised code is compiled in the
 * background and ready by the time a statistic needs it.
 */
function warmUp(k: Exports): void {
  const s = 32;
  const a = k.alloc(s * s * 8);
  const b = k.alloc(s * s * 8);
  const ints = k.alloc((s + 1) * 4);
  const index = k.alloc(s * s * 4);
  const order = k.alloc(s * 4);
  const zeros = k.alloc(s * 4);
  const m = new Float64Array(k.memory.buffer, a, s * s);
  const starts = new Int32Array(k.memory.buffer, ints, s + 1);
  const columns = new Int32Array(k.memory.buffer, index, s * s);
  for (let i = 0; i <= s; i++) starts[i] = i * s;
  for (let q = 0; q < s * s; q++) columns[q] = q % s;
  const rows = new Int32Array(k.memory.buffer, order, s);
  for (let i = 0; i < s; i++) rows[i] = i;
  new Int32Array(k.memory.buffer, zeros, s).fill(0);
  for (let r = 0; r < 40; r++) {
    for (let q = 0; q < s * s; q++) m[q] = q % (s + 1) === 0 ? s : 1 / (1 + q);
    k.gemm_nt(a, s, s, a, s, b, r % 4);
    k.cholesky(a, s);
    k.lower_inverse(a, b, s);
    k.csr_dense(ints, index, a, s, b, s, a);
    k.csr_t_dense(ints, index, a, s, s, b, s, a);
    k.distances_after(a, s, s, r % 4, b);
    k.group_sums(a, s, order, s, zeros, 1, b);
    k.within_squares(a, s, order, s, zeros, b);
    k.csr_lower_nt(ints, index, a, s, s, b, s, a, b);
  }
}

/** A matrix in the kernel's memory: `length` float64 values at byte address `at`. */
export interface Block {
  at: number;
  length: number;
}

export class Gemm {
  private readonly k: Exports;

  constructor() {
    this.k = new WebAssembly.Instance(compiled(), {}).exports as unknown as Exports;
  }

  /** Room for `length` values (zeroed only when fresh), filled from `values` when given. */
  block(length: number, values?: ArrayLike<number>): Block {
    const at = this.k.alloc(Math.max(16, length * 8));
    if (!at) throw new Error(`the float64 product kernel could not allocate ${length * 8} bytes (wasm32 holds at most 4 GiB)`);
    const b = { at, length };
    if (values) this.view(b).set(values);
    return b;
  }

  /** Sparse rows copied in: the row starts (n + 1), column indices and values. */
  sparse(n: number, d: number, start: Int32Array, index: Int32Array, value: Float64Array): SparseBlock {
    const ints = (values: Int32Array) => {
      const b = this.block(Math.ceil(values.length / 2));
      new Int32Array(this.k.memory.buffer, b.at, values.length).set(values);
      return b.at;
    };
    return { n, d, start: ints(start), index: ints(index), value: this.block(value.length, value) };
  }

  /** out (n × K) = rows · w (w: d × K, K even). */
  sparseProduct(rows: SparseBlock, w: Block, K: number, out: Block): void {
    if (K % 2 || w.length < rows.d * K || out.length < rows.n * K) throw new Error(`gemm: sparse product with K = ${K} does not fit its blocks`);
    this.k.csr_dense(rows.start, rows.index, rows.value.at, rows.n, w.at, K, out.at);
  }

  /** g (d × K) = rowsᵀ · r (r: n × K, K even), each row added in turn. */
  sparseTransposedProduct(rows: SparseBlock, r: Block, K: number, g: Block): void {
    if (K % 2 || r.length < rows.n * K || g.length < rows.d * K) throw new Error(`gemm: sparse product with K = ${K} does not fit its blocks`);
    this.k.csr_t_dense(rows.start, rows.index, rows.value.at, rows.n, rows.d, r.at, K, g.at);
  }

  /** The block's values, read and written in place; valid until the next `block` (memory may grow). */
  view(b: Block): Float64Array {
    return new Float64Array(this.k.memory.buffer, b.at, b.length);
  }

  /**
   * c (m × n) = a (m × k) · bᵀ (b: n × k), row-major. `lower`: only the
   * entries j ≤ i are meant (a symmetric a·aᵀ); the others may hold
   * anything. `bLower`: b is lower-triangular, and its zeros are skipped.
   */
  productNT(a: Block, m: number, k: number, b: Block, n: number, c: Block, lower = false, bLower = false): void {
    if (a.length < m * k || b.length < n * k || c.length < m * n) throw new Error(`gemm: blocks too small for ${m} × ${k} · (${n} × ${k})ᵀ`);
    this.k.gemm_nt(a.at, m, k, b.at, n, c.at, (lower ? 1 : 0) | (bLower ? 2 : 0));
  }

  /** Cholesky factor of the block in place (see `cholesky`): −1, or the first pivot that is not positive. */
  factor(a: Block, d: number): number {
    return this.k.cholesky(a.at, d);
  }

  /** w = L⁻¹ for the lower-triangular L, both d × d. */
  invertLower(l: Block, w: Block, d: number): void {
    this.k.lower_inverse(l.at, w.at, d);
  }

  /** out[c − a − 1] = ‖x_a − x_c‖ for the rows c after a of x (n × w), by direct differences. */
  distancesAfter(x: Block, n: number, w: number, a: number, out: Block): void {
    this.k.distances_after(x.at, n, w, a, out.at);
  }

  /**
   * c (m × n) = rows · bᵀ for a lower-triangular b given transposed (bt:
   * k × n), the same bits as `productNT(…, bLower)` (k and n even).
   */
  sparseLowerProduct(rows: SparseBlock, bt: Block, n: number, c: Block): void {
    const { n: m, d: k } = rows;
    if (k % 2 || n % 2 || bt.length < k * n || c.length < m * n) throw new Error(`gemm: sparse lower product of ${m} × ${k} by ${n} does not fit its blocks`);
    const acc = this.block(2 * n);
    this.k.csr_lower_nt(rows.start, rows.index, rows.value.at, m, k, bt.at, n, c.at, acc.at);
  }

  /** Room for `length` 32-bit integers (a block of ⌈length / 2⌉ values), viewed by `ints`. */
  intBlock(length: number): Block {
    return { ...this.block(Math.ceil(length / 2)), length: Math.ceil(length / 2) };
  }

  /** The block's values as 32-bit integers; valid until the next `block`. */
  ints(b: Block): Int32Array {
    return new Int32Array(this.k.memory.buffer, b.at, b.length * 2);
  }

  /** sums (G × d) = per group, the rows `rows[0…count)` of x added in turn (see gemm.c). */
  groupSums(x: Block, d: number, rows: Block, count: number, groups: Block, G: number, sums: Block): void {
    this.k.group_sums(x.at, d, rows.at, count, groups.at, G, sums.at);
  }

  /** Σ over the rows `rows[0…count)` of ‖x_i − means[groups[i]]‖². */
  withinSquares(x: Block, d: number, rows: Block, count: number, groups: Block, means: Block): number {
    return this.k.within_squares(x.at, d, rows.at, count, groups.at, means.at);
  }

  /** Frees every block (views of them become meaningless). */
  reset(): void {
    this.k.reset();
  }
}

const shared = new Map<string, Gemm>();

/**
 * A kernel instance kept for one user (`owner`), emptied at each call: a
 * fresh instance per product, fit or test cost its instantiation and fresh
 * zeroed pages (about 0.65 ms per MB). The caller must be done with the
 * previous one it got before asking again: each user here (the one-shot
 * functions below, a probe's fit, a silhouette, a permutation test or
 * bootstrap) finishes before the next call of its kind, and calls no other
 * user of the same owner meanwhile.
 */
export function sharedGemm(owner: string): Gemm {
  let g = shared.get(owner);
  if (!g) shared.set(owner, (g = new Gemm()));
  g.reset();
  return g;
}

/** Lets the shared instances go (their memory grown to the largest problem each saw): the analysis does so after each seed. */
export function releaseSharedGemms(): void {
  shared.clear();
}

/** The one-shot functions' instance: each copies its result out before returning and calls no other. */
const scratch = () => sharedGemm('gemm.ts');

/**
 * a (m × k) · bᵀ (b: n × k) as a new m × n array; with `symmetric` (b is a),
 * only half is computed and mirrored; with `bLower`, b's upper triangle (zero) is skipped.
 */
export function productNT(a: ArrayLike<number>, m: number, k: number, b: ArrayLike<number>, n: number, symmetric = false, bLower = false): Float64Array {
  const g = scratch();
  const ab = g.block(m * k, a);
  const bb = symmetric ? ab : g.block(n * k, b);
  const cb = g.block(m * n);
  g.productNT(ab, m, k, bb, n, cb, symmetric, bLower);
  const out = g.view(cb).slice();
  if (symmetric) for (let i = 0; i < m; i++) for (let j = i + 1; j < n; j++) out[i * n + j] = out[j * n + i];
  return out;
}

/** Below this share of non-zero values, `lowerProductNT` walks a's non-zeros (raw pixels: 19 %). */
const SPARSE_BELOW = 0.5;

/**
 * a (m × k) · bᵀ for a lower-triangular b (n × k), as
 * `productNT(a, m, k, b, n, false, true)` gives it, bit for bit; when a is
 * mostly zeros (and k, n even), by its non-zeros (csr_lower_nt).
 */
export function lowerProductNT(a: ArrayLike<number>, m: number, k: number, b: ArrayLike<number>, n: number): Float64Array {
  let nonZero = 0;
  for (let q = 0; q < m * k; q++) if (a[q] !== 0) nonZero++;
  if (k % 2 || n % 2 || nonZero >= SPARSE_BELOW * m * k) return productNT(a, m, k, b, n, false, true);
  const start = new Int32Array(m + 1);
  const index = new Int32Array(nonZero);
  const value = new Float64Array(nonZero);
  for (let i = 0, p = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const v = a[i * k + t];
      if (v === 0) continue;
      index[p] = t;
      value[p++] = v;
    }
    start[i + 1] = p;
  }
  const g = scratch();
  const rows = g.sparse(m, k, start, index, value);
  const bt = g.block(k * n, transpose(b, n, k));
  const c = g.block(m * n);
  g.sparseLowerProduct(rows, bt, n, c);
  return g.view(c).slice();
}

/** The transpose of the `rows × cols` row-major `x`, as float64. */
export function transpose(x: ArrayLike<number>, rows: number, cols: number, out = new Float64Array(rows * cols)): Float64Array {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  return out;
}

/** The first `length` values of `x` as a new float64 array (a typed array's own copy when it is one: no call per value). */
export function toFloat64(x: ArrayLike<number>, length: number): Float64Array {
  if (ArrayBuffer.isView(x)) return new Float64Array((x as Float32Array).subarray(0, length));
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) out[k] = x[k];
  return out;
}

/** Overwrites `a` (d × d, symmetric positive definite) with its lower Cholesky factor, upper triangle zeroed. */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const g = scratch();
  const b = g.block(d * d, a);
  const failed = g.factor(b, d);
  a.set(g.view(b));
  if (failed >= 0) throw new Error(`covariance is not positive definite (pivot ${failed}: ${a[failed * d + failed]})`);
  return a;
}

/** L⁻¹ of the lower-triangular L (d × d), lower-triangular too. */
export function lowerInverse(l: Float64Array, d: number): Float64Array {
  const g = scratch();
  const lb = g.block(d * d, l);
  const wb = g.block(d * d);
  g.invertLower(lb, wb, d);
  return g.view(wb).slice();
}

compiled();
