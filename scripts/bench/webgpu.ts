import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadData } from '../../src/data/index.ts';
import { adapterName } from '../../src/engine/adapter.ts';
import { selectEngine } from '../../src/engine/index.ts';
import { trainModel } from '../../src/model/train.ts';
import { ExperimentSpec } from '../../src/spec/schema.ts';
import { clocks } from './clock.ts';
import { DEFAULT_EXPERIMENT, FASHION, FASHION_CLASSES, ROOT, type Workload } from './datasets.ts';

// Training on WebGPU against wasm, through the pipeline's own `trainModel`
// (what an experiment runs: data uploaded once, one read-back per epoch, the
// per-epoch evaluation of both splits included), on three workloads: the
// default MLP on MNIST, the same MLP on Fashion-MNIST, and the CNN of
// experiments/mnist-1-vs-7-cnn.yaml. Times are wall clock: a GPU computes
// while the CPU waits, so CPU seconds would not measure it.

export type GpuWorkload = 'mnist' | 'fashion' | 'cnn';

export interface GpuTrainArgs {
  engine: 'webgpu' | 'wasm';
  loop: 'tfjs' | 'fused';
  workload: GpuWorkload;
  size: GpuSize;
  /** Overrides the workload's batch size (to see how much of a step is dispatch overhead). */
  batchSize?: number;
}

/**
 * `full`: the experiments' own sizes; `small`: for a software adapter
 * (lavapipe trains a few hundred samples a second); `quick`: a smoke test.
 */
export type GpuSize = 'full' | 'small' | 'quick';

/** Samples per class and epochs of each workload at each size (null: the workload's own). */
const SIZES: Record<GpuWorkload, Record<GpuSize, [number | null, number | null]>> = {
  mnist: { full: [null, null], small: [null, 3], quick: [100, 2] },
  fashion: { full: [6000, 3], small: [500, 2], quick: [100, 2] },
  cnn: { full: [null, null], small: [250, 2], quick: [60, 2] },
};

export interface GpuTrainResult {
  engine: string;
  /** The adapter, on WebGPU. */
  adapter: string | null;
  software: boolean | null;
  loop: string;
  workload: string;
  trainRows: number;
  epochs: number;
  batchSize: number;
  /** Wall time of the first epoch: on WebGPU it includes compiling every shader the step and the evaluation use. */
  firstEpochSeconds: number;
  /** Wall time of the other epochs. */
  steadySeconds: number;
  /** Training samples per wall second after the first epoch. */
  samplesPerSecond: number;
  /** Wall milliseconds per training step after the first epoch, the epoch's evaluation spread over its steps. */
  msPerStep: number;
  cpuSeconds: number;
  testAccuracy: number;
}

/** A workload at a size: the spec with its samples per class and epochs, far outliers off (training never reads them), one seed. */
export function gpuWorkload(name: GpuWorkload, size: GpuSize): Workload {
  const [perClass, epochs] = SIZES[name][size];
  const input =
    name === 'fashion'
      ? { title: 'bench', dataset: { name: 'idx', folder: FASHION, classes: FASHION_CLASSES }, training: {} }
      : parse(readFileSync(name === 'mnist' ? DEFAULT_EXPERIMENT : join(ROOT, 'experiments/mnist-1-vs-7-cnn.yaml'), 'utf8'));
  input.seeds = [1];
  input.dataset = { ...input.dataset, outliers: 'none', ...(perClass ? { samplesPerClass: perClass } : {}) };
  input.training = { ...input.training, ...(epochs ? { epochs } : {}) };
  const spec = ExperimentSpec.parse(input);
  const data = loadData(spec.dataset);
  const what =
    name === 'fashion' ? `Fashion ${FASHION_CLASSES.join(' vs ')}, MLP` : `MNIST ${spec.dataset.classes.join(' vs ')}, ${name === 'cnn' ? 'CNN' : 'MLP'}`;
  return { name: `${what} (${data.train.count.toLocaleString('en')} train)`, spec, data };
}

export async function benchGpuTraining(args: GpuTrainArgs): Promise<GpuTrainResult> {
  const { tf, backend, adapter } = await selectEngine(args.engine);
  const workload = gpuWorkload(args.workload, args.size);
  const spec = { ...workload.spec, training: { ...workload.spec.training, loop: args.loop, ...(args.batchSize ? { batchSize: args.batchSize } : {}) } };
  const { epochs, batchSize } = spec.training;
  const ends: number[] = [];
  const start = performance.now();
  const stop = clocks();
  const trained = await trainModel(tf, spec, workload.data, spec.training.seed, { onEpoch: () => ends.push(performance.now()) });
  const { cpuSeconds } = stop();
  trained.model.dispose();
  const rows = workload.data.train.count;
  const steadySeconds = (ends[ends.length - 1] - ends[0]) / 1000;
  const steps = (epochs - 1) * Math.ceil(rows / batchSize);
  return {
    engine: args.loop === 'fused' ? 'fused kernel (wasm SIMD)' : backend,
    adapter: adapter ? adapterName(adapter) : null,
    software: adapter ? adapter.software : null,
    loop: args.loop,
    workload: workload.name,
    trainRows: rows,
    epochs,
    batchSize,
    firstEpochSeconds: (ends[0] - start) / 1000,
    steadySeconds,
    samplesPerSecond: ((epochs - 1) * rows) / steadySeconds,
    msPerStep: (1000 * steadySeconds) / steps,
    cpuSeconds,
    testAccuracy: trained.history.at(-1)!.testAccuracy,
  };
}
