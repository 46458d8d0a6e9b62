import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { idxToUnit, loadIdxFolder, type IdxSplit } from '../../src/data/idx.ts';
import { loadData } from '../../src/data/index.ts';
import type { Dataset, Split } from '../../src/data/types.ts';
import { ExperimentSpec } from '../../src/spec/schema.ts';

// The two training workloads of the benchmark: the default experiment as the
// pipeline loads it, and a Fashion-MNIST pair built the same way from the IDX
// files, so that both go through the project's own `trainModel`.

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

const emptySplit = (): Split => ({ x: new Float32Array(0), labels: new Int32Array(0), sourceIndex: new Int32Array(0), count: 0 });

/** The rows of `split` whose label is one of `classes`, at most `limit` of them. */
function selectClasses(split: IdxSplit, classes: number[], limit = Infinity): Split {
  const features = split.images.rows * split.images.cols;
  const rows: number[] = [];
  for (let i = 0; i < split.labels.count && rows.length < limit; i++) if (classes.includes(split.labels.labels[i])) rows.push(i);
  const x = new Float32Array(rows.length * features);
  rows.forEach((r, j) => x.set(idxToUnit(split.images.pixels.subarray(r * features, (r + 1) * features)), j * features));
  return { x, labels: Int32Array.from(rows, (r) => split.labels.labels[r]), sourceIndex: Int32Array.from(rows), count: rows.length };
}

/** Fashion-MNIST classes 0 vs 6, the full train split of those classes (12,000 images) and their test split (2,000). */
export function fashionWorkload(quick: boolean, epochs: number): Workload {
  const folder = loadIdxFolder(FASHION);
  const spec = ExperimentSpec.parse({
    title: 'bench',
    dataset: { classes: FASHION_CLASSES, outliers: 'none' },
    training: { epochs: quick ? 1 : epochs },
  });
  const limit = quick ? 512 : Infinity;
  const data: Dataset = {
    name: 'fashion-mnist',
    identity: folder.identity,
    width: folder.train.images.cols,
    height: folder.train.images.rows,
    features: folder.train.images.rows * folder.train.images.cols,
    classes: FASHION_CLASSES,
    probes: [],
    names: {},
    train: selectClasses(folder.train, FASHION_CLASSES, limit),
    test: selectClasses(folder.test, FASHION_CLASSES, quick ? 128 : Infinity),
    probe: emptySplit(),
  };
  return { name: `Fashion-MNIST ${FASHION_CLASSES.join(' vs ')}, full train split`, spec, data };
}
