import { z } from 'zod';
import { ExperimentSpec } from '../spec/schema.ts';

// The one contract between the pipeline and the site: the site renders only
// what this schema describes, and a result that does not match it is rebuilt.

export const RESULT_SCHEMA_VERSION = 1;

const count = z.int().min(0);
const share = z.number().min(0).max(1);
const interval = z.tuple([z.number(), z.number()]);

export const Answer = z.object({
  question: z.enum(['separation', 'signatures', 'unseen']),
  /** The number the answer stands on, in [0, 1] unless `unit` says otherwise. */
  value: z.number(),
  interval,
  unit: z.string(),
  /** Hidden layer the answer names, if any (`input` when the raw pixels already separate). */
  layer: z.string().nullable(),
  statement: z.string(),
  figure: z.string(),
});
export type Answer = z.infer<typeof Answer>;

const Path = z.array(z.int().min(0));

export const Result = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  id: z.string(),
  hash: z.string(),
  pipelineVersion: z.string(),
  spec: ExperimentSpec,
  run: z.object({
    backend: z.string(),
    backendReason: z.string(),
    versions: z.record(z.string(), z.string()),
    createdAt: z.string(),
    /** Wall time of each stage, in milliseconds. */
    timings: z.record(z.string(), z.number()),
  }),
  dataset: z.object({
    name: z.string(),
    identity: z.string(),
    width: z.int(),
    height: z.int(),
    classes: z.array(z.int()),
    probes: z.array(z.int()),
    counts: z.array(z.object({ split: z.enum(['train', 'test', 'probe']), label: z.int(), count })),
    /** A few inputs per class, as 8-bit grey levels in base64, row-major. */
    samples: z.array(z.object({ label: z.int(), split: z.enum(['train', 'test', 'probe']), index: z.int(), pixels: z.string() })),
  }),
  training: z.object({
    history: z.array(z.object({ epoch: z.int(), loss: z.number(), accuracy: share, testLoss: z.number(), testAccuracy: share })),
    samplesPerSecond: z.number(),
    testAccuracy: share,
  }),
  /** Per layer, input first for reference, then every hidden layer. */
  layers: z.array(
    z.object({
      name: z.string(),
      units: z.int(),
      hidden: z.boolean(),
      k: z.int(),
      kScores: z.array(z.object({ k: z.int(), silhouette: z.number() })),
      inertia: z.number(),
      purity: z.object({ train: share, test: share }),
      /** Members of each cluster by class, all inputs (probes included). */
      clusters: z.array(z.object({ cluster: z.int(), label: z.int(), count })),
    }),
  ),
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
    /** Inputs moving from a cluster of one hidden layer to a cluster of the next, by class. */
    flows: z.array(z.object({ layer: z.int(), from: z.int(), to: z.int(), label: z.int(), count })),
    /** Share of each trained class's test inputs whose path is taken mostly by their own class in training. */
    ownPathShare: z.array(z.object({ label: z.int(), share, interval, n: count })),
  }),
  probes: z.array(
    z.object({
      label: z.int(),
      count,
      predicted: z.array(z.object({ label: z.int(), share, interval })),
      meanConfidence: share,
      /** Share of probes whose whole path was taken by some training input. */
      seenPathShare: share,
      seenPathInterval: interval,
      top: z.array(z.object({ path: Path, count, seenInTraining: count })),
    }),
  ),
  answers: z.array(Answer),
});
export type Result = z.infer<typeof Result>;
