import type * as tfType from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { seededRandom, shuffle } from '../util/random.ts';
import { buildModel } from './build.ts';
import { classIndex, divergence } from './common.ts';
import { KERNEL_VERSION } from './fused/kernel.ts';
import { fusedUnsupported } from './fused/support.ts';
import { trainFused } from './fused/train.ts';
import type { EpochRecord, TrainedModel, TrainProgress } from './types.ts';

export type { EpochRecord, TrainedModel, TrainProgress } from './types.ts';

function makeOptimizer(tf: typeof tfType, spec: ExperimentSpec['training']): tfType.Optimizer {
  switch (spec.optimizer) {
    case 'adam':
      return tf.train.adam(spec.learningRate);
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate);
  }
}

export { classIndex } from './common.ts';

export interface TrainingLoop {
  loop: 'fused' | 'tfjs';
  reason: string;
}

/**
 * The loop that trains a spec's models on an engine, and why
 * (`training.loop`). On WebGPU, `auto` trains through TF.js on the GPU: the
 * fused kernel runs on the CPU, which is not what an experiment asks for when
 * it names the GPU.
 */
export function trainingLoop(spec: ExperimentSpec, backend = 'wasm'): TrainingLoop {
  const choice = spec.training.loop;
  if (choice === 'tfjs') return { loop: 'tfjs', reason: 'asked for tfjs' };
  const unsupported = fusedUnsupported(spec.model);
  if (choice === 'auto' && backend === 'webgpu')
    return { loop: 'tfjs', reason: 'the engine is WebGPU: TF.js trains on the GPU, the fused kernel would train on the CPU' };
  if (!unsupported) return { loop: 'fused', reason: choice === 'fused' ? 'asked for fused' : 'the model is an MLP the fused kernel trains' };
  // The spec's validation refuses `fused` with an unsupported model: only auto gets here.
  return { loop: 'tfjs', reason: `the fused kernel does not apply: ${unsupported}` };
}

/** What identifies the training code in a result's hash. */
export function trainingKey(spec: ExperimentSpec, backend = 'wasm'): string {
  return trainingLoop(spec, backend).loop === 'fused' ? `loop fused ${KERNEL_VERSION}` : 'loop tfjs';
}

/** Rows evaluated per engine call. */
const EVAL_BATCH = 2048;

/**
 * Summed cross-entropy and correct predictions of the model on a split, left
 * on the engine (a 2-vector): nothing is read back until the caller asks.
 */
function evaluate(
  tf: typeof tfType,
  model: tfType.Sequential,
  x: tfType.Tensor2D | Float32Array,
  y: Int32Array,
  count: number,
  nClasses: number,
  features: number,
): tfType.Tensor1D {
  return tf.tidy(() => {
    let sums = tf.zeros([2]) as tfType.Tensor1D;
    for (let start = 0; start < count; start += EVAL_BATCH) {
      const end = Math.min(count, start + EVAL_BATCH);
      const xb =
        x instanceof Float32Array
          ? tf.tensor2d(x.subarray(start * features, end * features), [end - start, features])
          : x.slice([start, 0], [end - start, features]);
      const labels = tf.tensor1d(y.subarray(start, end), 'int32');
      const logits = model.apply(xb, { training: false }) as tfType.Tensor2D;
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, nClasses), logits, undefined, undefined, tf.Reduction.SUM);
      const hits = logits.argMax(1).equal(labels).sum().cast('float32');
      sums = sums.add(tf.stack([loss, hits])) as tfType.Tensor1D;
    }
    return sums;
  });
}

/** Bytes of input data kept on the engine at most; beyond, and beyond what one GPU buffer binds, batches are uploaded as they are drawn. */
const RESIDENT_BYTES = 1 << 30;

/** Rows `rows` of a row-major matrix, into `out`. */
function gatherRows(x: Float32Array, rows: Int32Array, features: number, out: Float32Array): Float32Array {
  rows.forEach((r, i) => out.set(x.subarray(r * features, (r + 1) * features), i * features));
  return out.subarray(0, rows.length * features);
}

function bindLimit(tf: typeof tfType): number {
  const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device;
  return Math.min(RESIDENT_BYTES, device?.limits?.maxStorageBufferBindingSize ?? RESIDENT_BYTES);
}

/** Trains one seed's model in the loop `training.loop` resolves to on the current engine (trainingLoop). */
export async function trainModel(tf: typeof tfType, spec: ExperimentSpec, data: Dataset, seed: number, progress: TrainProgress = {}): Promise<TrainedModel> {
  if (trainingLoop(spec, tf.getBackend()).loop === 'fused') return trainFused(tf, spec, data, seed, progress);
  return trainTfjs(tf, spec, data, seed, progress);
}

/**
 * The TF.js loop, on whichever backend is selected. The training inputs are
 * uploaded once and stay on the engine (on a GPU, in its memory); each
 * epoch's seeded batch order is uploaded once, and each step gathers its
 * batch there. The loss is summed on the engine, and the per-epoch
 * evaluation of the whole train and test splits runs in large batches: one
 * read-back per epoch, so no step waits on the engine for a number nobody
 * looks at.
 */
export async function trainTfjs(tf: typeof tfType, spec: ExperimentSpec, data: Dataset, seed: number, progress: TrainProgress = {}): Promise<TrainedModel> {
  const { model, hiddenLayers, layers } = buildModel(tf, spec, data, seed);
  const { epochs, batchSize } = spec.training;
  const optimizer = makeOptimizer(tf, spec.training);
  const nClasses = data.classes.length;
  const yTrain = classIndex(data.train, data.classes);
  const yTest = classIndex(data.test, data.classes);
  // Inputs too large for one buffer of the engine (a GPU's binding limit) are uploaded batch by batch instead.
  const limit = bindLimit(tf);
  const xAll = data.train.count * data.features * 4 <= limit ? tf.tensor2d(data.train.x, [data.train.count, data.features]) : null;
  const xTest = data.test.count * data.features * 4 <= limit ? tf.tensor2d(data.test.x, [data.test.count, data.features]) : null;
  const batchX = xAll ? null : new Float32Array(batchSize * data.features);
  const yAll = tf.oneHot(tf.tensor1d(yTrain, 'int32'), nClasses);
  const random = seededRandom(seed);
  const order = new Int32Array(data.train.count).map((_, i) => i);
  const batches = Math.ceil(data.train.count / batchSize);
  const history: EpochRecord[] = [];
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffle(order, random);
      const orderOnEngine = tf.tensor1d(order, 'int32');
      let lossSum = tf.scalar(0);
      for (let b = 0; b < batches; b++) {
        const from = b * batchSize;
        const rows = Math.min(order.length, from + batchSize) - from;
        const batchLoss = tf.tidy(() => {
          const indices = orderOnEngine.slice(from, rows);
          const xb = xAll
            ? tf.gather(xAll, indices)
            : tf.tensor2d(gatherRows(data.train.x, order.subarray(from, from + rows), data.features, batchX!), [rows, data.features]);
          const yb = tf.gather(yAll, indices);
          const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tfType.Tensor2D), true);
          return (cost as tfType.Scalar).mul(rows);
        });
        const next = lossSum.add(batchLoss) as tfType.Scalar;
        lossSum.dispose();
        batchLoss.dispose();
        lossSum = next;
        progress.onBatch?.(epoch, b + 1, batches);
      }
      orderOnEngine.dispose();
      const train = evaluate(tf, model, xAll ?? data.train.x, yTrain, data.train.count, nClasses, data.features);
      const test = evaluate(tf, model, xTest ?? data.test.x, yTest, data.test.count, nClasses, data.features);
      const all = tf.concat([lossSum.reshape([1]), train, test]);
      tf.dispose([lossSum, train, test]);
      // The epoch's one read-back.
      const [lossTotal, , trainHits, testLoss, testHits] = await all.data();
      all.dispose();
      const loss = lossTotal / data.train.count;
      const diverged = divergence(loss, epoch, seed, nClasses, spec.training.learningRate);
      if (diverged) throw diverged;
      const record = {
        epoch,
        loss,
        accuracy: trainHits / data.train.count,
        testLoss: data.test.count ? testLoss / data.test.count : NaN,
        testAccuracy: data.test.count ? testHits / data.test.count : NaN,
      };
      history.push(record);
      progress.onEpoch?.(record, epochs);
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose([yAll, ...(xAll ? [xAll] : []), ...(xTest ? [xTest] : [])]);
    optimizer.dispose();
  }
  const trainMs = performance.now() - started;
  return { model, hiddenLayers, layers, history, trainMs, samplesPerSecond: (epochs * data.train.count) / (trainMs / 1000) };
}
