/**
 * Contingency table of two labellings of the same items: counts[i * cols + j]
 * is the number of items with the i-th distinct value of `a` and the j-th of
 * `b`. Labels may be any numbers; only their equality matters.
 */
export function contingency(a: ArrayLike<number>, b: ArrayLike<number>): { counts: Float64Array; rows: number; cols: number; n: number } {
  if (a.length !== b.length) throw new Error(`labellings differ in length: ${a.length} vs ${b.length}`);
  const ia = indexLabels(a);
  const ib = indexLabels(b);
  const counts = new Float64Array(ia.count * ib.count);
  for (let i = 0; i < a.length; i++) counts[ia.index[i] * ib.count + ib.index[i]]++;
  return { counts, rows: ia.count, cols: ib.count, n: a.length };
}

function indexLabels(labels: ArrayLike<number>): { index: Int32Array; count: number } {
  const ids = new Map<number, number>();
  const index = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = ids.get(labels[i]);
    if (id === undefined) ids.set(labels[i], (id = ids.size));
    index[i] = id;
  }
  return { index, count: ids.size };
}

/** Row and column sums of a contingency table. */
export function margins(counts: Float64Array, rows: number, cols: number): { rowSums: Float64Array; colSums: Float64Array } {
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      rowSums[i] += counts[i * cols + j];
      colSums[j] += counts[i * cols + j];
    }
  return { rowSums, colSums };
}
