/**
 * Area under the ROC curve of `scores` for telling positives (higher scores)
 * from negatives: the Mann–Whitney probability that a random positive scores
 * above a random negative, ties counting half. NaN without both kinds.
 */
export function rocAuc(scores: ArrayLike<number>, isPositive: ArrayLike<boolean>): number {
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (isPositive[i]) positives++;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  // Each kind's scores by a native sort, walked together from the top.
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < scores.length; i++) isPositive[i] ? (pos[p++] = scores[i]) : (neg[q++] = scores[i]);
  pos.sort();
  neg.sort();
  // NaN has no place in an order: the comparison sort keeps the former behaviour.
  if (Number.isNaN(pos[positives - 1]) || Number.isNaN(neg[negatives - 1])) return rocAucByComparison(scores, isPositive, positives, negatives);
  // From the highest score down, one block of tied scores at a time: each
  // negative loses to every positive above it and ties with those beside it.
  let positivesAbove = 0;
  let wins = 0;
  for (let p = positives - 1, q = negatives - 1; p >= 0 || q >= 0; ) {
    const v = p < 0 ? neg[q] : q < 0 ? pos[p] : Math.max(pos[p], neg[q]);
    let tiedPos = 0;
    let tiedNeg = 0;
    for (; p >= 0 && pos[p] === v; p--) tiedPos++;
    for (; q >= 0 && neg[q] === v; q--) tiedNeg++;
    wins += tiedNeg * (positivesAbove + tiedPos / 2);
    positivesAbove += tiedPos;
  }
  return wins / (positives * negatives);
}

function rocAucByComparison(scores: ArrayLike<number>, isPositive: ArrayLike<boolean>, positives: number, negatives: number): number {
  const order = sortedDescending(scores);
  let positivesAbove = 0;
  let wins = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    let pos = 0;
    let neg = 0;
    while (end < order.length && scores[order[end]] === scores[order[start]]) {
      isPositive[order[end]] ? pos++ : neg++;
      end++;
    }
    wins += neg * (positivesAbove + pos / 2);
    positivesAbove += pos;
    start = end;
  }
  return wins / (positives * negatives);
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Inputs scoring at or above it are called positive; Infinity for (0, 0). */
  threshold: number;
}

/**
 * ROC curve: one point per distinct score (ties move both rates at once),
 * from (0, 0) to (1, 1), thinned to at most `maxPoints` evenly spread points.
 */
export function rocCurve(scores: ArrayLike<number>, isPositive: ArrayLike<boolean>, maxPoints = 200): RocPoint[] {
  const order = sortedDescending(scores);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (isPositive[i]) positives++;
  const negatives = scores.length - positives;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < order.length; ) {
    const threshold = scores[order[start]];
    let end = start;
    while (end < order.length && scores[order[end]] === threshold) {
      isPositive[order[end]] ? tp++ : fp++;
      end++;
    }
    points.push({ fpr: negatives ? fp / negatives : 0, tpr: positives ? tp / positives : 0, threshold });
    start = end;
  }
  const last = points[points.length - 1];
  if (last.fpr !== 1 || last.tpr !== 1) points.push({ fpr: 1, tpr: 1, threshold: -Infinity });
  return thin(points, Math.max(2, maxPoints));
}

function thin<T>(points: T[], n: number): T[] {
  if (points.length <= n) return points;
  return Array.from({ length: n }, (_, i) => points[Math.round((i * (points.length - 1)) / (n - 1))]);
}

function sortedDescending(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a]);
}

/**
 * 95 % interval of a ROC AUC from one sample, by Hanley & McNeil (1982):
 * the AUC's standard error from its value and the two group sizes, under
 * their exponential approximation. Clipped to [0, 1].
 */
export function aucInterval(auc: number, positives: number, negatives: number): [number, number] {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  const se = Math.sqrt(Math.max(0, variance));
  return [Math.max(0, auc - 1.959964 * se), Math.min(1, auc + 1.959964 * se)];
}
