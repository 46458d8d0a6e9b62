import { describe, expect, it } from 'vitest';
import { assignmentCost, hungarian } from '../../src/stats/hungarian.ts';
import { seededRandom } from '../../src/util/random.ts';

/** Minimum cost over every assignment of rows (≤ cols) to distinct columns. */
function bruteForce(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0].length;
  const used = new Array<boolean>(cols).fill(false);
  const go = (i: number): number => {
    if (i === rows) return 0;
    let best = Infinity;
    for (let j = 0; j < cols; j++)
      if (!used[j]) {
        used[j] = true;
        best = Math.min(best, cost[i][j] + go(i + 1));
        used[j] = false;
      }
    return best;
  };
  return go(0);
}

describe('hungarian', () => {
  it('solves a known 3 × 3 problem', () => {
    // Row 0 → column 1 (1), row 1 → column 0 (2), row 2 → column 2 (2): 5, the minimum
    // (the diagonal costs 4 + 0 + 2 = 6; each of the other four assignments costs at least 6).
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    expect(hungarian(cost)).toEqual([1, 0, 2]);
    expect(assignmentCost(cost, hungarian(cost))).toBe(5);
  });

  it('solves a known 4 × 4 problem', () => {
    // 2 + 6 + 1 + 4 = 13 (rows 0..3 → columns 1, 0, 2, 3).
    const cost = [
      [9, 2, 7, 8],
      [6, 4, 3, 7],
      [5, 8, 1, 8],
      [7, 6, 9, 4],
    ];
    expect(hungarian(cost)).toEqual([1, 0, 2, 3]);
    expect(bruteForce(cost)).toBe(13);
  });

  it('handles more columns than rows, and more rows than columns', () => {
    expect(
      hungarian([
        [5, 1, 9],
        [1, 5, 9],
      ]),
    ).toEqual([1, 0]);
    // Three rows, two columns: the rows costing least take them, row 1 is left out.
    expect(
      hungarian([
        [1, 9],
        [8, 8],
        [9, 1],
      ]),
    ).toEqual([0, -1, 1]);
  });

  it('matches clusters by shared members (negated overlap)', () => {
    // Clustering B is A with its labels renamed 0 → 2, 1 → 0, 2 → 1 and one member moved.
    const a = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const b = [2, 2, 2, 0, 0, 1, 1, 1, 1];
    const overlap = [0, 1, 2].map((i) => [0, 1, 2].map((j) => a.filter((v, k) => v === i && b[k] === j).length));
    const match = hungarian(overlap.map((row) => row.map((v) => -v)));
    expect(match).toEqual([2, 0, 1]);
    expect(
      -assignmentCost(
        overlap.map((row) => row.map((v) => -v)),
        match,
      ),
    ).toBe(8);
  });

  it('agrees with brute force on random rectangular matrices', () => {
    const random = seededRandom(9);
    for (let trial = 0; trial < 40; trial++) {
      const rows = 1 + Math.floor(random() * 5);
      const cols = rows + Math.floor(random() * 3);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(random() * 20 - 5)));
      const match = hungarian(cost);
      expect(new Set(match).size).toBe(rows);
      expect(assignmentCost(cost, match)).toBe(bruteForce(cost));
    }
  });

  it('returns nothing for an empty matrix', () => {
    expect(hungarian([])).toEqual([]);
  });
});
