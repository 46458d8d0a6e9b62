import { z } from 'zod';
import { ExperimentSpec } from '../spec/schema.ts';

// The one contract between the pipeline and the site: the site renders only
// what this schema describes, and a result that does not match it is rebuilt.

export const RESULT_SCHEMA_VERSION = 3;

const count = z.int().min(0);
const share = z.number().min(0).max(1);
const interval = z.tuple([z.number(), z.number()]);
const num = z.number().nullable(); // null where a statistic is undefined (e.g. one class)

/** A value across seeds: mean, 95 % t-interval, and every seed's own value. */
export const AcrossSeeds = z.object({ mean: z.number(), interval, values: z.array(z.number()) });
export type AcrossSeeds = z.infer<typeof AcrossSeeds>;

export const Answer = z.object({
  question: z.enum(['separation', 'signatures', 'unseen']),
  /** The number the answer stands on (mean across seeds). */
  value: z.number(),
  /** 95 % interval: across seeds when there are several; with one seed, Wilson's for a share, Hanley–McNeil's for a ROC AUC. */
  interval,
  intervalKind: z.enum(['seeds', 'wilson', 'hanley-mcneil']),
  values: z.array(z.number()),
  unit: z.string(),
  /** The layer the answer names, if any (`input` when the raw pixels already separate). */
  layer: z.string().nullable(),
  statement: z.string(),
  figure: z.string(),
});
export type Answer = z.infer<typeof Answer>;

const Path = z.array(z.int().min(0));

export const OodScore = z.enum(['centroid', 'knn', 'mahalanobis']);

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
  knnAccuracy: share,
  /** Members of each cluster by class, all inputs (probes included). */
  clusters: z.array(z.object({ cluster: z.int(), label: z.int(), count })),
  /** Out-of-distribution scores of each probe class against the trained classes' test inputs. */
  ood: z.array(z.object({ probe: z.int(), score: OodScore, auc: z.number() })),
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
  permutation: z.object({ statistic: z.number(), p: share }).nullable(),
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
    byClass: z.array(z.object({ label: z.int(), role: z.enum(['trained', 'probe']), total: count, distinct: count, top: z.array(z.object({ path: Path, count, example: z.string() })) })),
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
      baselines: z.object({ msp: z.number(), pathRarity: z.number() }),
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
  /** First seed only: a seeded sample of inputs mapped to 2-D at every layer, by PCA and by UMAP. */
  projections: z
    .object({
      rows: z.array(z.object({ label: z.int(), split: z.enum(['test', 'probe']) })),
      umap: z.object({ neighbours: z.int(), epochs: z.int(), minDist: z.number() }),
      /** Per layer and method, the coordinates of `rows`; for PCA, the share of variance on each axis. */
      layers: z.array(z.object({ layer: z.string(), method: z.enum(['pca', 'umap']), x: z.array(z.number()), y: z.array(z.number()), explained: z.tuple([share, share]).optional() })),
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
  /** Per-layer curves across seeds, for the figures: statistic → layer → mean and interval. */
  curves: z.array(z.object({ layer: z.string(), statistic: z.string(), value: AcrossSeeds })),
  answers: z.array(Answer),
});
export type Result = z.infer<typeof Result>;
