// Chemins' fused MLP training step, compiled to WebAssembly (see build-wasm.ts).
//
// Why: TF.js spends a training step of a small MLP in ~220 engine calls, most
// of the time in per-call overhead. Here one call does the whole step —
// forward, softmax cross-entropy, backward and the optimizer update — in
// 128-bit SIMD, and skips every multiplication by an exact zero: MNIST pixels
// are ~80 % zeros and ReLU outputs ~50 %, so the products shrink by as much,
// with the same result (adding 0·w changes nothing).
//
// Layout: layer l (1..L) maps n[l-1] inputs to n[l] outputs; its weights are
// row-major [n[l-1] × n[l]] (TF.js's Dense kernel layout), one row per input.

#include <wasm_simd128.h>

extern float js_exp(float);
extern float js_log(float);
extern double js_now(void);

#define MAX_LAYERS 16

enum { LINEAR = 0, RELU = 1, TANH = 2, SIGMOID = 3, ELU = 4, SELU = 5 };
enum { SGD = 0, ADAM = 1, RMSPROP = 2 };

static const float SELU_SCALE = 1.0507009873554805f;
static const float SELU_ALPHA = 1.6732632423543772f;
static const float EPSILON = 1e-7f; // TF.js's float32 epsilon, used by its optimizers

extern unsigned char __heap_base;
static unsigned long heap_top = 0;

__attribute__((export_name("alloc"))) void *alloc(unsigned long bytes) {
  if (!heap_top) heap_top = (unsigned long)&__heap_base;
  unsigned long at = (heap_top + 15) & ~15ul;
  unsigned long end = at + bytes;
  unsigned long have = __builtin_wasm_memory_size(0) * 65536ul;
  if (end > have) {
    if (__builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (unsigned long)-1) return 0;
  }
  heap_top = end;
  float *p = (float *)at;
  for (unsigned long i = 0; i < bytes / 4; i++) p[i] = 0;
  return (void *)at;
}

static int L, B, n[MAX_LAYERS + 1], act[MAX_LAYERS + 1];
static float *W[MAX_LAYERS + 1], *bias[MAX_LAYERS + 1], *dW[MAX_LAYERS + 1], *db[MAX_LAYERS + 1];
static float *m1[MAX_LAYERS + 1], *m2[MAX_LAYERS + 1], *mb1[MAX_LAYERS + 1], *mb2[MAX_LAYERS + 1];
static float *A[MAX_LAYERS + 1]; // layer outputs after activation, [B × n[l]]; A[0] is the batch
static float *G[MAX_LAYERS + 1]; // gradient of the loss at layer l's pre-activation, [B × n[l]]
static int *nzIdx[MAX_LAYERS + 1], *nzCount[MAX_LAYERS + 1]; // per row of A[l]: its non-zero columns
static int *colStart, *colRows, *colFill;                       // the same, by column (for dW)
static float *colVals;
static float beta1Power = 1, beta2Power = 1; // β1ᵗ and β2ᵗ, multiplied in float32 as TF.js does

// Where a step's time goes, for the benchmark: milliseconds per phase,
// summed while `profiling` is on (off by default: the clock is a call out).
enum { GATHER, FORWARD, LOSS, WEIGHT_GRADIENT, INPUT_GRADIENT, UPDATE, EVALUATE, PHASES };
static double phaseMs[PHASES];
static int profiling = 0;
static double mark(int phase, double since) {
  if (!profiling) return 0;
  double now = js_now();
  phaseMs[phase] += now - since;
  return now;
}

__attribute__((export_name("profile"))) double *profile(int on) {
  profiling = on;
  for (int i = 0; i < PHASES; i++) phaseMs[i] = 0;
  return phaseMs;
}

__attribute__((export_name("weights"))) float *weights(int l) { return W[l]; }
__attribute__((export_name("biases"))) float *biases(int l) { return bias[l]; }

/** Sets up a network: `layers` weighted layers, sizes[0..layers], activation code of each layer (1..layers). Returns 0 when memory ran out. */
__attribute__((export_name("setup"))) int setup(int layers, const int *sizes, const int *activations, int maxBatch) {
  L = layers;
  B = maxBatch;
  int widest = 0;
  for (int l = 0; l <= L; l++) {
    n[l] = sizes[l];
    act[l] = activations[l];
    if (n[l] > widest) widest = n[l];
  }
  for (int l = 0; l <= L; l++) {
    A[l] = alloc(4ul * B * n[l]);
    G[l] = alloc(4ul * B * n[l]);
    nzIdx[l] = alloc(4ul * B * n[l]);
    nzCount[l] = alloc(4ul * B);
    if (!A[l] || !G[l] || !nzIdx[l] || !nzCount[l]) return 0;
    if (l == 0) continue;
    unsigned long size = (unsigned long)n[l - 1] * n[l];
    W[l] = alloc(4 * size); dW[l] = alloc(4 * size); m1[l] = alloc(4 * size); m2[l] = alloc(4 * size);
    bias[l] = alloc(4ul * n[l]); db[l] = alloc(4ul * n[l]); mb1[l] = alloc(4ul * n[l]); mb2[l] = alloc(4ul * n[l]);
    if (!W[l] || !dW[l] || !m1[l] || !m2[l] || !bias[l] || !db[l] || !mb1[l] || !mb2[l]) return 0;
  }
  colStart = alloc(4ul * (widest + 1));
  colFill = alloc(4ul * (widest + 1));
  colRows = alloc(4ul * B * widest);
  colVals = alloc(4ul * B * widest);
  return colStart && colFill && colRows && colVals;
}

/** Resets the optimizer's moments (a new training run on the same network). */
__attribute__((export_name("reset"))) void reset(void) {
  for (int l = 1; l <= L; l++) {
    unsigned long size = (unsigned long)n[l - 1] * n[l];
    for (unsigned long i = 0; i < size; i++) m1[l][i] = m2[l][i] = 0;
    for (int j = 0; j < n[l]; j++) mb1[l][j] = mb2[l][j] = 0;
  }
  beta1Power = beta2Power = 1;
}

static float activate(int kind, float z) {
  switch (kind) {
    case RELU: return z > 0 ? z : 0;
    case TANH: { float e = js_exp(-2 * (z < 0 ? -z : z)); float t = (1 - e) / (1 + e); return z < 0 ? -t : t; }
    case SIGMOID: return z >= 0 ? 1 / (1 + js_exp(-z)) : js_exp(z) / (1 + js_exp(z));
    case ELU: return z > 0 ? z : js_exp(z) - 1;
    case SELU: return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (js_exp(z) - 1);
    default: return z;
  }
}

/** d activation / d z, from the activation's output y. */
static float slope(int kind, float y) {
  switch (kind) {
    case RELU: return y > 0 ? 1 : 0;
    case TANH: return 1 - y * y;
    case SIGMOID: return y * (1 - y);
    case ELU: return y > 0 ? 1 : y + 1;
    case SELU: return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    default: return 1;
  }
}

/** Records the non-zero columns of each of `rows` rows of A[l]. */
static void findNonZeros(int l, int rows) {
  int width = n[l];
  for (int r = 0; r < rows; r++) {
    const float *a = A[l] + (unsigned long)r * width;
    int *idx = nzIdx[l] + (unsigned long)r * width, c = 0;
    for (int i = 0; i < width; i++)
      if (a[i] != 0) idx[c++] = i;
    nzCount[l][r] = c;
  }
}

/** out[0..m) = bias + Σ over the row's non-zero inputs of a[i] · W[i, 0..m). */
static void denseRow(const float *a, const int *idx, int count, const float *w, const float *b, float *out, int m) {
  int j = 0;
  for (; j + 16 <= m; j += 16) {
    v128_t s0 = wasm_v128_load(b + j), s1 = wasm_v128_load(b + j + 4), s2 = wasm_v128_load(b + j + 8), s3 = wasm_v128_load(b + j + 12);
    for (int k = 0; k < count; k++) {
      int i = idx[k];
      v128_t x = wasm_f32x4_splat(a[i]);
      const float *row = w + (unsigned long)i * m + j;
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x, wasm_v128_load(row)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x, wasm_v128_load(row + 4)));
      s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(x, wasm_v128_load(row + 8)));
      s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(x, wasm_v128_load(row + 12)));
    }
    wasm_v128_store(out + j, s0); wasm_v128_store(out + j + 4, s1); wasm_v128_store(out + j + 8, s2); wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= m; j += 4) {
    v128_t s = wasm_v128_load(b + j);
    for (int k = 0; k < count; k++) {
      int i = idx[k];
      s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_splat(a[i]), wasm_v128_load(w + (unsigned long)i * m + j)));
    }
    wasm_v128_store(out + j, s);
  }
  for (; j < m; j++) {
    float s = b[j];
    for (int k = 0; k < count; k++) s += a[idx[k]] * w[(unsigned long)idx[k] * m + j];
    out[j] = s;
  }
}

/** Forward pass of `rows` rows already in A[0]; leaves the logits in A[L]. */
static void forward(int rows) {
  findNonZeros(0, rows);
  for (int l = 1; l <= L; l++) {
    int in = n[l - 1], out = n[l];
    for (int r = 0; r < rows; r++) {
      float *o = A[l] + (unsigned long)r * out;
      denseRow(A[l - 1] + (unsigned long)r * in, nzIdx[l - 1] + (unsigned long)r * in, nzCount[l - 1][r], W[l], bias[l], o, out);
      if (act[l] != LINEAR)
        for (int j = 0; j < out; j++) o[j] = activate(act[l], o[j]);
    }
    if (l < L) findNonZeros(l, rows);
  }
}

/** Softmax cross-entropy of the logits in A[L] against `labels`; writes its gradient (mean over rows) to G[L]. Returns the summed loss, and counts hits. */
static float softmaxLoss(const int *labels, int rows, int *hits) {
  int c = n[L];
  float total = 0;
  for (int r = 0; r < rows; r++) {
    const float *z = A[L] + (unsigned long)r * c;
    float *g = G[L] + (unsigned long)r * c;
    float top = z[0];
    int best = 0;
    for (int j = 1; j < c; j++)
      if (z[j] > top) { top = z[j]; best = j; }
    float sum = 0;
    for (int j = 0; j < c; j++) sum += (g[j] = js_exp(z[j] - top));
    total += js_log(sum) + top - z[labels[r]];
    if (best == labels[r]) (*hits)++;
    for (int j = 0; j < c; j++) g[j] = (g[j] / sum - (j == labels[r] ? 1.0f : 0.0f)) / rows;
  }
  return total;
}

static float dot(const float *a, const float *b, int m) {
  int j = 0;
  v128_t s = wasm_f32x4_splat(0);
  for (; j + 4 <= m; j += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(a + j), wasm_v128_load(b + j)));
  float t = wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
  for (; j < m; j++) t += a[j] * b[j];
  return t;
}

/** dW[l] = A[l-1]ᵀ · G[l] over the non-zero inputs, column by column of A[l-1]; db[l] = Σ rows of G[l]. */
static void weightGradient(int l, int rows) {
  int in = n[l - 1], out = n[l];
  const float *a = A[l - 1];
  for (int i = 0; i <= in; i++) colStart[i] = 0;
  for (int r = 0; r < rows; r++) {
    const int *idx = nzIdx[l - 1] + (unsigned long)r * in;
    for (int k = 0; k < nzCount[l - 1][r]; k++) colStart[idx[k] + 1]++;
  }
  for (int i = 0; i < in; i++) colStart[i + 1] += colStart[i];
  for (int i = 0; i < in; i++) colFill[i] = colStart[i];
  for (int r = 0; r < rows; r++) {
    const int *idx = nzIdx[l - 1] + (unsigned long)r * in;
    for (int k = 0; k < nzCount[l - 1][r]; k++) {
      int i = idx[k], at = colFill[i]++;
      colRows[at] = r;
      colVals[at] = a[(unsigned long)r * in + i];
    }
  }
  const float *g = G[l];
  for (int i = 0; i < in; i++) {
    float *d = dW[l] + (unsigned long)i * out;
    int from = colStart[i], to = colStart[i + 1], j = 0;
    for (; j + 16 <= out; j += 16) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (int k = from; k < to; k++) {
        v128_t x = wasm_f32x4_splat(colVals[k]);
        const float *row = g + (unsigned long)colRows[k] * out + j;
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x, wasm_v128_load(row)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x, wasm_v128_load(row + 4)));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(x, wasm_v128_load(row + 8)));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(x, wasm_v128_load(row + 12)));
      }
      wasm_v128_store(d + j, s0); wasm_v128_store(d + j + 4, s1); wasm_v128_store(d + j + 8, s2); wasm_v128_store(d + j + 12, s3);
    }
    for (; j + 4 <= out; j += 4) {
      v128_t s = wasm_f32x4_splat(0);
      for (int k = from; k < to; k++) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_splat(colVals[k]), wasm_v128_load(g + (unsigned long)colRows[k] * out + j)));
      wasm_v128_store(d + j, s);
    }
    for (; j < out; j++) {
      float s = 0;
      for (int k = from; k < to; k++) s += colVals[k] * g[(unsigned long)colRows[k] * out + j];
      d[j] = s;
    }
  }
  for (int j = 0; j < out; j++) db[l][j] = 0;
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < out; j++) db[l][j] += g[(unsigned long)r * out + j];
}

/** G[l-1] = (G[l] · W[l]ᵀ) ⊙ slope of layer l-1's activation; where ReLU was off, the product is skipped. */
static void inputGradient(int l, int rows) {
  int in = n[l - 1], out = n[l];
  for (int r = 0; r < rows; r++) {
    const float *g = G[l] + (unsigned long)r * out, *a = A[l - 1] + (unsigned long)r * in;
    float *gi = G[l - 1] + (unsigned long)r * in;
    if (act[l - 1] == RELU) {
      for (int i = 0; i < in; i++) gi[i] = 0;
      const int *idx = nzIdx[l - 1] + (unsigned long)r * in;
      for (int k = 0; k < nzCount[l - 1][r]; k++) {
        int i = idx[k];
        gi[i] = a[i] > 0 ? dot(W[l] + (unsigned long)i * out, g, out) : 0;
      }
    } else {
      for (int i = 0; i < in; i++) gi[i] = slope(act[l - 1], a[i]) * dot(W[l] + (unsigned long)i * out, g, out);
    }
  }
}

static void update(float *w, const float *g, float *s1, float *s2, unsigned long size, int optimizer, float lr, float c1, float c2) {
  unsigned long i = 0;
  if (optimizer == ADAM) {
    // TF.js's Adam: m ← β1 m + (1-β1) g; v ← β2 v + (1-β2) g²; w ← w − lr · (m / (1-β1ᵗ)) / (√(v / (1-β2ᵗ)) + ε)
    v128_t b1 = wasm_f32x4_splat(0.9f), b2 = wasm_f32x4_splat(0.999f), o1 = wasm_f32x4_splat(0.1f), o2 = wasm_f32x4_splat(0.001f);
    v128_t k1 = wasm_f32x4_splat(c1), k2 = wasm_f32x4_splat(c2), eps = wasm_f32x4_splat(EPSILON), rate = wasm_f32x4_splat(lr);
    for (; i + 4 <= size; i += 4) {
      v128_t gv = wasm_v128_load(g + i);
      v128_t m = wasm_f32x4_add(wasm_f32x4_mul(b1, wasm_v128_load(s1 + i)), wasm_f32x4_mul(o1, gv));
      v128_t v = wasm_f32x4_add(wasm_f32x4_mul(b2, wasm_v128_load(s2 + i)), wasm_f32x4_mul(o2, wasm_f32x4_mul(gv, gv)));
      wasm_v128_store(s1 + i, m);
      wasm_v128_store(s2 + i, v);
      v128_t stepv = wasm_f32x4_div(wasm_f32x4_div(m, k1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(v, k2)), eps));
      wasm_v128_store(w + i, wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(rate, stepv)));
    }
    for (; i < size; i++) {
      s1[i] = 0.9f * s1[i] + 0.1f * g[i];
      s2[i] = 0.999f * s2[i] + 0.001f * g[i] * g[i];
      w[i] -= lr * ((s1[i] / c1) / (__builtin_sqrtf(s2[i] / c2) + EPSILON));
    }
  } else if (optimizer == RMSPROP) {
    // TF.js's RMSProp (decay 0.9, no momentum, not centred): s ← 0.9 s + 0.1 g²; w ← w − lr · g / √(s + ε)
    for (; i < size; i++) {
      s1[i] = 0.9f * s1[i] + 0.1f * g[i] * g[i];
      w[i] -= lr * g[i] / __builtin_sqrtf(s1[i] + EPSILON);
    }
  } else {
    for (; i < size; i++) w[i] -= lr * g[i];
  }
}

/** Copies rows `order[0..rows)` of `x` (features wide) into A[0]. */
static void gather(const float *x, const int *order, int rows) {
  int f = n[0];
  for (int r = 0; r < rows; r++) {
    const float *from = x + (unsigned long)order[r] * f;
    float *to = A[0] + (unsigned long)r * f;
    for (int i = 0; i < f; i++) to[i] = from[i];
  }
}

/**
 * One training step on rows `order[0..rows)` of `x` with their `labels`:
 * forward, loss, backward, update. Returns the summed loss of the batch.
 */
__attribute__((export_name("step"))) float step(const float *x, const int *labels, const int *order, int rows, int optimizer, float lr) {
  double t = profiling ? js_now() : 0;
  gather(x, order, rows);
  int batchLabels[8192];
  for (int r = 0; r < rows; r++) batchLabels[r] = labels[order[r]];
  t = mark(GATHER, t);
  forward(rows);
  t = mark(FORWARD, t);
  int hits = 0;
  float loss = softmaxLoss(batchLabels, rows, &hits);
  t = mark(LOSS, t);
  for (int l = L; l >= 1; l--) {
    weightGradient(l, rows);
    t = mark(WEIGHT_GRADIENT, t);
    if (l > 1) inputGradient(l, rows);
    t = mark(INPUT_GRADIENT, t);
  }
  beta1Power *= 0.9f;
  beta2Power *= 0.999f;
  float c1 = 1 - beta1Power, c2 = 1 - beta2Power;
  for (int l = 1; l <= L; l++) {
    update(W[l], dW[l], m1[l], m2[l], (unsigned long)n[l - 1] * n[l], optimizer, lr, c1, c2);
    update(bias[l], db[l], mb1[l], mb2[l], n[l], optimizer, lr, c1, c2);
  }
  mark(UPDATE, t);
  return loss;
}

/** Summed loss and hits of the model on `count` rows of `x` (no update): out[0] = loss, out[1] = hits. */
__attribute__((export_name("evaluate"))) void evaluate(const float *x, const int *labels, int count, float *out) {
  double t = profiling ? js_now() : 0;
  float loss = 0;
  int hits = 0, order[8192];
  for (int start = 0; start < count; start += B) {
    int rows = count - start < B ? count - start : B;
    for (int r = 0; r < rows; r++) order[r] = start + r;
    gather(x, order, rows);
    forward(rows);
    loss += softmaxLoss(labels + start, rows, &hits);
  }
  out[0] = loss;
  out[1] = (float)hits;
  mark(EVALUATE, t);
}
