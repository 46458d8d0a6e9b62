import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadData } from '../../src/data/index.ts';
import type { Dataset } from '../../src/data/types.ts';
import { ExperimentSpec } from '../../src/spec/schema.ts';

// The two training workloads of the benchmark, both loaded by the pipeline's
// own `loadData` so that they reach `trainModel` exactly as an experiment's
// data would: the default experiment, and a Fashion-MNIST pair from the IDX
// files at full size.

/** The repository root, so that the bench runs the same from any directory. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_EXPERIMENT = join(ROOT, 'experiments/mnist-1-vs-7.yaml');
export const FASHION = process.env.CHEMINS_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist';
/** T-shirt/top vs shirt: the pair of Fashion-MNIST that is hardest to tell apart. */
export const FASHION_CLASSES = [0, 6];

export interface Workload {
  name: string;
  spec: ExperimentSpec;
  data: Dataset;
}

export const fashionAvailable = (): boolean => existsSync(FASHION);

/**
 * The default experiment's spec (schema defaults filled in), with far
 * outliers off: they only add probe rows, which training never reads.
 */
export function defaultSpec(overrides: { epochs?: number; samplesPerClass?: number } = {}): ExperimentSpec {
  const input = parse(readFileSync(DEFAULT_EXPERIMENT, 'utf8'));
  input.dataset = { ...input.dataset, outliers: 'none', ...(overrides.samplesPerClass ? { samplesPerClass: overrides.samplesPerClass } : {}) };
  if (overrides.epochs) input.training = { ...input.training, epochs: overrides.epochs };
  return ExperimentSpec.parse(input);
}

export function mnistWorkload(quick: boolean, epochs?: number): Workload {
  const spec = defaultSpec(quick ? { epochs: 1, samplesPerClass: 100 } : { epochs });
  return { name: `MNIST ${spec.dataset.classes.join(' vs ')} (default experiment)`, spec, data: loadData(spec.dataset) };
}

/**
 * Fashion-MNIST classes 0 (T-shirt/top) vs 6 (shirt) through the pipeline's
 * own IDX loader: the full train split of those classes (12,000 images) and
 * their test split (2,000). --quick caps each class at 256.
 */
export function fashionWorkload(quick: boolean, epochs: number): Workload {
  const spec = ExperimentSpec.parse({
    title: 'bench',
    dataset: { name: 'idx', folder: FASHION, classes: FASHION_CLASSES, samplesPerClass: quick ? 256 : 6000, outliers: 'none' },
    training: { epochs: quick ? 1 : epochs },
  });
  return { name: `Fashion-MNIST ${FASHION_CLASSES.join(' vs ')}`, spec, data: loadData(spec.dataset) };
}
