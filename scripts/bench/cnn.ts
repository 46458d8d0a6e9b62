// CNN training throughput on a given TensorFlow.js backend (skipped with
// `npm run bench -- --no-cnn`): the engine as the pipeline selects it (so wasm
// gets the convolution kernels of src/engine/wasm-kernels.ts), random 28×28×1
// inputs, and the same minimize() step that src/model/train.ts takes.
import { selectEngine, type BackendChoice } from '../../src/engine/index.ts';
import { clocks } from './clock.ts';

export interface CnnBenchResult {
  backend: string;
  batchSize: number;
  steps: number;
  msPerStep: number;
  /** CPU time of the timed steps (see clock.ts). */
  cpuSeconds: number;
  /** Per CPU second. */
  samplesPerSecond: number;
}

export async function benchCnn(backend: BackendChoice, options: { batchSize?: number; steps?: number; warmup?: number } = {}): Promise<CnnBenchResult> {
  const { batchSize = 64, steps = 20, warmup = 3 } = options;
  const { tf, backend: actual } = await selectEngine(backend);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([batchSize, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batchSize], 0, 10, 'int32') as ReturnType<typeof tf.tensor1d>, 10);
  const step = (): void => {
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as ReturnType<typeof tf.tensor2d>), true)!;
    // Reading the loss waits for the step, as a training loop that logs would.
    cost.dataSync();
    cost.dispose();
  };
  for (let i = 0; i < warmup; i++) step();
  const stop = clocks();
  for (let i = 0; i < steps; i++) step();
  const { seconds, cpuSeconds } = stop();
  const ms = (seconds * 1000) / steps;
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { backend: actual, batchSize, steps, msPerStep: ms, cpuSeconds, samplesPerSecond: (batchSize * steps) / cpuSeconds };
}
