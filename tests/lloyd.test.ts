import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../src/signatures/kmeans.ts';
import { lloyd } from '../src/signatures/lloyd.ts';
import { seededRandom } from '../src/util/random.ts';

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `n` rows around the given centres, `spread` wide; returns the rows and the true centre of each. */
function blobs(centres: number[][], n: number, spread: number, seed: number): { x: Float32Array; truth: Int32Array } {
  const random = seededRandom(seed);
  const width = centres[0].length;
  const x = new Float32Array(n * width);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % centres.length;
    truth[i] = c;
    for (let d = 0; d < width; d++) x[i * width + d] = centres[c][d] + spread * normal(random);
  }
  return { x, truth };
}

function sizes(assignments: Int32Array, k: number): number[] {
  const s = new Array(k).fill(0);
  for (const a of assignments) s[a]++;
  return s;
}

describe('lloyd k-means', () => {
  it('finds the centres of separated blobs', () => {
    const centres = [
      [0, 0, 0],
      [10, 0, 0],
      [0, 10, 0],
      [0, 0, 10],
      [10, 10, 10],
    ];
    const { x, truth } = blobs(centres, 1000, 0.5, 3);
    const r = lloyd(x, 3, null, 5, { restarts: 3, seed: 1 });
    for (const centre of centres) {
      const found = Array.from({ length: 5 }, (_, j) => Math.hypot(...centre.map((v, d) => v - r.centroids[j * 3 + d])));
      expect(Math.min(...found)).toBeLessThan(0.1);
    }
    // Every blob is one cluster, whatever the numbering.
    for (let c = 0; c < 5; c++) {
      const labels = new Set(
        Array.from(truth.keys())
          .filter((i) => truth[i] === c)
          .map((i) => r.assignments[i]),
      );
      expect(labels.size).toBe(1);
    }
  });

  it('fits only the given rows, and reports their assignments in that order', () => {
    const { x } = blobs(
      [
        [0, 0],
        [5, 5],
      ],
      200,
      0.3,
      4,
    );
    const rows = Array.from({ length: 100 }, (_, i) => 2 * i); // all from the first blob
    const r = lloyd(x, 2, rows, 1, { restarts: 1, seed: 2 });
    expect(r.assignments).toHaveLength(100);
    expect(Math.hypot(r.centroids[0], r.centroids[1])).toBeLessThan(0.15);
  });

  // Structure: twelve Gaussians of different spreads, clustered into eight.
  const width = 32;
  const random = seededRandom(11);
  const means = Array.from({ length: 12 }, () => Array.from({ length: width }, () => 1.5 * normal(random)));
  const { x } = blobs(means, 2000, 1, 12);

  it('reaches the inertia of ml-kmeans (within 0.1 %, or lower) with the same k and restarts', () => {
    const ours = lloyd(x, width, null, 8, { restarts: 5, seed: 7 });
    const theirs = fitKMeans(
      x,
      width,
      Int32Array.from({ length: 2000 }, (_, i) => i),
      8,
      5,
      7,
      'ml-kmeans',
    );
    expect(ours.inertia).toBeLessThanOrEqual(theirs.inertia * 1.001);
  });

  it('gives the same result for the same seed, with no empty cluster', () => {
    const a = lloyd(x, width, null, 8, { restarts: 3, seed: 5 });
    const b = lloyd(x, width, null, 8, { restarts: 3, seed: 5 });
    expect(b.centroids).toEqual(a.centroids);
    expect(b.assignments).toEqual(a.assignments);
    expect(b.inertia).toBe(a.inertia);
    expect(sizes(a.assignments, 8).every((s) => s > 0)).toBe(true);
    // The inertia reported is that of the assignments and centroids reported.
    let inertia = 0;
    for (let i = 0; i < 2000; i++) {
      for (let d = 0; d < width; d++) inertia += (x[i * width + d] - a.centroids[a.assignments[i] * width + d]) ** 2;
    }
    expect(a.inertia).toBeCloseTo(inertia, 0);
  });

  it("from given starts, ends where textbook Lloyd iterations end (Hamerly's bounds skip work, not steps)", () => {
    const k = 8;
    const pick = seededRandom(21);
    const start = new Float64Array(k * width);
    for (let j = 0; j < k; j++) {
      const row = Math.floor(pick() * 2000);
      start.set(x.subarray(row * width, (row + 1) * width), j * width);
    }
    // Textbook Lloyd in float64: assign every row to its nearest centre, move the centres to the means, until no label changes.
    const centres = Float64Array.from(start);
    const labels = new Int32Array(2000).fill(-1);
    let iterations = 0;
    for (let changed = true; changed; iterations++) {
      changed = false;
      for (let i = 0; i < 2000; i++) {
        let best = 0;
        let bestD = Infinity;
        for (let j = 0; j < k; j++) {
          let d2 = 0;
          for (let d = 0; d < width; d++) d2 += (x[i * width + d] - centres[j * width + d]) ** 2;
          if (d2 < bestD) [best, bestD] = [j, d2];
        }
        if (labels[i] !== best) [labels[i], changed] = [best, true];
      }
      const sums = new Float64Array(k * width);
      const counts = new Int32Array(k);
      for (let i = 0; i < 2000; i++) {
        counts[labels[i]]++;
        for (let d = 0; d < width; d++) sums[labels[i] * width + d] += x[i * width + d];
      }
      for (let j = 0; j < k * width; j++) centres[j] = sums[j] / counts[Math.floor(j / width)];
    }
    const ours = lloyd(x, width, null, k, { restarts: 1, seed: 1, tolerance: 0, starts: [start] });
    expect(ours.assignments).toEqual(labels);
    expect(ours.iterations).toBe(iterations);
    for (let j = 0; j < k * width; j++) expect(ours.centroids[j]).toBeCloseTo(centres[j], 5);
    expect(() => lloyd(x, width, null, k, { restarts: 2, seed: 1, starts: [start] })).toThrow(/starts must hold 2/);
  });

  it('keeps every cluster non-empty, even with fewer distinct rows than clusters', () => {
    // Twenty rows but five distinct values: k-means++ has to pick duplicate
    // centres, whose clusters start empty and must be refilled.
    const dup = new Float32Array(40);
    for (let i = 0; i < 20; i++) dup[2 * i] = i % 5;
    for (const seed of [1, 2, 3]) {
      const r = lloyd(dup, 2, null, 8, { restarts: 1, seed });
      expect(sizes(r.assignments, 8).every((s) => s > 0)).toBe(true);
      expect(r.inertia).toBeCloseTo(0, 6);
    }
  });

  it('rejects k larger than the rows', () => {
    expect(() => lloyd(new Float32Array(6), 2, null, 4, { restarts: 1, seed: 1 })).toThrow(/k = 4/);
  });
});

describe('the kernel’s k-means sums (dots.c)', () => {
  // Odd widths exercise the last column outside the pairs; 6 runs, a last group of four filled up.
  for (const width of [1, 7, 40])
    it(`label sums and inertias are a plain loop's, bit for bit (${width} wide)`, async () => {
      const { DotKernel } = await import('../src/signatures/dots.ts');
      const random = seededRandom(width);
      const [n, k, R] = [57, 3, 6];
      const x = Float32Array.from({ length: n * width }, () => normal(random) * 10 ** Math.floor(random() * 4));
      const runs = Array.from({ length: R }, () => ({
        centres: Float64Array.from({ length: k * width }, () => normal(random)),
        labels: Int32Array.from({ length: n }, () => Math.floor(random() * k)),
      }));
      const kernel = new DotKernel(x, width, k, false, undefined, R);
      const sums = new Float64Array(k * width);
      for (let i = 0; i < n; i++) for (let d = 0; d < width; d++) sums[runs[0].labels[i] * width + d] += x[i * width + d];
      const state = kernel.lloydState(k);
      state.labels.set(runs[0].labels);
      kernel.labelSums(k);
      expect(Array.from(state.sums)).toEqual(Array.from(sums));
      const got = kernel.inertias(runs, k);
      runs.forEach(({ centres, labels }, r) => {
        let total = 0;
        for (let i = 0; i < n; i++)
          for (let d = 0; d < width; d++) {
            const e = x[i * width + d] - centres[labels[i] * width + d];
            total += e * e;
          }
        expect(got[r]).toBe(total);
      });
    });
});

describe('nearest', () => {
  it('gives squaredDistance’s nearest centroid and distance, the first of equals, for any k', async () => {
    const { nearest } = await import('../src/signatures/kmeans.ts');
    const { squaredDistance } = await import('../src/stats/distance.ts');
    const random = seededRandom(4);
    const width = 13;
    const x = Float32Array.from({ length: 30 * width }, () => Math.round(normal(random) * 4) / 4);
    for (let k = 1; k <= 9; k++) {
      // Centroids repeated, so that equal distances occur.
      const c = Float32Array.from({ length: k * width }, (_, q) => x[(q % (2 * width)) + width]);
      for (let i = 0; i < 30; i++) {
        const d = Array.from({ length: k }, (_, j) => squaredDistance(x, i, c, j, width));
        const want = d.indexOf(Math.min(...d));
        expect(nearest(x, i, c, k, width)).toEqual({ cluster: want, distance: d[want] });
      }
    }
  });
});

describe('the kernel’s assignment step (dots.c hamerly_assign)', () => {
  for (const width of [3, 9, 64])
    it(`moves the same rows, with the same bounds and sums, as the JavaScript step it replaced (${width} wide)`, async () => {
      const { DotKernel } = await import('../src/signatures/dots.ts');
      const random = seededRandom(100 + width);
      const [n, k] = [300, 5];
      const x = Float32Array.from({ length: n * width }, () => normal(random));
      const centres = Float64Array.from({ length: k * width }, () => normal(random) * 0.5);
      const kernel = new DotKernel(x, width, k, false, undefined, 1);
      kernel.setCentres(centres, k);
      const s = kernel.lloydState(k);
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let d = 0; d < width; d++) v += x[i * width + d] * x[i * width + d];
        s.norms[i] = v;
        s.labels[i] = Math.floor(random() * k);
        // Loose bounds for some rows, tight (skipped) for others.
        s.upper[i] = random() < 0.7 ? 10 : 0;
        s.lower[i] = random();
      }
      for (let j = 0; j < k; j++) {
        let v = 0;
        for (let d = 0; d < width; d++) v += centres[j * width + d] ** 2;
        s.centreNorms[j] = v;
        s.half[j] = random() * 0.5;
      }
      for (let i = 0; i < n; i++) s.counts[s.labels[i]]++;
      kernel.labelSums(k);
      const want = { labels: s.labels.slice(), upper: s.upper.slice(), lower: s.lower.slice(), counts: s.counts.slice(), sums: s.sums.slice() };
      // The JavaScript step, on copies, with the kernel's products.
      let changed = 0;
      for (let i = 0; i < n; i++) {
        const a = want.labels[i];
        const bound = Math.max(s.half[a], want.lower[i]);
        if (want.upper[i] <= bound) continue;
        want.upper[i] = Math.sqrt(Math.max(0, s.norms[i] + s.centreNorms[a] - 2 * kernel.dots(i, 1, a, 1)[0]));
        if (want.upper[i] <= bound) continue;
        const products = kernel.dots(i, 1, 0, k);
        let best = 0;
        let bestD = s.centreNorms[0] - 2 * products[0];
        let second = Infinity;
        for (let j = 1; j < k; j++) {
          const d = s.centreNorms[j] - 2 * products[j];
          if (d < bestD) {
            second = bestD;
            bestD = d;
            best = j;
          } else if (d < second) second = d;
        }
        want.upper[i] = Math.sqrt(Math.max(0, s.norms[i] + bestD));
        want.lower[i] = Math.sqrt(Math.max(0, s.norms[i] + second));
        if (best !== a) {
          changed++;
          want.counts[a]--;
          want.counts[best]++;
          for (let d = 0; d < width; d++) {
            want.sums[a * width + d] -= x[i * width + d];
            want.sums[best * width + d] += x[i * width + d];
          }
          want.labels[i] = best;
        }
      }
      expect(changed).toBeGreaterThan(0);
      expect(kernel.hamerlyAssign(k)).toBe(changed);
      for (const key of ['labels', 'upper', 'lower', 'counts', 'sums'] as const) expect(Array.from(s[key])).toEqual(Array.from(want[key]));
    });
});

describe('fits sharing their prepared rows', () => {
  it('give the same clusterings as fits preparing their own', async () => {
    const { sharingRows } = await import('../src/signatures/lloyd.ts');
    const { x } = blobs(
      [
        [0, 0, 0, 0, 0],
        [6, 0, 0, 0, 0],
        [0, 6, 0, 0, 0],
      ],
      300,
      1.5,
      11,
    );
    const rows = Int32Array.from({ length: 250 }, (_, i) => i + 20);
    const alone = [4, 2, 3].map((k) => lloyd(x, 5, rows, k, { restarts: 4, seed: 2 }));
    const shared = sharingRows(() => [4, 2, 3].map((k) => lloyd(x, 5, rows, k, { restarts: 4, seed: 2 })));
    expect(shared).toEqual(alone);
  });
});
