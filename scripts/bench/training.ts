import type * as tfType from '@tensorflow/tfjs';
import { selectEngine, type BackendChoice } from '../../src/engine/index.ts';
import { buildModel } from '../../src/model/build.ts';
import { classIndex, trainModel } from '../../src/model/train.ts';
import { clocks, type Elapsed } from './clock.ts';
import type { Workload } from './datasets.ts';

// Training throughput of one workload on one engine, through the project's
// loops (its TF.js loop, and the fused MLP kernel that training.loop: auto
// picks for an MLP) or through TF.js's own `model.fit` (the baseline). The data is loaded
// before the clock starts; building the model and uploading the tensors are
// inside it for both loops, as they are part of what a run costs.
// Throughput is per CPU second (see clock.ts).

export type Loop = 'model.fit' | 'tfjs loop' | 'fused' | 'plain loop';

export interface TrainTiming {
  engine: string;
  loop: Loop;
  samples: number;
  /** Wall clock. */
  seconds: number;
  /** CPU time of the process over the same span (user + system, all its threads). */
  cpuSeconds: number;
  /** Per CPU second. */
  samplesPerSecond: number;
  params: number;
  /** 6 × params × samples: forward and backward of the dense layers, per trained sample. */
  gflopPerSecond: number;
  /** Share of the wall time spent outside the training steps (the per-epoch evaluation and loss read-back). */
  evalShare: number | null;
  testAccuracy: number;
}

/** Dense-layer FLOPs of training on `samples` inputs: 2·P forward, 4·P backward (gradients of inputs and weights). */
export const trainingFlops = (params: number, samples: number): number => 6 * params * samples;

export function timing(
  engine: string,
  loop: Loop,
  samples: number,
  time: Elapsed,
  params: number,
  evalShare: number | null,
  testAccuracy: number,
): TrainTiming {
  const { seconds, cpuSeconds } = time;
  return {
    engine,
    loop,
    samples,
    seconds,
    cpuSeconds,
    samplesPerSecond: samples / cpuSeconds,
    params,
    gflopPerSecond: trainingFlops(params, samples) / cpuSeconds / 1e9,
    evalShare,
    testAccuracy,
  };
}

async function timeTrainModel(tf: typeof tfType, engine: string, { spec: base, data }: Workload, loop: 'tfjs loop' | 'fused'): Promise<TrainTiming> {
  const spec = { ...base, training: { ...base.training, loop: loop === 'fused' ? ('fused' as const) : ('tfjs' as const) } };
  // Per epoch, the time from its last batch to its record is the evaluation
  // of train and test sets that trainModel does (TF.js kernels on wasm and
  // cpu, and the fused kernel, run synchronously, so the batch callbacks are
  // honest clocks).
  let lastBatch = 0;
  let outside = 0;
  const start = performance.now();
  const stop = clocks();
  const trained = await trainModel(tf, spec, data, spec.training.seed, {
    onBatch: (_e, b, n) => {
      if (b === n) lastBatch = performance.now();
    },
    onEpoch: () => {
      outside += performance.now() - lastBatch;
    },
  });
  const time = stop();
  const params = trained.model.countParams();
  trained.model.dispose();
  const samples = spec.training.epochs * data.train.count;
  return timing(
    loop === 'fused' ? 'fused kernel (wasm SIMD)' : engine,
    loop,
    samples,
    time,
    params,
    outside / (performance.now() - start),
    trained.history.at(-1)!.testAccuracy,
  );
}

async function timeFit(tf: typeof tfType, engine: string, { spec, data }: Workload): Promise<TrainTiming> {
  const { epochs, batchSize, learningRate } = spec.training;
  const n = data.classes.length;
  const oneHot = (split: Workload['data']['train']) => tf.tidy(() => tf.oneHot(tf.tensor1d(classIndex(split, data.classes), 'int32'), n));
  const stop = clocks();
  const { model } = buildModel(tf, spec, data, spec.training.seed);
  // Same loss as trainModel: softmax cross-entropy on logits. The test split
  // as validation data, since trainModel also evaluates every epoch.
  model.compile({ optimizer: tf.train.adam(learningRate), loss: (y, logits) => tf.losses.softmaxCrossEntropy(y, logits), metrics: ['accuracy'] });
  const x = tf.tensor2d(data.train.x, [data.train.count, data.features]);
  const y = oneHot(data.train);
  const xTest = tf.tensor2d(data.test.x, [data.test.count, data.features]);
  const yTest = oneHot(data.test);
  const history = await model.fit(x, y, { batchSize, epochs, shuffle: true, validationData: [xTest, yTest], verbose: 0 });
  const time = stop();
  const accuracy = history.history.val_acc ?? history.history.val_accuracy;
  const params = model.countParams();
  tf.dispose([x, y, xTest, yTest]);
  model.dispose();
  return timing(engine, 'model.fit', epochs * data.train.count, time, params, null, Number(accuracy?.at(-1) ?? NaN));
}

export async function benchTraining(backend: BackendChoice, loop: Loop, workload: Workload): Promise<TrainTiming> {
  const { tf, backend: engine } = await selectEngine(backend);
  return loop === 'model.fit' ? timeFit(tf, engine, workload) : timeTrainModel(tf, engine, workload, loop === 'fused' ? 'fused' : 'tfjs loop');
}

/** The engines `selectEngine` can give here: wasm and cpu always, native TensorFlow when its binding imports. */
export async function availableEngines(): Promise<BackendChoice[]> {
  const engines: BackendChoice[] = ['wasm', 'cpu'];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      return ['tensorflow', ...engines];
    } catch {
      // not installed: the row says so
    }
  }
  return engines;
}
