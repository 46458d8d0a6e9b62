import { z } from 'zod';
import { fusedUnsupported } from '../model/fused/support.ts';

// The experiment file's contract. Defaults are chosen so that a minimal file
// (title, classes, probes) trains the study of the original slides.

const label = z.int().min(0).max(255);

const kChoice = z.union([z.int().min(2).max(64), z.literal('auto')]);

export const DatasetSpec = z
  .object({
    name: z
      .enum(['mnist', 'idx'])
      .default('mnist')
      .describe(
        '`mnist`: the embedded 10,000 real MNIST digits of the `mnist` package. `idx`: the IDX files (gzipped or not) of `folder`, e.g. MNIST, Fashion-MNIST or EMNIST at full size.',
      ),
    folder: z
      .string()
      .min(1)
      .optional()
      .describe(
        'With `name: idx`: the folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and their t10k- (or test-) counterparts. Relative paths start at the experiment file.',
      ),
    prefix: z.string().default('').describe('With `name: idx`: a prefix of the file names, e.g. `emnist-balanced-`.'),
    names: z
      .record(z.string().regex(/^\d+$/, 'must be a class label (a whole number)'), z.string().min(1))
      .default({})
      .describe('Display name of each class label, e.g. {0: T-shirt/top}; a label without one is shown as its number.'),
    classes: z.array(label).min(2).describe('Classes the model is trained on.'),
    probes: z.array(label).default([]).describe('Classes never trained on, passed through the model as probes.'),
    outliers: z
      .union([z.literal('none'), z.literal('fashion-mnist')], {
        error: 'must be none or fashion-mnist (auto was removed: a file must mean the same study on every machine)',
      })
      .default('none')
      .describe(
        "Far out-of-distribution probes: `fashion-mnist` takes Fashion-MNIST test images from /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist; the experiment needs it installed), `none` takes none.",
      ),
    outlierCount: z.int().min(10).max(10000).default(500),
    samplesPerClass: z
      .int()
      .min(10)
      .max(100000)
      .default(1000)
      .describe(
        'At most this many inputs per class (the embedded set has about 1,000 per digit). With `name: idx`, at most this many per class from each file: the train file gives the training split, the test file the test split and the probes.',
      ),
    testFraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.2)
      .describe('Share of each trained class held out for testing (stratified; `mnist` only: IDX datasets keep the split of their files).'),
    seed: z.int().min(0).default(1).describe('Seed of the sample selection and of the train/test split.'),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.name === 'idx' && !d.folder) ctx.addIssue({ code: 'custom', path: ['folder'], message: 'is required with name: idx (the folder of the IDX files)' });
    if (d.name === 'idx' && d.outliers === 'fashion-mnist')
      ctx.addIssue({ code: 'custom', path: ['outliers'], message: 'Fashion-MNIST outliers apply to the embedded mnist set only' });
    if (d.name === 'mnist') {
      if (d.folder) ctx.addIssue({ code: 'custom', path: ['folder'], message: 'applies only to name: idx (the embedded mnist set has no folder)' });
      [...d.classes.map((c, i) => ['classes', i, c] as const), ...d.probes.map((c, i) => ['probes', i, c] as const)].forEach(([field, i, c]) => {
        if (c > 9) ctx.addIssue({ code: 'custom', path: [field, i], message: `${c} is not a digit: the embedded mnist set has classes 0 to 9` });
      });
    }
    const seen = new Set<number>();
    d.classes.forEach((c, i) => {
      if (seen.has(c)) ctx.addIssue({ code: 'custom', path: ['classes', i], message: `class ${c} is listed twice` });
      seen.add(c);
    });
    d.probes.forEach((p, i) => {
      if (seen.has(p))
        ctx.addIssue({ code: 'custom', path: ['probes', i], message: `probe class ${p} is also a trained class (or listed twice): a probe must be unseen` });
      seen.add(p);
    });
  });

const Activation = z.enum(['relu', 'tanh', 'sigmoid', 'elu', 'selu']);

const DenseLayer = z.union([z.int().min(1).max(4096), z.object({ units: z.int().min(1).max(4096), activation: Activation.optional() }).strict()]);

const ConvLayer = z
  .object({
    filters: z.int().min(1).max(256),
    kernel: z.int().min(1).max(9).default(3).describe('Side of the square kernel; padding keeps the map size.'),
    pool: z.boolean().default(true).describe('2 × 2 max pooling after the layer.'),
    activation: Activation.optional(),
  })
  .strict();

export const ModelSpec = z
  .object({
    type: z.enum(['mlp', 'cnn']).default('mlp').describe('`mlp`: dense layers only. `cnn`: the `conv` layers first, then the dense `hidden` layers.'),
    conv: z
      .array(ConvLayer)
      .max(6)
      .default([])
      .describe(
        "With type cnn: convolutional layers, input side first. A conv layer's signature is its channels' spatially averaged activations, or with `signatures.conv` its map reduced by PCA.",
      ),
    hidden: z
      .array(DenseLayer)
      .max(12)
      .default([128, 64, 32])
      .describe('Dense hidden layers, input side first: a width, or {units, activation} to give one layer its own activation.'),
    activation: Activation.default('relu').describe('Activation of every layer that does not name its own.'),
    dropout: z
      .number()
      .min(0)
      .max(0.9)
      .default(0)
      .describe(
        'Dropout rate after each dense hidden layer while training (0: none). Signatures are read after the activation, before dropout, which is off at inference.',
      ),
    batchNorm: z.boolean().default(false).describe('Batch normalization before each activation. The signature is the activation after it.'),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.type === 'cnn' && m.conv.length === 0) ctx.addIssue({ code: 'custom', path: ['conv'], message: 'type cnn needs at least one conv layer' });
    if (m.type === 'mlp' && m.conv.length > 0) ctx.addIssue({ code: 'custom', path: ['conv'], message: 'conv layers need type: cnn' });
    if (m.type === 'mlp' && m.hidden.length === 0) ctx.addIssue({ code: 'custom', path: ['hidden'], message: 'an MLP needs at least one hidden layer' });
  });

export const TrainingSpec = z
  .object({
    epochs: z.int().min(1).max(500).default(10),
    batchSize: z.int().min(1).max(8192).default(64),
    learningRate: z.number().gt(0).lt(10).default(0.001),
    optimizer: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
    loop: z
      .enum(['auto', 'fused', 'tfjs'])
      .default('auto')
      .describe(
        "Training loop. `fused`: Chemins' MLP kernel (WebAssembly SIMD, one call per step, skips products by zero inputs). `tfjs`: TF.js on the `backend` engine. `auto`: fused for an MLP without dropout or batch normalization, else tfjs; on the webgpu engine, tfjs (on the GPU). Activations and analysis run on `backend` either way.",
      ),
    seed: z.int().min(0).default(1).describe('Seed of weight initialisation and batch order.'),
    backend: z
      .enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'])
      .default('auto')
      .describe(
        'Engine of TensorFlow.js: `auto` takes a native binding (@tensorflow/tfjs-node-gpu, then -node) when installed, else WebGPU on a hardware adapter (a GPU through its Vulkan driver), else wasm. `webgpu` trains on the GPU through Dawn (the `webgpu` package), on any adapter, a software one (lavapipe) included. The adapter is recorded in the result and part of its hash. `npm run experiments -- --backend` overrides it.',
      ),
  })
  .strict();

/** How a conv layer's map becomes its signature; see `convSignatureOf` for the default. */
const ConvSignature = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('mean') }).strict(),
    z
      .object({
        kind: z.literal('pca'),
        components: z.int().min(1).max(256).default(16).describe('Principal components kept: the width of the signature (at most the map size).'),
      })
      .strict(),
  ])
  .optional()
  .describe(
    "With type cnn: a conv layer's signature. `{kind: mean}` (the default): each channel averaged over the map, one unit per channel. `{kind: pca, components: 16}`: the flattened map projected on its top principal components, fitted on a seeded sample of at most 1,000 training inputs (`seed`); a component is not a neuron, so no specific path is computed at these layers.",
  );

export type ConvSignature = { kind: 'mean' } | { kind: 'pca'; components: number };

export const SignatureSpec = z
  .object({
    k: z
      .union([kChoice, z.array(kChoice).min(1)])
      .default(4)
      .describe('Clusters per hidden layer: one value for all layers, or one per layer; `auto` picks k by silhouette.'),
    autoRange: z
      .tuple([z.int().min(2), z.int().min(2)])
      .default([2, 8])
      .describe('Range of k tried by `auto`.'),
    restarts: z.int().min(1).max(100).default(10).describe('k-means runs with different seeds; the lowest inertia is kept.'),
    seed: z.int().min(0).default(1).describe('Seed of the k-means++ starts, and of the training sample a PCA conv signature is fitted on.'),
    conv: ConvSignature,
  })
  .strict();

export const AnalysisSpec = z
  .object({
    separationThreshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.95)
      .describe('Question 1 names the first layer whose linear-probe test accuracy reaches this (and whose NMI at k = classes reaches `nmiThreshold`).'),
    nmiThreshold: z.number().min(0).max(1).default(0.5).describe('Second condition of question 1 on the clusters at k = number of classes.'),
    topPaths: z.int().min(1).max(50).default(5).describe('How many of the most common paths are kept per class.'),
    coverage: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe("A class's specific path at a layer: the fewest neurons covering this share of its total contribution."),
    neighbours: z.int().min(1).max(100).default(5).describe('k of the k-NN accuracy and of the Deep k-NN out-of-distribution score.'),
    permutations: z.int().min(10).max(10000).default(200).describe('Label shuffles of the permutation test.'),
    silhouetteSample: z.int().min(50).max(5000).default(500),
    seed: z.int().min(0).default(1).describe('Seed of every sampling and shuffle in the analysis.'),
  })
  .strict();

export const ExperimentSpec = z
  .object({
    $schema: z.string().optional(),
    title: z
      .union([z.string().min(1), z.object({ en: z.string().min(1), fr: z.string().min(1).optional() }).strict()])
      .describe('Shown as the experiment page title: one string for both languages, or `{ en, fr }`.'),
    description: z
      .union([z.string(), z.object({ en: z.string(), fr: z.string().optional() }).strict()])
      .default('')
      .describe('Shown under the title: one string for both languages, or `{ en, fr }`.'),
    seeds: z
      .array(z.int().min(0))
      .min(1)
      .max(20)
      .optional()
      .describe('Train one model per seed (weights and batch order); every answer is then a mean with a 95 % interval across seeds. Default: [training.seed].'),
    dataset: DatasetSpec,
    model: ModelSpec.prefault({}),
    training: TrainingSpec.prefault({}),
    signatures: SignatureSpec.prefault({}),
    analysis: AnalysisSpec.prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const unfused = s.training.loop === 'fused' ? fusedUnsupported(s.model) : null;
    if (unfused) ctx.addIssue({ code: 'custom', path: ['training', 'loop'], message: `fused cannot train this model: ${unfused}; use auto or tfjs` });
    const layers = s.model.conv.length + s.model.hidden.length;
    if (Array.isArray(s.signatures.k) && s.signatures.k.length !== layers) {
      ctx.addIssue({
        code: 'custom',
        path: ['signatures', 'k'],
        message: `gives ${s.signatures.k.length} values for ${layers} hidden layers${s.model.conv.length ? ' (conv layers count)' : ''}`,
      });
    }
    if (s.seeds && new Set(s.seeds).size !== s.seeds.length) ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'lists a seed twice' });
    if (s.model.type !== 'cnn' && s.signatures.conv)
      ctx.addIssue({ code: 'custom', path: ['signatures', 'conv'], message: 'applies only to type: cnn (an MLP has no conv layer)' });
    const [lo, hi] = s.signatures.autoRange;
    if (lo > hi) ctx.addIssue({ code: 'custom', path: ['signatures', 'autoRange'], message: `lower bound ${lo} is above upper bound ${hi}` });
  });

export type ExperimentSpec = z.infer<typeof ExperimentSpec>;

/** The training seeds of an experiment, one model each. */
export function seedsOf(spec: ExperimentSpec): number[] {
  return spec.seeds ?? [spec.training.seed];
}
/** How the experiment's conv layers are read: left out, each channel's spatial mean (what results made before the choice existed used). */
export function convSignatureOf(spec: ExperimentSpec): ConvSignature {
  return spec.signatures.conv ?? { kind: 'mean' };
}
export type ExperimentInput = z.input<typeof ExperimentSpec>;

/** The k requested for hidden layer `i`. */
export function kForLayer(spec: ExperimentSpec, i: number): number | 'auto' {
  const k = spec.signatures.k;
  return Array.isArray(k) ? k[i] : k;
}
