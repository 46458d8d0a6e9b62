/**
 * ROC AUCs of several scores on the same inputs, with DeLong, DeLong &
 * Clarke-Pearson's (1988) covariance of the estimates: each AUC is the mean
 * of its per-input structural components, and two AUCs measured on the same
 * inputs covary through them. Computed by midranks (Sun & Xu 2014).
 */
export interface CorrelatedAucs {
  auc: number[];
  /** K × K covariance of the AUC estimates. */
  covariance: number[][];
}

/** `scores[k]` is score k of every input; `positive[i]` says whether input i is a positive (higher is more positive). */
export function delong(scores: ArrayLike<number>[], positive: ArrayLike<boolean>): CorrelatedAucs {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < positive.length; i++) (positive[i] ? pos : neg).push(i);
  const m = pos.length;
  const n = neg.length;
  const K = scores.length;
  if (m === 0 || n === 0) return { auc: new Array(K).fill(NaN), covariance: Array.from({ length: K }, () => new Array(K).fill(NaN)) };
  const v10: Float64Array[] = [];
  const v01: Float64Array[] = [];
  const auc: number[] = [];
  for (const s of scores) {
    const x = pos.map((i) => s[i]);
    const y = neg.map((i) => s[i]);
    const tx = midranks(x);
    const ty = midranks(y);
    const tz = midranks([...x, ...y]);
    const a = Float64Array.from({ length: m }, (_, i) => (tz[i] - tx[i]) / n);
    const b = Float64Array.from({ length: n }, (_, j) => 1 - (tz[m + j] - ty[j]) / m);
    v10.push(a);
    v01.push(b);
    auc.push(a.reduce((t, v) => t + v, 0) / m);
  }
  const covariance = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let a = 0; a < K; a++)
    for (let b = a; b < K; b++) {
      const c = (m > 1 ? sampleCov(v10[a], v10[b]) / m : 0) + (n > 1 ? sampleCov(v01[a], v01[b]) / n : 0);
      covariance[a][b] = covariance[b][a] = c;
    }
  return { auc, covariance };
}

/** 95 % interval of one AUC from its DeLong variance, on the logit scale so that it stays inside (0, 1). */
export function delongInterval(auc: number, variance: number, z = 1.959964): [number, number] {
  if (!Number.isFinite(auc) || !Number.isFinite(variance)) return [0, 1];
  const a = Math.min(1 - 1e-6, Math.max(1e-6, auc));
  const logit = Math.log(a / (1 - a));
  // Delta method: var(logit Â) ≈ var(Â) / (A (1 − A))².
  const se = Math.sqrt(Math.max(0, variance)) / (a * (1 - a));
  const back = (t: number) => 1 / (1 + Math.exp(-t));
  return [back(logit - z * se), back(logit + z * se)];
}

function sampleCov(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (n - 1);
}

/**
 * 1-based ranks, ties sharing their mean rank: a value's rank is midway
 * between the count of values below it and the count at most it (the two
 * ends of its run of ties), both read from a native numeric sort.
 */
export function midranks(values: number[]): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(values.length);
  // NaN has no place in an order: the comparison sort below keeps the former behaviour.
  if (values.length && Number.isNaN(sorted[sorted.length - 1])) return midranksByComparison(values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    ranks[i] = (countBelow(sorted, v, false) + countBelow(sorted, v, true) + 1) / 2;
  }
  return ranks;
}

/** How many of the ascending `sorted` are below v (or at most v, with `orEqual`). */
function countBelow(sorted: Float64Array, v: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (orEqual && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function midranksByComparison(values: number[]): Float64Array {
  const order = values.map((_, i) => i).sort((p, q) => values[p] - values[q]);
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && values[order[j]] === values[order[i]]) j++;
    const r = (i + j + 1) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    i = j;
  }
  return ranks;
}
