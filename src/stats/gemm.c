// Double-precision matrix products in 128-bit WebAssembly SIMD (f64x2 lanes),
// for gemm.ts (see scripts/build-wasm.ts): the logistic probe's logits and
// gradient, Mahalanobis' covariance and whitening, CKA's Gram matrices.
// Float64 throughout: the probe's L-BFGS stops at a 1e-6 gradient and the
// parity suite compares with scikit-learn at tight tolerances, which float32
// rounding would not reach.

#include <wasm_simd128.h>

extern unsigned char __heap_base;
static unsigned long heap_top = 0;

/** A bump allocator: gemm.ts allocates a problem's matrices, then releases them all with `reset`. */
__attribute__((export_name("alloc"))) void *alloc(unsigned long bytes) {
  if (!heap_top) heap_top = (unsigned long)&__heap_base;
  unsigned long at = (heap_top + 15) & ~15ul;
  unsigned long end = at + bytes;
  unsigned long have = __builtin_wasm_memory_size(0) * 65536ul;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (unsigned long)-1) return 0;
  heap_top = end;
  return (void *)at;
}

/** Frees everything `alloc` gave (the memory stays grown, for the next problem). */
__attribute__((export_name("reset"))) void reset(void) { heap_top = (unsigned long)&__heap_base; }

static double sum2(v128_t s) { return wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1); }

// Blocks of the inner dimension and of B's rows: a 4-row panel of A stays in
// L1 and the B block (64 rows of 256 values, 128 KiB) in L2 while every
// panel of A passes over it.
#define KC 256
#define NC 64

/** c[0..1][0..1] += a rows i, i+1 · b rows j, j+1 over `len` values (plus the scalar tail). */
static void tile4x2(const double *a, long lda, const double *b, long ldb, int len, double *c, long ldc, int rows, int cols) {
  int body = len & ~1;
  if (rows == 4 && cols == 2) {
    const double *a0 = a, *a1 = a + lda, *a2 = a1 + lda, *a3 = a2 + lda, *b0 = b, *b1 = b + ldb;
    v128_t s00 = wasm_f64x2_splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    for (int t = 0; t < body; t += 2) {
      v128_t u = wasm_v128_load(b0 + t), v = wasm_v128_load(b1 + t);
      v128_t x = wasm_v128_load(a0 + t);
      s00 = wasm_f64x2_add(s00, wasm_f64x2_mul(x, u));
      s01 = wasm_f64x2_add(s01, wasm_f64x2_mul(x, v));
      x = wasm_v128_load(a1 + t);
      s10 = wasm_f64x2_add(s10, wasm_f64x2_mul(x, u));
      s11 = wasm_f64x2_add(s11, wasm_f64x2_mul(x, v));
      x = wasm_v128_load(a2 + t);
      s20 = wasm_f64x2_add(s20, wasm_f64x2_mul(x, u));
      s21 = wasm_f64x2_add(s21, wasm_f64x2_mul(x, v));
      x = wasm_v128_load(a3 + t);
      s30 = wasm_f64x2_add(s30, wasm_f64x2_mul(x, u));
      s31 = wasm_f64x2_add(s31, wasm_f64x2_mul(x, v));
    }
    double t00 = sum2(s00), t01 = sum2(s01), t10 = sum2(s10), t11 = sum2(s11), t20 = sum2(s20), t21 = sum2(s21), t30 = sum2(s30), t31 = sum2(s31);
    if (body < len) {
      int t = body;
      t00 += a0[t] * b0[t];
      t01 += a0[t] * b1[t];
      t10 += a1[t] * b0[t];
      t11 += a1[t] * b1[t];
      t20 += a2[t] * b0[t];
      t21 += a2[t] * b1[t];
      t30 += a3[t] * b0[t];
      t31 += a3[t] * b1[t];
    }
    c[0] += t00;
    c[1] += t01;
    c[ldc] += t10;
    c[ldc + 1] += t11;
    c[2 * ldc] += t20;
    c[2 * ldc + 1] += t21;
    c[3 * ldc] += t30;
    c[3 * ldc + 1] += t31;
    return;
  }
  // Edges (fewer than 4 rows or 2 columns left): one row at a time, two
  // columns together where there are two (a one-row a, as the probe's binary
  // gradient, then still loads each of its values once for two products).
  for (int r = 0; r < rows; r++) {
    const double *x = a + r * lda, *y0 = b, *y1 = b + ldb;
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    if (cols == 2)
      for (int t = 0; t < body; t += 2) {
        v128_t v = wasm_v128_load(x + t);
        s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(v, wasm_v128_load(y0 + t)));
        s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(v, wasm_v128_load(y1 + t)));
      }
    else
      for (int t = 0; t < body; t += 2) s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(x + t), wasm_v128_load(y0 + t)));
    double v0 = sum2(s0);
    if (body < len) v0 += x[body] * y0[body];
    c[r * ldc] += v0;
    if (cols == 2) {
      double v1 = sum2(s1);
      if (body < len) v1 += x[body] * y1[body];
      c[r * ldc + 1] += v1;
    }
  }
}

/**
 * c (m × n) = a (m × k) · bᵀ (b: n × k), all row-major: every row of a
 * dotted with every row of b. Flags: LOWER computes only the blocks
 * holding entries j ≤ i (for a symmetric product, a·aᵀ, whose caller
 * mirrors them; the rest of c is left at zero); B_LOWER says b is
 * lower-triangular (row j is zero past column j), so each product stops at
 * its diagonal: whitening by L⁻¹ costs half a full product.
 */
#define LOWER 1
#define B_LOWER 2
__attribute__((export_name("gemm_nt"))) void gemm_nt(const double *a, int m, int k, const double *b, int n, double *c, int flags) {
  int lower = flags & LOWER, bLower = flags & B_LOWER;
  for (long i = 0; i < (long)m * n; i++) c[i] = 0;
  for (int k0 = 0; k0 < k; k0 += KC) {
    int len = k - k0 < KC ? k - k0 : KC;
    for (int j0 = 0; j0 < n; j0 += NC) {
      int jEnd = n - j0 < NC ? n : j0 + NC;
      for (int i = lower ? (j0 & ~3) : 0; i < m; i += 4) {
        int rows = m - i < 4 ? m - i : 4;
        int jStop = lower && i + rows < jEnd ? i + rows : jEnd;
        for (int j = j0; j < jStop; j += 2) {
          int cols = jStop - j < 2 ? jStop - j : 2;
          int use = bLower && j + cols - k0 < len ? j + cols - k0 : len;
          if (use <= 0) continue;
          tile4x2(a + (long)i * k + k0, k, b + (long)j * k + k0, k, use, c + (long)i * n + j, n, rows, cols);
        }
      }
    }
  }
}

// Sparse rows (CSR: row i's non-zeros are value[start[i]..start[i+1]) at
// columns index[…]) against a dense d × K matrix stored column-pair-wise
// (K even, row j of w holding its K values): the probe on raw pixels, four
// fifths of them blank. Each (row, class) sum adds its non-zeros in column
// order, one product and one addition at a time, as the plain loop does.

/** csr_dense for L pairs of classes (L constant after inlining): the row's sums stay in registers. */
static inline __attribute__((always_inline)) void csr_rows(const int *start, const int *index, const double *value, int n, const double *w, int K, double *out,
                                                            const int L) {
  for (int i = 0; i < n; i++, out += K) {
    v128_t s[8];
    for (int q = 0; q < L; q++) s[q] = wasm_f64x2_splat(0);
    for (int t = start[i]; t < start[i + 1]; t++) {
      v128_t v = wasm_f64x2_splat(value[t]);
      const double *row = w + (long)index[t] * K;
      for (int q = 0; q < L; q++) s[q] = wasm_f64x2_add(s[q], wasm_f64x2_mul(v, wasm_v128_load(row + 2 * q)));
    }
    for (int q = 0; q < L; q++) wasm_v128_store(out + 2 * q, s[q]);
  }
}

/** out (n × K) = rows · w, w: d × K. */
__attribute__((export_name("csr_dense"))) void csr_dense(const int *start, const int *index, const double *value, int n, const double *w, int K, double *out) {
  switch (K / 2) {
    case 1: csr_rows(start, index, value, n, w, K, out, 1); return;
    case 2: csr_rows(start, index, value, n, w, K, out, 2); return;
    case 3: csr_rows(start, index, value, n, w, K, out, 3); return;
    case 4: csr_rows(start, index, value, n, w, K, out, 4); return;
    case 5: csr_rows(start, index, value, n, w, K, out, 5); return;
    case 6: csr_rows(start, index, value, n, w, K, out, 6); return;
    case 7: csr_rows(start, index, value, n, w, K, out, 7); return;
    case 8: csr_rows(start, index, value, n, w, K, out, 8); return;
  }
  // More classes: the sums in memory.
  for (int i = 0; i < n; i++, out += K) {
    for (int c = 0; c < K; c += 2) wasm_v128_store(out + c, wasm_f64x2_splat(0));
    for (int t = start[i]; t < start[i + 1]; t++) {
      v128_t v = wasm_f64x2_splat(value[t]);
      const double *row = w + (long)index[t] * K;
      for (int c = 0; c < K; c += 2) wasm_v128_store(out + c, wasm_f64x2_add(wasm_v128_load(out + c), wasm_f64x2_mul(v, wasm_v128_load(row + c))));
    }
  }
}

/** g (d × K) = rowsᵀ · r, r: n × K; rows added in order. */
__attribute__((export_name("csr_t_dense"))) void csr_t_dense(const int *start, const int *index, const double *value, int n, int d, const double *r, int K, double *g) {
  for (long j = 0; j < (long)d * K; j++) g[j] = 0;
  for (int i = 0; i < n; i++, r += K)
    for (int t = start[i]; t < start[i + 1]; t++) {
      v128_t v = wasm_f64x2_splat(value[t]);
      double *row = g + (long)index[t] * K;
      for (int c = 0; c < K; c += 2) wasm_v128_store(row + c, wasm_f64x2_add(wasm_v128_load(row + c), wasm_f64x2_mul(v, wasm_v128_load(r + c))));
    }
}

// Mahalanobis' factorisations: O(d³) loops that ran in JavaScript on the
// 784-wide input. Row-major, so every inner sum and update runs along
// contiguous rows, two values per instruction.

static double dot(const double *x, const double *y, int len) {
  v128_t s = wasm_f64x2_splat(0);
  int t = 0;
  for (; t + 2 <= len; t += 2) s = wasm_f64x2_add(s, wasm_f64x2_mul(wasm_v128_load(x + t), wasm_v128_load(y + t)));
  double v = sum2(s);
  if (t < len) v += x[t] * y[t];
  return v;
}

/** dot(x_r, y, len) for four rows x_r at once, each summed exactly as dot() sums it: four chains instead of one, y loaded once. */
static void dot4(const double *x0, const double *x1, const double *x2, const double *x3, const double *y, int len, double *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0, s2 = s0, s3 = s0;
  int t = 0;
  for (; t + 2 <= len; t += 2) {
    v128_t v = wasm_v128_load(y + t);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(x0 + t), v));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_v128_load(x1 + t), v));
    s2 = wasm_f64x2_add(s2, wasm_f64x2_mul(wasm_v128_load(x2 + t), v));
    s3 = wasm_f64x2_add(s3, wasm_f64x2_mul(wasm_v128_load(x3 + t), v));
  }
  out[0] = sum2(s0);
  out[1] = sum2(s1);
  out[2] = sum2(s2);
  out[3] = sum2(s3);
  if (t < len) {
    out[0] += x0[t] * y[t];
    out[1] += x1[t] * y[t];
    out[2] += x2[t] * y[t];
    out[3] += x3[t] * y[t];
  }
}

/** Row i of the Cholesky factor from column `from` on (the columns before it done), its upper part zeroed: −1, or i if its pivot is not positive. */
static int cholesky_row(double *a, int d, int i, int from) {
  double *ri = a + (long)i * d;
  for (int j = from; j <= i; j++) {
    const double *rj = a + (long)j * d;
    double s = ri[j] - dot(ri, rj, j);
    if (i == j) {
      if (!(s > 0)) {
        ri[i] = s;
        return i;
      }
      ri[i] = __builtin_sqrt(s);
    } else ri[j] = s / rj[j];
  }
  for (int j = i + 1; j < d; j++) ri[j] = 0;
  return -1;
}

/**
 * Lower Cholesky factor of the symmetric positive-definite a (d × d),
 * overwriting its lower triangle and zeroing the upper. Returns −1, or the
 * first pivot that is not positive (its value left on the diagonal).
 * Rows go four at a time: their entries left of the four's diagonal block
 * need only the rows above, so four sums run side by side (one sum's
 * additions wait on each other); every entry is the same expression, the
 * same bits, as row by row.
 */
__attribute__((export_name("cholesky"))) int cholesky(double *a, int d) {
  int i = 0;
  for (; i + 4 <= d; i += 4) {
    double *r0 = a + (long)i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
    for (int j = 0; j < i; j++) {
      const double *rj = a + (long)j * d;
      double s[4];
      dot4(r0, r1, r2, r3, rj, j, s);
      r0[j] = (r0[j] - s[0]) / rj[j];
      r1[j] = (r1[j] - s[1]) / rj[j];
      r2[j] = (r2[j] - s[2]) / rj[j];
      r3[j] = (r3[j] - s[3]) / rj[j];
    }
    for (int r = i; r < i + 4; r++)
      if (cholesky_row(a, d, r, i) >= 0) return r;
  }
  for (; i < d; i++)
    if (cholesky_row(a, d, i, 0) >= 0) return i;
  return -1;
}

/** w_i[0…k] −= a · w_k[0…k], as the row-by-row inverse does it. */
static void axpy_row(double *wi, const double *wk, double a, int k) {
  v128_t va = wasm_f64x2_splat(a);
  int j = 0;
  for (; j + 2 <= k + 1; j += 2) wasm_v128_store(wi + j, wasm_f64x2_sub(wasm_v128_load(wi + j), wasm_f64x2_mul(va, wasm_v128_load(wk + j))));
  if (j <= k) wi[j] -= a * wk[j];
}

/** Row i of L⁻¹ from the rows k ≥ `from` above it on (the earlier ones applied), then scaled by its pivot. */
static void inverse_row(const double *l, double *w, int d, int i, int from) {
  const double *li = l + (long)i * d;
  double *wi = w + (long)i * d;
  for (int k = from; k < i; k++)
    if (li[k] != 0) axpy_row(wi, w + (long)k * d, li[k], k);
  double pivot = li[i];
  for (int j = 0; j < i; j++) wi[j] /= pivot;
  wi[i] = 1 / pivot;
}

/**
 * w = L⁻¹ (d × d, lower-triangular like L), row by row: w[i][j] = −Σ_{j≤k<i} L[i][k] w[k][j] / L[i][i].
 * Rows go four at a time through the rows k above them, each row k of w
 * loaded once for the four (the loop is bound by reading w); each row's
 * updates are the same, in the same order (a zero L[i][k] skipped), as row by row.
 */
__attribute__((export_name("lower_inverse"))) void lower_inverse(const double *l, double *w, int d) {
  for (long q = 0; q < (long)d * d; q++) w[q] = 0;
  int i = 0;
  for (; i + 4 <= d; i += 4) {
    const double *l0 = l + (long)i * d, *l1 = l0 + d, *l2 = l1 + d, *l3 = l2 + d;
    double *w0 = w + (long)i * d, *w1 = w0 + d, *w2 = w1 + d, *w3 = w2 + d;
    for (int k = 0; k < i; k++) {
      const double *wk = w + (long)k * d;
      double a0 = l0[k], a1 = l1[k], a2 = l2[k], a3 = l3[k];
      if (a0 != 0 && a1 != 0 && a2 != 0 && a3 != 0) {
        v128_t v0 = wasm_f64x2_splat(a0), v1 = wasm_f64x2_splat(a1), v2 = wasm_f64x2_splat(a2), v3 = wasm_f64x2_splat(a3);
        int j = 0;
        for (; j + 2 <= k + 1; j += 2) {
          v128_t u = wasm_v128_load(wk + j);
          wasm_v128_store(w0 + j, wasm_f64x2_sub(wasm_v128_load(w0 + j), wasm_f64x2_mul(v0, u)));
          wasm_v128_store(w1 + j, wasm_f64x2_sub(wasm_v128_load(w1 + j), wasm_f64x2_mul(v1, u)));
          wasm_v128_store(w2 + j, wasm_f64x2_sub(wasm_v128_load(w2 + j), wasm_f64x2_mul(v2, u)));
          wasm_v128_store(w3 + j, wasm_f64x2_sub(wasm_v128_load(w3 + j), wasm_f64x2_mul(v3, u)));
        }
        if (j <= k) {
          w0[j] -= a0 * wk[j];
          w1[j] -= a1 * wk[j];
          w2[j] -= a2 * wk[j];
          w3[j] -= a3 * wk[j];
        }
        continue;
      }
      if (a0 != 0) axpy_row(w0, wk, a0, k);
      if (a1 != 0) axpy_row(w1, wk, a1, k);
      if (a2 != 0) axpy_row(w2, wk, a2, k);
      if (a3 != 0) axpy_row(w3, wk, a3, k);
    }
    for (int r = i; r < i + 4; r++) inverse_row(l, w, d, r, i);
  }
  for (; i < d; i++) inverse_row(l, w, d, i, 0);
}

/**
 * out[c − a − 1] = ‖x_a − x_c‖ for every row c after a (x: n rows, w wide):
 * the silhouette's distances, by direct differences (no cancellation), two
 * rows c at a time against the one row a.
 */
__attribute__((export_name("distances_after"))) void distances_after(const double *x, int n, int w, int a, double *out) {
  const double *xa = x + (long)a * w;
  int body = w & ~1;
  int c = a + 1;
  for (; c + 2 <= n; c += 2) {
    const double *x0 = x + (long)c * w, *x1 = x0 + w;
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    for (int t = 0; t < body; t += 2) {
      v128_t v = wasm_v128_load(xa + t);
      v128_t e0 = wasm_f64x2_sub(v, wasm_v128_load(x0 + t));
      v128_t e1 = wasm_f64x2_sub(v, wasm_v128_load(x1 + t));
      s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(e0, e0));
      s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(e1, e1));
    }
    double t0 = sum2(s0), t1 = sum2(s1);
    if (body < w) {
      double e0 = xa[body] - x0[body], e1 = xa[body] - x1[body];
      t0 += e0 * e0;
      t1 += e1 * e1;
    }
    out[c - a - 1] = __builtin_sqrt(t0);
    out[c - a] = __builtin_sqrt(t1);
  }
  for (; c < n; c++) {
    const double *x0 = x + (long)c * w;
    v128_t s0 = wasm_f64x2_splat(0);
    for (int t = 0; t < body; t += 2) {
      v128_t e0 = wasm_f64x2_sub(wasm_v128_load(xa + t), wasm_v128_load(x0 + t));
      s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(e0, e0));
    }
    double t0 = sum2(s0);
    if (body < w) {
      double e0 = xa[body] - x0[body];
      t0 += e0 * e0;
    }
    out[c - a - 1] = __builtin_sqrt(t0);
  }
}

/**
 * sums[g·d + j] += x[i·d + j] over i = rows[0…count) in turn, g = groups[i]
 * (between.ts: class means under shuffled labels and bootstrap draws). Each
 * sum adds its rows in the same order as a plain loop: the same bits, two
 * columns per instruction. `sums` is zeroed first (G × d, G = max group + 1).
 */
__attribute__((export_name("group_sums"))) void group_sums(const double *x, int d, const int *rows, int count, const int *groups, int G, double *sums) {
  for (long q = 0; q < (long)G * d; q++) sums[q] = 0;
  int body = d & ~1;
  for (int r = 0; r < count; r++) {
    int i = rows[r];
    const double *xi = x + (long)i * d;
    double *s = sums + (long)groups[i] * d;
    for (int j = 0; j < body; j += 2) wasm_v128_store(s + j, wasm_f64x2_add(wasm_v128_load(s + j), wasm_v128_load(xi + j)));
    if (body < d) s[body] += xi[body];
  }
}

/** Σ over i = rows[0…count) of ‖x_i − means[groups[i]]‖² (the within-group spread). */
__attribute__((export_name("within_squares"))) double within_squares(const double *x, int d, const int *rows, int count, const int *groups, const double *means) {
  v128_t acc = wasm_f64x2_splat(0);
  double tail = 0;
  int body = d & ~1;
  for (int r = 0; r < count; r++) {
    int i = rows[r];
    const double *xi = x + (long)i * d, *m = means + (long)groups[i] * d;
    for (int j = 0; j < body; j += 2) {
      v128_t e = wasm_f64x2_sub(wasm_v128_load(xi + j), wasm_v128_load(m + j));
      acc = wasm_f64x2_add(acc, wasm_f64x2_mul(e, e));
    }
    if (body < d) tail += (xi[body] - m[body]) * (xi[body] - m[body]);
  }
  return sum2(acc) + tail;
}

/**
 * lane[j] += v_g · bt[t_g][j] for the `count` products (t_g ascending), in
 * that order, for j from the first t's pair on: four products per load and
 * store of the lane. b[j][t] is zero for j < t, so the columns before a
 * later t's pair get zero products, which change no sum.
 */
static void lane_updates(double *lane, const int *ts, const double *vs, int count, const double *bt, int n) {
  int g = 0;
  for (; g + 4 <= count; g += 4) {
    const double *r0 = bt + (long)ts[g] * n, *r1 = bt + (long)ts[g + 1] * n, *r2 = bt + (long)ts[g + 2] * n, *r3 = bt + (long)ts[g + 3] * n;
    v128_t v0 = wasm_f64x2_splat(vs[g]), v1 = wasm_f64x2_splat(vs[g + 1]), v2 = wasm_f64x2_splat(vs[g + 2]), v3 = wasm_f64x2_splat(vs[g + 3]);
    for (int j = ts[g] & ~1; j < n; j += 2) {
      v128_t s = wasm_v128_load(lane + j);
      s = wasm_f64x2_add(s, wasm_f64x2_mul(v0, wasm_v128_load(r0 + j)));
      s = wasm_f64x2_add(s, wasm_f64x2_mul(v1, wasm_v128_load(r1 + j)));
      s = wasm_f64x2_add(s, wasm_f64x2_mul(v2, wasm_v128_load(r2 + j)));
      s = wasm_f64x2_add(s, wasm_f64x2_mul(v3, wasm_v128_load(r3 + j)));
      wasm_v128_store(lane + j, s);
    }
  }
  for (; g < count; g++) {
    const double *row = bt + (long)ts[g] * n;
    v128_t v = wasm_f64x2_splat(vs[g]);
    for (int j = ts[g] & ~1; j < n; j += 2) wasm_v128_store(lane + j, wasm_f64x2_add(wasm_v128_load(lane + j), wasm_f64x2_mul(v, wasm_v128_load(row + j))));
  }
}

/**
 * c (m × n) = a · bᵀ for a lower-triangular b, exactly as gemm_nt(…, B_LOWER)
 * computes it, with a given by its non-zeros (CSR) and b transposed (bt:
 * k × n, bt[t·n + j] = b[j][t]): whitening raw pixels, four fifths of them
 * blank. For k and n even, gemm_nt's sum for c[i][j] is, block of KC by
 * block, (even-t lane + odd-t lane), each lane adding its products in t
 * order; here each lane adds the same products in the same order less
 * those with a zero factor, which change no sum, so c is the same, bit for
 * bit (up to the sign of an all-zero sum). The lanes of every j live in
 * `acc` (2n values), updated two columns per instruction.
 */
__attribute__((export_name("csr_lower_nt"))) void csr_lower_nt(const int *start, const int *index, const double *value, int m, int k, const double *bt, int n, double *c,
                                                             double *acc) {
  double *even = acc, *odd = acc + n;
  // One block's non-zeros of each parity: at most KC / 2 each.
  int ts[2][KC / 2];
  double vs[2][KC / 2];
  for (int i = 0; i < m; i++) {
    double *ci = c + (long)i * n;
    for (int j = 0; j < n; j++) ci[j] = 0;
    int p = start[i];
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kEnd = k - k0 < KC ? k : k0 + KC;
      // gemm_nt adds this block to the columns j ≥ k0 only (the others' b rows are zero here).
      for (int j = k0; j < n; j++) even[j] = odd[j] = 0;
      int count[2] = {0, 0};
      for (; p < start[i + 1] && index[p] < kEnd; p++) {
        int q = index[p] & 1;
        ts[q][count[q]] = index[p];
        vs[q][count[q]++] = value[p];
      }
      lane_updates(even, ts[0], vs[0], count[0], bt, n);
      lane_updates(odd, ts[1], vs[1], count[1], bt, n);
      for (int j = k0; j < n; j++) ci[j] += even[j] + odd[j];
    }
  }
}
