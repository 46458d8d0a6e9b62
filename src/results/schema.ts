import { z } from 'zod';
import { ExperimentSpec } from '../spec/schema.ts';

// The one contract between the pipeline and the site: the site renders only
// what this schema describes, and a result that does not match it is rebuilt.

export const RESULT_SCHEMA_VERSION = 5;

const count = z.int().min(0);
const share = z.number().min(0).max(1);
const interval = z.tuple([z.number(), z.number()]);
const num = z.number().nullable(); // null where a statistic is undefined (e.g. one class)

/**
 * How an interval was made: `seeds`, the jackknife over seeds (Student t on
 * the statistic's bounded scale); `wilson`, a share over inputs; `delong`, a
 * ROC AUC over inputs (logit scale); `bootstrap`, a percentile bootstrap over
 * inputs; `none` where no honest interval exists (see src/analysis/catalogue.ts).
 */
export const IntervalMethod = z.enum(['seeds', 'wilson', 'delong', 'bootstrap', 'none']);
export type IntervalMethod = z.infer<typeof IntervalMethod>;

/** A value across seeds: its estimate, 95 % interval (null when none), how it was made, and every seed's own value. */
export const AcrossSeeds = z.object({ mean: z.number(), interval: interval.nullable(), method: IntervalMethod, values: z.array(z.number()) });
export type AcrossSeeds = z.infer<typeof AcrossSeeds>;

/** One number of a generated statement: its text as printed, its value, and where it is stored in the result. */
export const Fact = z.object({ text: z.string(), value: z.number(), source: z.string() });
export type Fact = z.infer<typeof Fact>;

export const Answer = z.object({
  question: z.enum(['separation', 'signatures', 'unseen']),
  /** The catalogue statistic the headline number is (src/analysis/catalogue.ts). */
  statistic: z.string(),
  /** The number the answer stands on: the stored statistic's estimate. */
  value: z.number(),
  /** Its 95 % interval, the same one the tables and figures show. */
  interval: interval.nullable(),
  intervalKind: IntervalMethod,
  values: z.array(z.number()),
  /** What the number measures. */
  unit: z.string(),
  /** The layer the number is measured at, if it is a layer's (`input` for the raw pixels). */
  layer: z.string().nullable(),
  statement: z.string(),
  figure: z.string(),
  /** Every number in `statement`, with where it is stored. */
  facts: z.array(Fact),
  /**
   * The statement and unit in the site's other languages, written from the
   * same numbers: each fact has the English one's value and source, and the
   * text the translated sentence prints.
   */
  translations: z.object({ fr: z.object({ statement: z.string(), unit: z.string(), facts: z.array(Fact) }) }),
  /** Question 3: the best layer × score against the runner-up and against the raw pixels, paired over the same inputs. */
  comparisons: z
    .array(
      z.object({
        against: z.string(),
        layer: z.string(),
        score: z.string(),
        auc: z.number(),
        difference: z.number(),
        interval: interval,
        distinguishable: z.boolean(),
      }),
    )
    .optional(),
});
export type Answer = z.infer<typeof Answer>;

const Path = z.array(z.int().min(0));

export const OodScore = z.enum(['mahalanobis', 'relative-mahalanobis', 'knn', 'centroid']);

const LayerStats = z.object({
  name: z.string(),
  kind: z.enum(['input', 'hidden', 'output']),
  units: z.int(),
  k: z.int(),
  kScores: z.array(z.object({ k: z.int(), silhouette: z.number() })),
  inertia: z.number(),
  purity: z.object({ train: share, test: share }),
  nmi: z.number(),
  ari: z.number(),
  /** The same at k = number of trained classes. */
  atClasses: z.object({ purity: share, nmi: z.number(), ari: z.number() }),
  silhouette: num,
  probeAccuracy: share,
  /** How the linear probe's L-BFGS fit ended: a probe is kept only if it converged. */
  probeFit: z.object({ loss: z.number(), gradNorm: z.number(), iterations: z.int(), converged: z.boolean(), c: z.number() }),
  knnAccuracy: share,
  /** Members of each cluster by class, all inputs (probes included). */
  clusters: z.array(z.object({ cluster: z.int(), label: z.int(), count })),
  /** Out-of-distribution scores of each probe class against the trained classes' test inputs. */
  ood: z.array(z.object({ probe: z.int(), score: OodScore, auc: z.number() })),
  /** Ledoit–Wolf shrinkage intensity of the Mahalanobis covariance at this layer. */
  mahalanobisShrinkage: share,
  /** Share of each probe class whose path up to this layer no training input took. */
  leftPaths: z.array(z.object({ probe: z.int(), share })),
  /** Q2, hidden layers only: class signatures, specific paths and their differences. */
  classes: z.array(
    z.object({
      label: z.int(),
      mean: z.array(z.number()),
      spread: z.number(),
      /** Neurons covering `coverage` of the class's contribution, most first. */
      specific: z.array(z.int()),
      specificShare: share,
      /** Neurons by mean activation, most first (as many as `specific`). */
      topByActivation: z.array(z.int()),
    }),
  ),
  /** `jaccard`: null where the layer has no specific paths (`noSpecificPath`). */
  pairs: z.array(z.object({ a: z.int(), b: z.int(), cosine: z.number(), jaccard: share.nullable() })),
  /** Permutation test of the class means on the held-out test inputs; `floor` = 1/(shuffles + 1), the smallest p it can give. */
  permutation: z.object({ statistic: z.number(), p: share, floor: share }).nullable(),
  /** Between-class distance of the class means over the within-class spread (test inputs), with a bootstrap interval. */
  classDistance: z.object({ value: z.number(), interval }).nullable(),
  /** A conv layer read by PCA (`signatures.conv`): its units are components of a map of `mapUnits` values, carrying `explained` of its variance on `fitRows` training inputs. */
  reduction: z.object({ method: z.literal('pca'), mapUnits: z.int(), explained: share, fitRows: z.int() }).optional(),
  /** Why the layer has no specific paths (`specific` empty), when it has none. */
  noSpecificPath: z.string().optional(),
});
export type LayerStats = z.infer<typeof LayerStats>;

const SeedRun = z.object({
  seed: z.int(),
  training: z.object({
    history: z.array(z.object({ epoch: z.int(), loss: z.number(), accuracy: share, testLoss: z.number(), testAccuracy: share })),
    samplesPerSecond: z.number(),
    testAccuracy: share,
    confusion: z.array(z.object({ actual: z.int(), predicted: z.int(), count })),
  }),
  /** Input first for reference, every hidden layer, then the output (class probabilities). */
  layers: z.array(LayerStats),
  /** Linear CKA between every pair of `layers`, row-major. */
  cka: z.array(z.array(z.number())),
  paths: z.object({
    layers: z.array(z.string()),
    byClass: z.array(
      z.object({
        label: z.int(),
        role: z.enum(['trained', 'probe']),
        total: count,
        distinct: count,
        top: z.array(z.object({ path: Path, count, example: z.string() })),
      }),
    ),
    flows: z.array(z.object({ layer: z.int(), from: z.int(), to: z.int(), label: z.int(), count })),
    ownPathShare: z.array(z.object({ label: z.int(), share, interval, n: count })),
    /** PathFinder / Cluster Paths statistics over the trained classes' inputs. */
    stats: z.object({ distinct: count, cover90: count, weightedPurity: share, predictionAgreement: share }),
    /** How often an input's specific path is most like its own class's (test inputs), over the layers that have specific paths; null when none has. */
    specificMatch: share.nullable(),
  }),
  probes: z.array(
    z.object({
      label: z.int(),
      count,
      predicted: z.array(z.object({ label: z.int(), share, interval })),
      meanConfidence: share,
      seenPathShare: share,
      seenPathInterval: interval,
      top: z.array(z.object({ path: Path, count, seenInTraining: count })),
      /** Baselines: maximum softmax probability, and how rare the path was in training. */
      baselines: z.object({ msp: z.number(), energy: z.number().nullable(), pathRarity: z.number() }),
    }),
  ),
  /** Score distributions and ROC curves, per layer and score, for the figures. */
  oodCurves: z.array(
    z.object({
      layer: z.string(),
      probe: z.int(),
      score: z.string(),
      auc: z.number(),
      roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
      histogram: z.array(z.object({ group: z.enum(['test', 'probe']), x0: z.number(), x1: z.number(), share })),
    }),
  ),
  /** Per probe class: DeLong covariance of the AUCs of every layer × score candidate (same inputs), for paired comparisons. */
  oodCovariance: z.array(
    z.object({ probe: z.int(), candidates: z.array(z.object({ layer: z.string(), score: OodScore })), matrix: z.array(z.array(z.number())) }),
  ),
  /** First seed only: a seeded sample of inputs mapped to 2-D at every layer, by PCA and by UMAP. */
  projections: z
    .object({
      rows: z.array(z.object({ label: z.int(), split: z.enum(['test', 'probe']) })),
      umap: z.object({ neighbours: z.int(), epochs: z.int(), minDist: z.number() }),
      /** Per layer and method, the coordinates of `rows`; for PCA, the share of variance on each axis. */
      layers: z.array(
        z.object({
          layer: z.string(),
          method: z.enum(['pca', 'umap']),
          x: z.array(z.number()),
          y: z.array(z.number()),
          explained: z.tuple([share, share]).optional(),
        }),
      ),
    })
    .optional(),
  /** First seed only: example inputs (training and test) of every cluster; `images` index the shared `images` table. */
  exemplars: z
    .object({
      images: z.array(z.object({ label: z.int(), pixels: z.string() })),
      clusters: z.array(z.object({ layer: z.string(), cluster: z.int(), images: z.array(z.int().min(0)) })),
    })
    .optional(),
});
export type SeedRun = z.infer<typeof SeedRun>;

export const Result = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  id: z.string(),
  hash: z.string(),
  /** Hash of what determines the trained models alone (see trainingHash). */
  trainingHash: z.string(),
  pipelineVersion: z.string(),
  spec: ExperimentSpec,
  run: z.object({
    backend: z.string(),
    backendReason: z.string(),
    /** On the webgpu engine: the adapter (GPU and driver) that computed the result; also in `engine`, so in the hash. */
    adapter: z.object({ vendor: z.string(), architecture: z.string(), device: z.string(), description: z.string(), software: z.boolean() }).optional(),
    /** The engine and the versions that shape the numbers (part of the hash). */
    engine: z.string(),
    /** Which loop trained the models (see training.loop), and why. */
    loop: z.object({ loop: z.enum(['fused', 'tfjs']), reason: z.string() }),
    versions: z.record(z.string(), z.string()),
    createdAt: z.string(),
    /** Wall time of each stage summed over seeds, in milliseconds. */
    timings: z.record(z.string(), z.number()),
    /** What was seeded, and with what. */
    seeded: z.record(z.string(), z.string()),
    /** Seeds whose trained model was taken from the previous build, because only the clustering or analysis changed. */
    reusedTraining: z.array(z.int()),
  }),
  dataset: z.object({
    name: z.string(),
    identity: z.string(),
    width: z.int(),
    height: z.int(),
    classes: z.array(z.int()),
    /** Probe labels: unseen classes, and -1 for far outliers (Fashion-MNIST). */
    probes: z.array(z.int()),
    names: z.record(z.string(), z.string()),
    counts: z.array(z.object({ split: z.enum(['train', 'test', 'probe']), label: z.int(), count })),
    samples: z.array(z.object({ label: z.int(), split: z.enum(['train', 'test', 'probe']), index: z.int(), pixels: z.string() })),
    meanImages: z.array(z.object({ label: z.int(), pixels: z.string() })),
  }),
  seeds: z.array(z.int()),
  runs: z.array(SeedRun).min(1),
  /** Per layer, agreement between seeds (all pairs): clusters (ARI), paths (ARI) and representations (CKA). */
  stability: z.array(z.object({ layer: z.string(), clusterAri: AcrossSeeds, pathAri: AcrossSeeds, cka: AcrossSeeds, matchedOverlap: AcrossSeeds })),
  /**
   * Every catalogue statistic across seeds (src/analysis/catalogue.ts), keyed
   * by statistic id and, where it has them, layer, probe class and class: the
   * table, figures, CSVs and statements all read these.
   */
  statistics: z.array(
    z.object({ statistic: z.string(), layer: z.string().nullable(), probe: z.int().nullable(), class: z.int().nullable(), value: AcrossSeeds }),
  ),
  answers: z.array(Answer),
});
export type Result = z.infer<typeof Result>;
