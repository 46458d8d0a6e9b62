import type * as tfType from '@tensorflow/tfjs';
import type { Dataset } from '../../data/types.ts';
import type { ExperimentSpec } from '../../spec/schema.ts';
import { seededRandom, shuffle } from '../../util/random.ts';
import { buildModel } from '../build.ts';
import { classIndex, divergence } from '../common.ts';
import type { EpochRecord, TrainedModel, TrainProgress } from '../types.ts';
import { ACTIVATIONS, MlpKernel, OPTIMIZERS } from './kernel.ts';

/**
 * Trains the spec's MLP in the fused kernel: the TF.js model is built as the
 * TF.js loop would build it (same seeded initial weights), its weights are
 * copied in, every step is one call, and the trained weights are copied back,
 * so activations and everything after read the same TF.js model either way.
 * The batch order is the TF.js loop's, from the same seed.
 */
export async function trainFused(tf: typeof tfType, spec: ExperimentSpec, data: Dataset, seed: number, progress: TrainProgress = {}): Promise<TrainedModel> {
  const built = buildModel(tf, spec, data, seed);
  const { model } = built;
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const sizes = [data.features, ...dense.map((l) => (l.outputShape as number[])[1])];
  const activations = dense.map((l) => ACTIVATIONS[(l.getConfig().activation as keyof typeof ACTIVATIONS) ?? 'linear']);
  const { epochs, batchSize, learningRate, optimizer } = spec.training;
  const history: EpochRecord[] = [];
  let trainMs = 0;
  // The model is the caller's only when training succeeds.
  try {
    const kernel = new MlpKernel(sizes, activations, Math.min(batchSize, data.train.count));
    for (const [i, layer] of dense.entries()) {
      const [w, b] = layer.getWeights();
      // Read asynchronously (on WebGPU a synchronous read is not possible in Node), then into the kernel's memory.
      const [wv, bv] = await Promise.all([w.data(), b.data()]);
      const { weights, biases } = kernel.layer(i + 1);
      weights.set(wv);
      biases.set(bv);
    }
    const nClasses = data.classes.length;
    const x = kernel.float32(data.train.x);
    const y = kernel.int32(classIndex(data.train, data.classes));
    const xTest = kernel.float32(data.test.x);
    const yTest = kernel.int32(classIndex(data.test, data.classes));
    const orderAt = kernel.int32(new Int32Array(data.train.count));
    const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
    const random = seededRandom(seed);
    const batches = Math.ceil(data.train.count / batchSize);
    kernel.reset();
    if (progress.onKernelProfile) kernel.startProfile();
    const started = performance.now();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      shuffle(order, random);
      kernel.int32View(orderAt, order.length).set(order);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        const from = b * batchSize;
        const rows = Math.min(order.length, from + batchSize) - from;
        lossSum += kernel.step(x, y, orderAt + 4 * from, rows, OPTIMIZERS[optimizer], learningRate);
        progress.onBatch?.(epoch, b + 1, batches);
      }
      const loss = lossSum / data.train.count;
      const diverged = divergence(loss, epoch, seed, nClasses, learningRate);
      if (diverged) throw diverged;
      const train = kernel.evaluate(x, y, data.train.count);
      const test = data.test.count ? kernel.evaluate(xTest, yTest, data.test.count) : { loss: NaN, hits: NaN };
      const record = { epoch, loss, accuracy: train.hits / data.train.count, testLoss: test.loss / data.test.count, testAccuracy: test.hits / data.test.count };
      history.push(record);
      progress.onEpoch?.(record, epochs);
    }
    trainMs = performance.now() - started;
    progress.onKernelProfile?.(kernel.phases());
    dense.forEach((layer, i) => {
      const { weights, biases } = kernel.layer(i + 1);
      const [w, b] = layer.getWeights();
      const trained = [tf.tensor(weights.slice(), w.shape), tf.tensor(biases.slice(), b.shape)];
      layer.setWeights(trained);
      tf.dispose(trained);
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { ...built, history, trainMs, samplesPerSecond: (epochs * data.train.count) / (trainMs / 1000) };
}
