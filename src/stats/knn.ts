/**
 * Training rows copied to doubles with their squared norms. A squared
 * distance is first screened as ‖q‖² + ‖t‖² − 2 q·t, its dot product over the
 * query's non-zero values only (blank pixels, silent ReLUs); that form cancels
 * when the distance is tiny beside the norms (near-saturated softmax outputs),
 * so every row that could be among the k nearest, given the screen's rounding
 * bound, is measured again by direct differences, and only direct distances
 * are ranked and returned.
 */
const EPSILON = Number.EPSILON;

interface Reference {
  x: Float64Array;
  norms: Float64Array;
  n: number;
  d: number;
}

function reference(x: ArrayLike<number>, n: number, d: number): Reference {
  const copy = Float64Array.from({ length: n * d }, (_, k) => x[k]);
  const norms = new Float64Array(n);
  for (let t = 0; t < n; t++) for (let j = 0; j < d; j++) norms[t] += copy[t * d + j] ** 2;
  return { x: copy, norms, n, d };
}

/**
 * The `k` nearest training rows of query row `q`, as indices sorted nearest
 * first, with their squared distances; `k` is small, so an insertion into a
 * sorted buffer beats sorting all the distances. Returns how many were found.
 */
function nearest(ref: Reference, query: ArrayLike<number>, q: number, k: number, idx: Int32Array, dist: Float64Array, nzIndex: Int32Array, nzValue: Float64Array): number {
  const { x, norms, n, d } = ref;
  let nz = 0;
  let queryNorm = 0;
  for (let j = 0; j < d; j++) {
    const v = query[q * d + j];
    if (v === 0) continue;
    nzIndex[nz] = j;
    nzValue[nz++] = v;
    queryNorm += v * v;
  }
  let found = 0;
  for (let t = 0; t < n; t++) {
    const to = t * d;
    let dot0 = 0;
    let dot1 = 0;
    let m = 0;
    for (; m + 2 <= nz; m += 2) {
      dot0 += nzValue[m] * x[to + nzIndex[m]];
      dot1 += nzValue[m + 1] * x[to + nzIndex[m + 1]];
    }
    if (m < nz) dot0 += nzValue[m] * x[to + nzIndex[m]];
    const screened = queryNorm + norms[t] - 2 * (dot0 + dot1);
    // |rounding of the screen| ≤ (d + 2) ε (‖q‖² + ‖t‖²), with room to spare.
    if (found === k && screened - 4 * (d + 2) * EPSILON * (queryNorm + norms[t]) > dist[k - 1]) continue;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const e = query[q * d + j] - x[to + j];
      s += e * e;
    }
    if (found === k && s >= dist[k - 1]) continue;
    let p = found < k ? found++ : k - 1;
    while (p > 0 && dist[p - 1] > s) {
      dist[p] = dist[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    dist[p] = s;
    idx[p] = t;
  }
  return found;
}

/**
 * Share of test rows whose `k` nearest training rows' majority label is their
 * own. A tied vote goes to the tied label with the nearest member.
 */
export function knnAccuracy(trainX: ArrayLike<number>, trainY: ArrayLike<number>, testX: ArrayLike<number>, testY: ArrayLike<number>, d: number, k: number): number {
  const nTrain = trainY.length;
  const nTest = testY.length;
  if (nTest === 0 || nTrain === 0) return NaN;
  const kk = Math.min(k, nTrain);
  const idx = new Int32Array(kk);
  const dist = new Float64Array(kk);
  const ref = reference(trainX, nTrain, d);
  const nzIndex = new Int32Array(d);
  const nzValue = new Float64Array(d);
  const votes = new Map<number, number>();
  let right = 0;
  for (let q = 0; q < nTest; q++) {
    const found = nearest(ref, testX, q, kk, idx, dist, nzIndex, nzValue);
    votes.clear();
    let best = trainY[idx[0]];
    let bestVotes = 0;
    for (let r = 0; r < found; r++) votes.set(trainY[idx[r]], (votes.get(trainY[idx[r]]) ?? 0) + 1);
    // Neighbours are nearest first, so the first label reaching the top count is the nearest tied one.
    for (let r = 0; r < found; r++) {
      const label = trainY[idx[r]];
      const v = votes.get(label)!;
      if (v > bestVotes) {
        best = label;
        bestVotes = v;
      }
    }
    if (best === testY[q]) right++;
  }
  return right / nTest;
}

/**
 * Distance from each query row to its `k`-th nearest training row, larger is
 * stranger: the k-NN out-of-distribution score of Sun et al. (2022, "Out-of-
 * distribution detection with deep nearest neighbors"), here on the layer's
 * activations as they are (not normalised). Queries are assumed distinct from
 * the training rows.
 */
export function kthNeighbourDistance(trainX: ArrayLike<number>, nTrain: number, queryX: ArrayLike<number>, nQuery: number, d: number, k: number): Float64Array {
  const out = new Float64Array(nQuery);
  const kk = Math.min(k, nTrain);
  if (kk < 1) return out.fill(NaN);
  const idx = new Int32Array(kk);
  const dist = new Float64Array(kk);
  const ref = reference(trainX, nTrain, d);
  const nzIndex = new Int32Array(d);
  const nzValue = new Float64Array(d);
  for (let q = 0; q < nQuery; q++) {
    nearest(ref, queryX, q, kk, idx, dist, nzIndex, nzValue);
    out[q] = Math.sqrt(dist[kk - 1]);
  }
  return out;
}
