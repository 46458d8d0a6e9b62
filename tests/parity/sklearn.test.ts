import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lloyd } from '../../src/signatures/lloyd.ts';
import { ari } from '../../src/stats/ari.ts';
import { rocAuc } from '../../src/stats/auc.ts';
import { kthNeighbourDistance } from '../../src/stats/knn.ts';
import { accuracy, fitLogistic, predict } from '../../src/stats/logistic.ts';
import { fitMahalanobis } from '../../src/stats/mahalanobis.ts';
import { nmi } from '../../src/stats/nmi.ts';
import { silhouette } from '../../src/stats/silhouette.ts';
import { seededRandom } from '../../src/util/random.ts';

// Chemins' statistics against scikit-learn's, on fixed small data: Debian's
// python3-sklearn at /usr/bin/python3 (CHEMINS_PYTHON overrides). Where it is
// absent the suite says so in one line and skips; in CI it must run.

const PYTHON = process.env.CHEMINS_PYTHON ?? '/usr/bin/python3';
const available = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
if (!available) {
  if (process.env.CI) throw new Error(`scikit-learn parity: ${PYTHON} cannot import sklearn, and CI must run this suite (apt-get install python3-sklearn)`);
  console.warn(`scikit-learn parity skipped: ${PYTHON} cannot import sklearn (apt-get install python3-sklearn)`);
}

const random = seededRandom(2026);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Classes centred apart in d dimensions, some features sparse like pixels or dead ReLUs. */
function classes(n: number, d: number, k: number, spread = 1.5): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y.push(c);
    for (let j = 0; j < d; j++) x.push(j % 5 === 4 ? (random() < 0.1 ? random() : 0) : (j % k === c ? spread : 0) + gauss());
  }
  return { x, y };
}

const binary = classes(300, 12, 2, 0.6);
const multi = classes(240, 10, 3, 0.8);
const lw = classes(200, 15, 3);
const sil = classes(120, 4, 3);
const labelsA = Array.from({ length: 300 }, () => Math.floor(random() * 4));
const labelsB = labelsA.map((v) => (random() < 0.3 ? Math.floor(random() * 3) : v));
const aucScores = Array.from({ length: 200 }, (_, i) => Math.round(10 * (gauss() + (i % 4 === 0 ? 1 : 0))) / 10);
const aucPositive = aucScores.map((_, i) => i % 4 === 0);
// Near-duplicates beside norms of about 1, as saturated softmax outputs are.
const knnTrain = Array.from({ length: 300 }, () => {
  const e = 1e-6 * random();
  return [1 - e, e];
}).flat();
const knnQueries = [1 - 2e-7, 2e-7, 1 - 7e-7, 7e-7, 0.9, 0.1];
const kmX = Float32Array.from(classes(300, 6, 4).x);
const kmStart = Float64Array.from(kmX.subarray(0, 4 * 6));

function peer(): Record<string, unknown> {
  const query = {
    logistic: [
      { ...binary, n: 300, d: 12, c: 1 },
      { ...multi, n: 240, d: 10, c: 1 },
      { ...multi, n: 240, d: 10, c: 0.05 },
    ],
    ledoitWolf: { ...lw, n: 200, d: 15 },
    labels: { a: labelsA, b: labelsB },
    silhouette: { x: sil.x, labels: sil.y, n: 120, d: 4 },
    auc: { scores: aucScores, positive: aucPositive },
    knn: { train: knnTrain, queries: knnQueries, d: 2, k: 5 },
    kmeans: { x: Array.from(kmX), start: Array.from(kmStart), n: 300, d: 6, k: 4 },
  };
  const run = spawnSync(PYTHON, [fileURLToPath(new URL('./peer.py', import.meta.url))], {
    input: JSON.stringify(query),
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe.skipIf(!available)('parity with scikit-learn', () => {
  const theirs = available ? peer() : {};

  it('logistic regression: the same optimum (objective) and predictions at the same L2, binary and multinomial', () => {
    const cases: [{ x: number[]; y: number[] }, number, number, number][] = [
      [binary, 12, 2, 1],
      [multi, 10, 3, 1],
      [multi, 10, 3, 0.05],
    ];
    cases.forEach(([data, d, k, c], i) => {
      const n = data.y.length;
      const model = fitLogistic(data.x, n, d, data.y, k, { c, tolerance: 1e-9 });
      const ref = (theirs.logistic as { objective: number; predictions: number[] }[])[i];
      expect(model.fit.loss).toBeCloseTo(ref.objective, 8);
      expect(model.fit.loss).toBeLessThanOrEqual(ref.objective + 1e-9);
      expect(Array.from(predict(model, data.x, n))).toEqual(ref.predictions);
      expect(accuracy(model, data.x, n, data.y)).toBeGreaterThan(0.5);
    });
  });

  it('Ledoit–Wolf shrinkage of the pooled within-class covariance', () => {
    const model = fitMahalanobis(lw.x, 200, 15, lw.y, 3);
    expect(model.shrinkage).toBeCloseTo(theirs.ledoitWolf as number, 10);
  });

  it('NMI (arithmetic normalisation), ARI, silhouette, ROC AUC with ties', () => {
    expect(nmi(labelsA, labelsB)).toBeCloseTo(theirs.nmi as number, 10);
    expect(ari(labelsA, labelsB)).toBeCloseTo(theirs.ari as number, 10);
    expect(silhouette(sil.x, 4, sil.y)).toBeCloseTo(theirs.silhouette as number, 10);
    expect(rocAuc(aucScores, aucPositive)).toBeCloseTo(theirs.auc as number, 12);
  });

  it('k-th nearest-neighbour distances, near-duplicates included', () => {
    const ours = kthNeighbourDistance(knnTrain, 300, knnQueries, 3, 2, 5);
    (theirs.knn as number[]).forEach((v, i) => expect(ours[i] / v).toBeCloseTo(1, 9));
  });

  it('k-means inertia from the same starts', () => {
    const ours = lloyd(kmX, 6, null, 4, { restarts: 1, seed: 1, tolerance: 0, starts: [kmStart] });
    expect(ours.inertia / (theirs.kmeansInertia as number)).toBeCloseTo(1, 5);
  });
});
