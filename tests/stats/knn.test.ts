import { describe, expect, it } from 'vitest';
import { knnAccuracy, kthNeighbourDistance } from '../../src/stats/knn.ts';
import { seededRandom } from '../../src/util/random.ts';

describe('kthNeighbourDistance', () => {
  it('matches a hand computation on a line', () => {
    // Query 5 against 0, 1, 2, 10: distances 5, 4, 3, 5 → sorted 3, 4, 5, 5.
    const d = kthNeighbourDistance([0, 1, 2, 10], 4, [5], 1, 1, 2);
    expect(Array.from(d)).toEqual([4]);
    expect(kthNeighbourDistance([0, 1, 2, 10], 4, [5], 1, 1, 1)[0]).toBe(3);
    expect(kthNeighbourDistance([0, 1, 2, 10], 4, [5], 1, 1, 4)[0]).toBe(5);
  });

  it('uses Euclidean distance in several dimensions', () => {
    // (3, 4) from the origin: 5.
    expect(kthNeighbourDistance([0, 0, 100, 100], 2, [3, 4], 1, 2, 1)[0]).toBe(5);
  });

  it('agrees with sorting every distance', () => {
    const random = seededRandom(1);
    const [nTrain, nQuery, d, k] = [150, 20, 4, 7];
    const train = Float32Array.from({ length: nTrain * d }, random);
    const query = Float32Array.from({ length: nQuery * d }, random);
    const got = kthNeighbourDistance(train, nTrain, query, nQuery, d, k);
    for (let q = 0; q < nQuery; q++) {
      const all = Array.from({ length: nTrain }, (_, t) => Math.hypot(...Array.from({ length: d }, (_, j) => query[q * d + j] - train[t * d + j]))).sort(
        (a, b) => a - b,
      );
      expect(got[q]).toBeCloseTo(all[k - 1], 6);
    }
  });

  it('uses the farthest row when k exceeds the training rows', () => {
    expect(kthNeighbourDistance([0, 1], 2, [3], 1, 1, 5)[0]).toBe(3);
  });
});

describe('knnAccuracy', () => {
  it('votes by majority among the k nearest', () => {
    const train = [0, 1, 2, 10, 11, 12];
    const labels = [0, 0, 0, 1, 1, 1];
    expect(knnAccuracy(train, labels, [0.5, 11.5], [0, 1], 1, 3)).toBe(1);
    // 6.5's three nearest are 10 (3.5), then 2 and 11 (4.5 each): labels 1, 0, 1 → 1.
    expect(knnAccuracy(train, labels, [6.5], [1], 1, 3)).toBe(1);
    // 2.9 → 2, 1, 0 all label 0; wrong if the truth is 1.
    expect(knnAccuracy(train, labels, [2.9, 2.9], [0, 1], 1, 3)).toBe(0.5);
  });

  it('breaks a tied vote for the label with the nearest member', () => {
    // k = 2 at 4: nearest 3 (label 1), then 6 (label 0): a 1–1 tie goes to label 1.
    expect(knnAccuracy([6, 3], [0, 1], [4], [1], 1, 2)).toBe(1);
  });

  it('is high on separated blobs, about chance on noise labels', () => {
    const random = seededRandom(2);
    const make = (n: number) => {
      const y = Int32Array.from({ length: n }, (_, i) => i % 2);
      const x = Float64Array.from({ length: n * 3 }, (_, k) => random() + (y[Math.floor(k / 3)] ? 3 : 0));
      return { x, y };
    };
    const train = make(200);
    const test = make(100);
    expect(knnAccuracy(train.x, train.y, test.x, test.y, 3, 5)).toBe(1);
    const noise = Int32Array.from({ length: 200 }, () => (random() < 0.5 ? 1 : 0));
    expect(knnAccuracy(train.x, noise, test.x, test.y, 3, 5)).toBeGreaterThan(0.3);
    expect(knnAccuracy(train.x, noise, test.x, test.y, 3, 5)).toBeLessThan(0.7);
  });

  it('keeps the order of near-duplicates beside large norms (near-saturated softmax outputs)', () => {
    // Points at distance ~1e-7 from the query, norms ~1: ‖q‖² + ‖t‖² − 2q·t cancels there.
    const random = seededRandom(21);
    const nTrain = 400;
    const d = 2;
    const train = new Float64Array(nTrain * d);
    for (let t = 0; t < nTrain; t++) {
      const e = 1e-7 * random();
      train[t * d] = 1 - e;
      train[t * d + 1] = e;
    }
    const queries = Float64Array.from([1 - 3e-8, 3e-8, 1 - 9e-8, 9e-8]);
    for (const k of [1, 5, 20]) {
      const got = kthNeighbourDistance(train, nTrain, queries, 2, d, k);
      for (let q = 0; q < 2; q++) {
        const exact = Array.from({ length: nTrain }, (_, t) =>
          Math.sqrt((queries[q * d] - train[t * d]) ** 2 + (queries[q * d + 1] - train[t * d + 1]) ** 2),
        ).sort((a, b) => a - b);
        expect(got[q]).toBe(exact[k - 1]);
      }
    }
  });
});

describe('knnAccuracyOf', () => {
  it('gives knnAccuracy’s answer from nearestRows’ neighbours, ties included', async () => {
    const { knnAccuracy, knnAccuracyOf, nearestRows } = await import('../../src/stats/knn.ts');
    const random = seededRandom(12);
    const [n, nTest, d, k] = [80, 30, 3, 4];
    // Coarse values: many equal distances, so that tied votes and tied neighbours occur.
    const train = Float64Array.from({ length: n * d }, () => Math.floor(random() * 3));
    const y = Int32Array.from({ length: n }, () => Math.floor(random() * 3));
    const test = Float64Array.from({ length: nTest * d }, () => Math.floor(random() * 3));
    const yTest = Int32Array.from({ length: nTest }, () => Math.floor(random() * 3));
    const near = nearestRows(train, n, test, nTest, d, k);
    const labels = Int32Array.from(near.indices, (j) => y[j]);
    expect(knnAccuracyOf(labels, near.k, yTest)).toBe(knnAccuracy(train, y, test, yTest, d, k));
  });
});

describe('the screen on mostly blank rows', () => {
  it('walks the non-zeros and finds the same neighbours as a brute-force search in doubles', async () => {
    const { nearestRows } = await import('../../src/stats/knn.ts');
    const random = seededRandom(21);
    const [n, nq, d, k] = [150, 45, 37, 5];
    // A fifth of the values non-zero, as raw pixels; coarse, so that ties occur.
    const draw = () => (random() < 0.2 ? Math.ceil(random() * 4) / 4 : 0);
    const train = Float32Array.from({ length: n * d }, draw);
    const query = Float32Array.from({ length: nq * d }, draw);
    const got = nearestRows(train, n, query, nq, d, k);
    for (let q = 0; q < nq; q++) {
      const all = Array.from({ length: n }, (_, t) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (query[q * d + j] - train[t * d + j]) ** 2;
        return { t, s };
      }).sort((a, b) => a.s - b.s || a.t - b.t);
      expect(Array.from(got.indices.subarray(q * k, (q + 1) * k))).toEqual(all.slice(0, k).map((e) => e.t));
    }
  });
});

/** The k nearest by a plain loop in doubles: the k smallest (squared distance, row) pairs. */
function bruteNearest(train: ArrayLike<number>, n: number, query: ArrayLike<number>, q: number, d: number, k: number): { t: number; s: number }[] {
  return Array.from({ length: n }, (_, t) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (query[q * d + j] - train[t * d + j]) ** 2;
    return { t, s };
  })
    .sort((a, b) => a.s - b.s || a.t - b.t)
    .slice(0, k);
}

describe('nearestRows against a plain loop', () => {
  // Dense rows (the screen's dense products, the kernel's exact distances), few columns (every pair measured directly in the kernel), and coarse values for ties.
  for (const [d, coarse] of [
    [23, false],
    [23, true],
    [3, false],
    [3, true],
  ] as const) {
    it(`${d} columns${coarse ? ', many ties' : ''}: the same rows and distances`, async () => {
      const { nearestRows } = await import('../../src/stats/knn.ts');
      const random = seededRandom(d + (coarse ? 100 : 0));
      const [n, nq, k] = [173, 70, 6];
      const draw = () => (coarse ? 1 + Math.floor(random() * 3) : 0.5 + random());
      const train = Float32Array.from({ length: n * d }, draw);
      const query = Float32Array.from({ length: nq * d }, draw);
      const got = nearestRows(train, n, query, nq, d, k);
      for (let q = 0; q < nq; q++) {
        const want = bruteNearest(train, n, query, q, d, k);
        expect(Array.from(got.indices.subarray(q * k, (q + 1) * k))).toEqual(want.map((e) => e.t));
        expect(Array.from(got.distances.subarray(q * k, (q + 1) * k))).toEqual(want.map((e) => Math.sqrt(e.s)));
      }
    });
  }
});

describe('DotKernel.screen', () => {
  it('keeps exactly the pairs whose lower bound is within the query’s k-th smallest upper bound', async () => {
    const { DotKernel } = await import('../../src/signatures/dots.ts');
    const random = seededRandom(5);
    const [n, count, d, k, slack] = [97, 13, 11, 4, 1e-3];
    const x = Float32Array.from({ length: n * d }, random);
    const q = Float32Array.from({ length: count * d }, random);
    const norm = (v: Float32Array, i: number) => v.subarray(i * d, (i + 1) * d).reduce((s, e) => s + e * e, 0);
    const norms = Float64Array.from({ length: n }, (_, t) => norm(x, t));
    const queryNorms = Float64Array.from({ length: count }, (_, b) => norm(q, b));
    const kernel = new DotKernel(x, d, 32, false, { k, norms });
    kernel.setCentres(q, count);
    const dots = kernel.dots(0, n, 0, count).slice(0, n * count);
    const got = Array.from(kernel.screen(count, queryNorms, slack));
    const want: number[] = [];
    const bound = (t: number, b: number, sign: number) => {
      const sum = queryNorms[b] + norms[t];
      return sum - 2 * dots[t * count + b] + sign * slack * sum;
    };
    const kth = Array.from({ length: count }, (_, b) => Array.from({ length: n }, (_, t) => bound(t, b, 1)).sort((a, c) => a - c)[k - 1]);
    for (let t = 0; t < n; t++) for (let b = 0; b < count; b++) if (bound(t, b, -1) <= kth[b]) want.push(t * count + b);
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThanOrEqual(k * count);
  });
});
