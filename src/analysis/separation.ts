import { ari } from '../stats/ari.ts';
import { knnAccuracy, knnAccuracyOf } from '../stats/knn.ts';
import { accuracy, fitLogistic, NotConverged, type FitReport } from '../stats/logistic.ts';
import { nmi } from '../stats/nmi.ts';
import { purity } from '../stats/purity.ts';
import { silhouette } from '../stats/silhouette.ts';
import { seededSample } from '../util/random.ts';
import type { LayerSignatures } from '../signatures/index.ts';
import { gather, pick, subset, type Context } from './context.ts';
import { REFERENCE } from './ood.ts';

/** Reference rows for k-NN: enough to be faithful, few enough for the raw pixels of large studies. */
const KNN_REFERENCE = 3000;
/** Training rows of the linear probe: a seeded sample above this, which moves its accuracy by less than its own interval. */
const PROBE_TRAIN = 5000;

export interface Separation {
  purity: { train: number; test: number };
  nmi: number;
  ari: number;
  atClasses: { purity: number; nmi: number; ari: number };
  silhouette: number | null;
  probeAccuracy: number;
  /** How the probe's fit ended (loss, gradient, iterations, C). */
  probeFit: FitReport;
  knnAccuracy: number;
}

/** The probe's L2 strength: scikit-learn's default C = 1, i.e. ‖W‖² / (2n) on the mean loss. */
export const PROBE_C = 1;

/** Question 1 at one layer: do its clusters, and its geometry, follow the labels? */
export function separation(
  ctx: Context,
  layerIndex: number,
  sig: LayerSignatures,
  time: <T>(part: string, work: () => T) => T = (_, work) => work(),
  oodNeighbours?: { k: number; rows: Int32Array },
): Separation {
  const layer = ctx.acts.layers[layerIndex];
  const { train, test } = ctx.rows;
  const { analysis } = ctx.spec;
  const labelsTrain = pick(ctx.labels, train);
  const labelsTest = pick(ctx.labels, test);
  const trainedRows = [...train, ...test];
  const all = pick(ctx.labels, trainedRows);
  const clusters = pick(sig.assignments, trainedRows);
  const atClasses = pick(sig.atClasses, trainedRows);

  const sample = seededSample(trainedRows, analysis.silhouetteSample, analysis.seed + layerIndex);
  const xTest = gather(layer, test);
  const yTest = pick(ctx.classIndex, test);
  const fit = subset(layer, train, ctx.classIndex, PROBE_TRAIN, analysis.seed + 23);
  let probe: ReturnType<typeof fitLogistic>;
  try {
    probe = time('probe', () => fitLogistic(fit.x, fit.rows.length, layer.units, fit.y, ctx.data.classes.length, { c: PROBE_C }));
  } catch (err) {
    if (err instanceof NotConverged)
      throw new Error(`the linear probe at ${layer.name} did not converge (${err.message}): its accuracy would not be the layer's`);
    throw err;
  }
  const reference = subset(layer, train, ctx.classIndex, KNN_REFERENCE, analysis.seed + 17);
  const s = time('silhouette', () => silhouette(layer.values, layer.units, ctx.labels, sample));
  return {
    purity: { train: purity(pick(sig.assignments, train), labelsTrain), test: purity(pick(sig.assignments, test), labelsTest) },
    nmi: nmi(clusters, all),
    ari: ari(clusters, all),
    atClasses: { purity: purity(atClasses, all), nmi: nmi(atClasses, all), ari: ari(atClasses, all) },
    silhouette: Number.isFinite(s) ? s : null,
    probeAccuracy: accuracy(probe, xTest, test.length, yTest),
    probeFit: probe.fit,
    knnAccuracy: time('knn accuracy', () =>
      // With every training row in both references, the out-of-distribution
      // search (test rows first among its queries) already found these neighbours.
      oodNeighbours && train.length <= Math.min(REFERENCE, KNN_REFERENCE) && reference.rows.length === train.length
        ? knnAccuracyOf(
            Int32Array.from(oodNeighbours.rows.subarray(0, test.length * oodNeighbours.k), (r) => ctx.classIndex[r]),
            oodNeighbours.k,
            yTest,
          )
        : knnAccuracy(reference.x, reference.y, xTest, yTest, layer.units, analysis.neighbours),
    ),
  };
}
