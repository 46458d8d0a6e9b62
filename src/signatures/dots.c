// Dot products of rows with centres in 128-bit WebAssembly SIMD, for
// lloyd.ts (see scripts/build-wasm.ts): the one loop k-means spends nearly
// all its time in. Float32 throughout, as scikit-learn computes on float32
// data; each row value is loaded once for four centres.

#include <wasm_simd128.h>

extern unsigned char __heap_base;
static unsigned long heap_top = 0;

/** A bump allocator: lloyd.ts allocates once per fit, and a fit gets a fresh instance. */
__attribute__((export_name("alloc"))) void *alloc(unsigned long bytes) {
  if (!heap_top) heap_top = (unsigned long)&__heap_base;
  unsigned long at = (heap_top + 15) & ~15ul;
  unsigned long end = at + bytes;
  unsigned long have = __builtin_wasm_memory_size(0) * 65536ul;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (unsigned long)-1) return 0;
  heap_top = end;
  return (void *)at;
}

static float sum4(v128_t s) {
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}

/** out[r·k + j] = x[r] · c[j] for `count` rows of `x` and the `k` rows of `c`, all `width` wide. */
__attribute__((export_name("dots"))) void dots(const float *x, int count, int width, const float *c, int k, float *out) {
  int body = width & ~3;
  for (int r = 0; r < count; r++, x += width, out += k) {
    int j = 0;
    for (; j + 4 <= k; j += 4) {
      const float *c0 = c + (unsigned long)j * width, *c1 = c0 + width, *c2 = c1 + width, *c3 = c2 + width;
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (int d = 0; d < body; d += 4) {
        v128_t v = wasm_v128_load(x + d);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(v, wasm_v128_load(c0 + d)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(v, wasm_v128_load(c1 + d)));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(v, wasm_v128_load(c2 + d)));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(v, wasm_v128_load(c3 + d)));
      }
      float t0 = sum4(s0), t1 = sum4(s1), t2 = sum4(s2), t3 = sum4(s3);
      for (int d = body; d < width; d++) {
        t0 += x[d] * c0[d];
        t1 += x[d] * c1[d];
        t2 += x[d] * c2[d];
        t3 += x[d] * c3[d];
      }
      out[j] = t0;
      out[j + 1] = t1;
      out[j + 2] = t2;
      out[j + 3] = t3;
    }
    for (; j < k; j++) {
      const float *cj = c + (unsigned long)j * width;
      v128_t s = wasm_f32x4_splat(0);
      for (int d = 0; d < body; d += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(x + d), wasm_v128_load(cj + d)));
      float t = sum4(s);
      for (int d = body; d < width; d++) t += x[d] * cj[d];
      out[j] = t;
    }
  }
}

/**
 * out[r·k + j] = x[r] · c[j] for `count` sparse rows (CSR: row r's values
 * value[start[r]…start[r+1]) at columns index[…]) and k ≤ 32 centres given
 * transposed, ct[d·32 + j] (lanes past k zero): the k-NN screen on raw
 * pixels, four fifths of them blank, does a fifth of the dense products.
 * The 32 sums stay in eight registers of four lanes.
 */
__attribute__((export_name("sparse_dots"))) void sparse_dots(const int *start, const int *index, const float *value, int count, const float *ct, int k, float *out) {
  float sums[32] __attribute__((aligned(16)));
  for (int r = 0; r < count; r++, out += k) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    for (int t = start[r]; t < start[r + 1]; t++) {
      v128_t v = wasm_f32x4_splat(value[t]);
      const float *c = ct + (long)index[t] * 32;
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(v, wasm_v128_load(c)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(v, wasm_v128_load(c + 4)));
      s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(v, wasm_v128_load(c + 8)));
      s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(v, wasm_v128_load(c + 12)));
      s4 = wasm_f32x4_add(s4, wasm_f32x4_mul(v, wasm_v128_load(c + 16)));
      s5 = wasm_f32x4_add(s5, wasm_f32x4_mul(v, wasm_v128_load(c + 20)));
      s6 = wasm_f32x4_add(s6, wasm_f32x4_mul(v, wasm_v128_load(c + 24)));
      s7 = wasm_f32x4_add(s7, wasm_f32x4_mul(v, wasm_v128_load(c + 28)));
    }
    wasm_v128_store(sums, s0);
    wasm_v128_store(sums + 4, s1);
    wasm_v128_store(sums + 8, s2);
    wasm_v128_store(sums + 12, s3);
    wasm_v128_store(sums + 16, s4);
    wasm_v128_store(sums + 20, s5);
    wasm_v128_store(sums + 24, s6);
    wasm_v128_store(sums + 28, s7);
    for (int j = 0; j < k; j++) out[j] = sums[j];
  }
}

/** Keeps u among the k smallest of o (ascending); returns the new k-th. */
static double keep_smallest(double *o, int k, double u) {
  int p = k - 1;
  while (p > 0 && o[p - 1] > u) {
    o[p] = o[p - 1];
    p--;
  }
  o[p] = u;
  return o[k - 1];
}

/**
 * The k-NN screen of src/stats/knn.ts, on the dots of n rows with `count`
 * ≤ 32 queries (row-major, `count` per row): a pair's squared distance lies
 * within s ± slack·(‖q‖² + ‖t‖²), s = ‖q‖² + ‖t‖² − 2 q·t. First each
 * query's k smallest upper bounds (upper: count × k, ascending); at least
 * k rows lie within its k-th, so only the pairs whose lower bound does not
 * exceed it can hold a neighbour: those are written to `pairs` as
 * t·count + b, ascending, and counted. Two queries per instruction: after
 * the first rows nearly every pair fails its test, so the loops are bound
 * by loads and compares.
 */
__attribute__((export_name("knn_screen"))) int knn_screen(const float *dots, int n, int count, const double *tn, const double *qn, double slack, int k, double *upper,
                                                         int *pairs) {
  // Each query's k-th smallest upper bound so far, side by side for the compares.
  double kth[32] __attribute__((aligned(16)));
  for (int i = 0; i < count * k; i++) upper[i] = __builtin_inf();
  for (int b = 0; b < count; b++) kth[b] = __builtin_inf();
  int body = count & ~1;
  v128_t two = wasm_f64x2_splat(2), sl = wasm_f64x2_splat(slack);
  for (int t = 0; t < n; t++) {
    const float *row = dots + (long)t * count;
    v128_t vt = wasm_f64x2_splat(tn[t]);
    for (int b = 0; b < body; b += 2) {
      v128_t sum = wasm_f64x2_add(wasm_v128_load(qn + b), vt);
      v128_t dot = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(row + b));
      v128_t u = wasm_f64x2_add(wasm_f64x2_sub(sum, wasm_f64x2_mul(two, dot)), wasm_f64x2_mul(sl, sum));
      int below = wasm_i64x2_bitmask(wasm_f64x2_lt(u, wasm_v128_load(kth + b)));
      if (below & 1) kth[b] = keep_smallest(upper + b * k, k, wasm_f64x2_extract_lane(u, 0));
      if (below & 2) kth[b + 1] = keep_smallest(upper + (b + 1) * k, k, wasm_f64x2_extract_lane(u, 1));
    }
    if (body < count) {
      double sum = qn[body] + tn[t];
      double u = sum - 2 * (double)row[body] + slack * sum;
      if (u < kth[body]) kth[body] = keep_smallest(upper + body * k, k, u);
    }
  }
  int m = 0;
  for (int t = 0; t < n; t++) {
    const float *row = dots + (long)t * count;
    v128_t vt = wasm_f64x2_splat(tn[t]);
    for (int b = 0; b < body; b += 2) {
      v128_t sum = wasm_f64x2_add(wasm_v128_load(qn + b), vt);
      v128_t dot = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(row + b));
      v128_t lower = wasm_f64x2_sub(wasm_f64x2_sub(sum, wasm_f64x2_mul(two, dot)), wasm_f64x2_mul(sl, sum));
      int within = wasm_i64x2_bitmask(wasm_f64x2_le(lower, wasm_v128_load(kth + b)));
      if (within & 1) pairs[m++] = t * count + b;
      if (within & 2) pairs[m++] = t * count + b + 1;
    }
    if (body < count) {
      double sum = qn[body] + tn[t];
      if (sum - 2 * (double)row[body] - slack * sum <= kth[body]) pairs[m++] = t * count + body;
    }
  }
  return m;
}

/**
 * lloyd.ts's first assignment, every row moving into its cluster: sums
 * (k × width, float64) = per label, the rows of x added in row order, as
 * moving the rows one by one adds them. float32 values widen exactly, so
 * each sum is the same bits; two columns per instruction.
 */
__attribute__((export_name("label_sums"))) void label_sums(const float *x, int n, int width, const int *labels, int k, double *sums) {
  for (long q = 0; q < (long)k * width; q++) sums[q] = 0;
  int body = width & ~1;
  for (int i = 0; i < n; i++) {
    const float *xi = x + (long)i * width;
    double *s = sums + (long)labels[i] * width;
    for (int d = 0; d < body; d += 2)
      wasm_v128_store(s + d, wasm_f64x2_add(wasm_v128_load(s + d), wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(xi + d))));
    if (body < width) s[body] += xi[body];
  }
}

/**
 * out[r] = Σ_i ‖x_i − c_r[labels_r[i]]‖² for R runs (centres: R × k ×
 * width, float64; labels: R × n), each run's sum taking its terms in row
 * then column order, by direct differences, as a plain loop does: the same
 * bits. One sum's additions wait on each other, so four runs' sums go side
 * by side, two per instruction (a last group filled up with its last run).
 */
__attribute__((export_name("inertias"))) void inertias(const float *x, int n, int width, int k, const double *centres, const int *labels, int R, double *out) {
  long size = (long)k * width;
  for (int r = 0; r < R; r += 4) {
    int r1 = r + 1 < R ? r + 1 : R - 1, r2 = r + 2 < R ? r + 2 : R - 1, r3 = r + 3 < R ? r + 3 : R - 1;
    const double *c0 = centres + r * size, *c1 = centres + r1 * size, *c2 = centres + r2 * size, *c3 = centres + r3 * size;
    const int *l0 = labels + (long)r * n, *l1 = labels + (long)r1 * n, *l2 = labels + (long)r2 * n, *l3 = labels + (long)r3 * n;
    v128_t s01 = wasm_f64x2_splat(0), s23 = s01;
    for (int i = 0; i < n; i++) {
      const float *xi = x + (long)i * width;
      const double *a0 = c0 + (long)l0[i] * width, *a1 = c1 + (long)l1[i] * width, *a2 = c2 + (long)l2[i] * width, *a3 = c3 + (long)l3[i] * width;
      for (int d = 0; d < width; d++) {
        v128_t v = wasm_f64x2_splat((double)xi[d]);
        v128_t e01 = wasm_f64x2_sub(v, wasm_f64x2_make(a0[d], a1[d]));
        v128_t e23 = wasm_f64x2_sub(v, wasm_f64x2_make(a2[d], a3[d]));
        s01 = wasm_f64x2_add(s01, wasm_f64x2_mul(e01, e01));
        s23 = wasm_f64x2_add(s23, wasm_f64x2_mul(e23, e23));
      }
    }
    double sums[4] = {wasm_f64x2_extract_lane(s01, 0), wasm_f64x2_extract_lane(s01, 1), wasm_f64x2_extract_lane(s23, 0), wasm_f64x2_extract_lane(s23, 1)};
    for (int g = 0; g < 4 && r + g < R; g++) out[r + g] = sums[g];
  }
}

/** x · c over `width` values, summed exactly as `dots` sums each of its products (so either gives the same float). */
static float dot1(const float *x, const float *c, int width) {
  int body = width & ~3;
  v128_t s = wasm_f32x4_splat(0);
  for (int d = 0; d < body; d += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(x + d), wasm_v128_load(c + d)));
  float t = sum4(s);
  for (int d = body; d < width; d++) t += x[d] * c[d];
  return t;
}

/**
 * One assignment step of lloyd.ts after the first, over the rows in order:
 * a row is skipped when Hamerly's bounds prove its centre unchanged, else
 * its distance to its own centre, and then to every centre, is computed,
 * its bounds renewed, and it moves (counts and float64 sums updated) if
 * another centre is nearer. The same arithmetic, in the same order, as the
 * JavaScript loop it replaces (Math.max is f64.max), without a call per
 * row. Returns how many rows moved; `products` is room for k floats.
 */
__attribute__((export_name("hamerly_assign"))) int hamerly_assign(const float *x, int n, int width, const float *c, int k, const double *norms, const double *centreNorms,
                                                                 const double *half, int *labels, double *upper, double *lower, int *counts, double *sums,
                                                                 float *products) {
  int changed = 0;
  for (int i = 0; i < n; i++) {
    int a = labels[i];
    double bound = __builtin_wasm_max_f64(half[a], lower[i]);
    if (upper[i] <= bound) continue;
    const float *xi = x + (long)i * width;
    upper[i] = __builtin_sqrt(__builtin_wasm_max_f64(0, norms[i] + centreNorms[a] - 2 * (double)dot1(xi, c + (long)a * width, width)));
    if (upper[i] <= bound) continue;
    dots(xi, 1, width, c, k, products);
    int best = 0;
    double bestD = centreNorms[0] - 2 * (double)products[0];
    double second = __builtin_inf();
    for (int j = 1; j < k; j++) {
      double d = centreNorms[j] - 2 * (double)products[j];
      if (d < bestD) {
        second = bestD;
        bestD = d;
        best = j;
      } else if (d < second)
        second = d;
    }
    upper[i] = __builtin_sqrt(__builtin_wasm_max_f64(0, norms[i] + bestD));
    lower[i] = __builtin_sqrt(__builtin_wasm_max_f64(0, norms[i] + second));
    if (best != a) {
      changed++;
      // The row leaves its cluster's sums and joins the other's.
      double *from = sums + (long)a * width, *to = sums + (long)best * width;
      counts[a]--;
      for (int d = 0; d < width; d++) from[d] -= xi[d];
      counts[best]++;
      for (int d = 0; d < width; d++) to[d] += xi[d];
      labels[i] = best;
    }
  }
  return changed;
}

/**
 * knn.ts's exact distances: out[p] = ‖q_b − x_t‖² for the `m` pairs
 * t·count + b that knn_screen kept, row t of x (float32, widened exactly)
 * against query b of q (float64, count × width), summed in column order
 * by direct differences as the JavaScript loop does: the same bits. Two
 * pairs side by side, since one sum's additions wait on each other.
 */
__attribute__((export_name("pair_distances"))) void pair_distances(const float *x, int width, const double *q, int count, const int *pairs, int m, double *out) {
  int p = 0;
  for (; p + 2 <= m; p += 2) {
    int t0 = pairs[p] / count, t1 = pairs[p + 1] / count;
    const float *x0 = x + (long)t0 * width, *x1 = x + (long)t1 * width;
    const double *q0 = q + (long)(pairs[p] - t0 * count) * width, *q1 = q + (long)(pairs[p + 1] - t1 * count) * width;
    double s0 = 0, s1 = 0;
    for (int j = 0; j < width; j++) {
      double e0 = q0[j] - (double)x0[j], e1 = q1[j] - (double)x1[j];
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    out[p] = s0;
    out[p + 1] = s1;
  }
  if (p < m) {
    int t = pairs[p] / count;
    const float *xt = x + (long)t * width;
    const double *qb = q + (long)(pairs[p] - t * count) * width;
    double s = 0;
    for (int j = 0; j < width; j++) {
      double e = qb[j] - (double)xt[j];
      s += e * e;
    }
    out[p] = s;
  }
}

/**
 * knn.ts's search on few columns, every pair measured: for each of `count`
 * queries (q: float64, count × width), its k nearest of the n rows of x,
 * rows in order, kept as the JavaScript loop keeps them (the k smallest
 * (distance, row): an equal later row comes after), in idx and dist at b·k,
 * and how many in found[b].
 */
__attribute__((export_name("nearest_direct"))) void nearest_direct(const float *x, int n, int width, const double *q, int count, int k, int *idx, double *dist, int *found) {
  for (int b = 0; b < count; b++) {
    const double *qb = q + (long)b * width;
    int *ib = idx + (long)b * k;
    double *db = dist + (long)b * k;
    int f = 0;
    double limit = __builtin_inf();
    for (int t = 0; t < n; t++) {
      const float *xt = x + (long)t * width;
      double s = 0;
      for (int j = 0; j < width; j++) {
        double e = qb[j] - (double)xt[j];
        s += e * e;
      }
      if (f == k && s >= limit) continue;
      int p = f == k ? k - 1 : f++;
      while (p > 0 && db[p - 1] > s) {
        db[p] = db[p - 1];
        ib[p] = ib[p - 1];
        p--;
      }
      db[p] = s;
      ib[p] = t;
      if (f == k) limit = db[k - 1];
    }
    found[b] = f;
  }
}
