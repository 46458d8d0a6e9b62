import type * as tfType from '@tensorflow/tfjs';
import type { Dataset, Split } from '../data/types.ts';
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

/** The loop that trains a spec's models, and why (`training.loop`). */
export function trainingLoop(spec: ExperimentSpec): TrainingLoop {
  const choice = spec.training.loop;
  if (choice === 'tfjs') return { loop: 'tfjs', reason: 'asked for tfjs' };
  const unsupported = fusedUnsupported(spec.model);
  if (!unsupported) return { loop: 'fused', reason: choice === 'fused' ? 'asked for fused' : 'the model is an MLP the fused kernel trains' };
  // The spec's validation refuses `fused` with an unsupported model: only auto gets here.
  return { loop: 'tfjs', reason: `the fused kernel does not apply: ${unsupported}` };
}

/** What identifies the training code in a result's hash. */
export function trainingKey(spec: ExperimentSpec): string {
  return trainingLoop(spec).loop === 'fused' ? `loop fused ${KERNEL_VERSION}` : 'loop tfjs';
}

/** Mean cross-entropy and accuracy of the model on a split, in batches. */
function evaluate(tf: typeof tfType, model: tfType.Sequential, split: Split, y: Int32Array, nClasses: number, features: number): { loss: number; accuracy: number } {
  if (split.count === 0) return { loss: NaN, accuracy: NaN };
  const [lossSum, correct] = tf.tidy(() => {
    let loss = tf.scalar(0);
    let hits = tf.scalar(0);
    for (let start = 0; start < split.count; start += 2048) {
      const end = Math.min(split.count, start + 2048);
      const x = tf.tensor2d(split.x.subarray(start * features, end * features), [end - start, features]);
      const labels = tf.tensor1d(y.subarray(start, end), 'int32');
      const logits = model.apply(x, { training: false }) as tfType.Tensor2D;
      loss = loss.add(tf.losses.softmaxCrossEntropy(tf.oneHot(labels, nClasses), logits, undefined, undefined, tf.Reduction.SUM));
      hits = hits.add(logits.argMax(1).equal(labels).sum());
    }
    return [loss, hits];
  });
  const result = { loss: lossSum.dataSync()[0] / split.count, accuracy: correct.dataSync()[0] / split.count };
  lossSum.dispose();
  correct.dispose();
  return result;
}

/** Trains one seed's model in the loop `training.loop` resolves to (trainingLoop). */
export async function trainModel(tf: typeof tfType, spec: ExperimentSpec, data: Dataset, seed: number, progress: TrainProgress = {}): Promise<TrainedModel> {
  if (trainingLoop(spec).loop === 'fused') return trainFused(tf, spec, data, seed, progress);
  return trainTfjs(tf, spec, data, seed, progress);
}

/**
 * The TF.js loop, on whichever backend is selected: batches drawn in a
 * seeded order, the loss summed on the engine and read once per epoch, so no
 * step waits on the engine for a number nobody looks at.
 */
export async function trainTfjs(tf: typeof tfType, spec: ExperimentSpec, data: Dataset, seed: number, progress: TrainProgress = {}): Promise<TrainedModel> {
  const { model, hiddenLayers, layers } = buildModel(tf, spec, data, seed);
  const { epochs, batchSize } = spec.training;
  const optimizer = makeOptimizer(tf, spec.training);
  const nClasses = data.classes.length;
  const yTrain = classIndex(data.train, data.classes);
  const yTest = classIndex(data.test, data.classes);
  const xAll = tf.tensor2d(data.train.x, [data.train.count, data.features]);
  const yAll = tf.oneHot(tf.tensor1d(yTrain, 'int32'), nClasses);
  const random = seededRandom(seed);
  const order = new Int32Array(data.train.count).map((_, i) => i);
  const batches = Math.ceil(data.train.count / batchSize);
  const history: EpochRecord[] = [];
  const started = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffle(order, random);
    let lossSum = tf.scalar(0);
    for (let b = 0; b < batches; b++) {
      const idx = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
      const batchLoss = tf.tidy(() => {
        const indices = tf.tensor1d(idx, 'int32');
        const xb = tf.gather(xAll, indices);
        const yb = tf.gather(yAll, indices);
        const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tfType.Tensor2D), true);
        return (cost as tfType.Scalar).mul(idx.length);
      });
      const next = lossSum.add(batchLoss) as tfType.Scalar;
      lossSum.dispose();
      batchLoss.dispose();
      lossSum = next;
      progress.onBatch?.(epoch, b + 1, batches);
    }
    const loss = (await lossSum.data())[0] / data.train.count;
    lossSum.dispose();
    const diverged = divergence(loss, epoch, seed, nClasses, spec.training.learningRate);
    if (diverged) {
      xAll.dispose();
      yAll.dispose();
      optimizer.dispose();
      model.dispose();
      throw diverged;
    }
    const trainEval = evaluate(tf, model, data.train, yTrain, nClasses, data.features);
    const testEval = evaluate(tf, model, data.test, yTest, nClasses, data.features);
    const record = { epoch, loss, accuracy: trainEval.accuracy, testLoss: testEval.loss, testAccuracy: testEval.accuracy };
    history.push(record);
    progress.onEpoch?.(record, epochs);
  }
  const trainMs = performance.now() - started;
  xAll.dispose();
  yAll.dispose();
  optimizer.dispose();
  return { model, hiddenLayers, layers, history, trainMs, samplesPerSecond: (epochs * data.train.count) / (trainMs / 1000) };
}
