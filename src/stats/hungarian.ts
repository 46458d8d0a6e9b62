/**
 * Minimum-cost assignment (Hungarian algorithm with potentials, O(r² c)) for a
 * rectangular cost matrix: returns, for each row, its column, or −1 for rows
 * left over when there are more rows than columns. To maximize a score (shared
 * members of two clusterings), pass its negation.
 */
export function hungarian(cost: number[][]): number[] {
  const rows = cost.length;
  const cols = rows ? cost[0].length : 0;
  if (rows === 0 || cols === 0) return new Array(rows).fill(-1);
  if (rows > cols) {
    // The algorithm needs rows ≤ cols: solve the transpose and invert it.
    const byCol = hungarian(cost[0].map((_, j) => cost.map((row) => row[j])));
    const out = new Array<number>(rows).fill(-1);
    byCol.forEach((i, j) => {
      if (i >= 0) out[i] = j;
    });
    return out;
  }
  // 1-based, with row/column 0 as the sentinel of the classic formulation.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const match = new Int32Array(cols + 1); // match[j]: row assigned to column j, 0 if none
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    match[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = match[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[match[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (match[j0] !== 0);
    do {
      const j1 = way[j0];
      match[j0] = match[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (match[j] > 0) out[match[j] - 1] = j - 1;
  return out;
}

/** Total cost of an assignment returned by `hungarian`. */
export function assignmentCost(cost: number[][], assignment: number[]): number {
  let total = 0;
  assignment.forEach((j, i) => {
    if (j >= 0) total += cost[i][j];
  });
  return total;
}
