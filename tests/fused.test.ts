import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadData } from '../src/data/index.ts';
import type { Dataset } from '../src/data/types.ts';
import { selectEngine } from '../src/engine/index.ts';
import { buildModel } from '../src/model/build.ts';
import { ACTIVATIONS, MlpKernel, OPTIMIZERS } from '../src/model/fused/kernel.ts';
import { trainingLoop, trainModel } from '../src/model/train.ts';
import { ExperimentSpec } from '../src/spec/schema.ts';
import { tinySpec } from './helpers.ts';

// The fused kernel is checked against TF.js itself: same initial weights,
// same batches, then the weights after each optimizer's steps must agree to
// float tolerance. The inputs are half exact zeros, as MNIST's are, so the
// kernel's skipping of zero products is exercised.

type Act = keyof typeof ACTIVATIONS;

function sparseData(rows: number, features: number, classes: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const x = Float32Array.from({ length: rows * features }, () => (next() < 0.5 ? 0 : next() * 2 - 0.5));
  const y = Int32Array.from({ length: rows }, () => Math.floor(next() * classes));
  return { x, y };
}

function spec(activation: Act, optimizer: 'sgd' | 'adam' | 'rmsprop', learningRate: number): ExperimentSpec {
  return ExperimentSpec.parse({
    title: 'kernel',
    dataset: { classes: [1, 4, 7], probes: [] },
    model: { hidden: [{ units: 20, activation }, 7], activation: activation === 'linear' ? 'relu' : activation },
    training: { optimizer, learningRate, loop: 'tfjs' },
  });
}

/** Weights after `steps` steps on TF.js (cpu, the reference) and in the kernel, from the same start. */
function trainBoth(
  s: ExperimentSpec,
  steps: number[][],
  data: { x: Float32Array; y: Int32Array },
  features: number,
): { reference: Float32Array[]; fused: Float32Array[] } {
  const classes = s.dataset.classes.length;
  const { model } = buildModel(tf, s, { features, width: features, height: 1 }, 3);
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const kernel = new MlpKernel(
    [features, ...dense.map((l) => (l.outputShape as number[])[1])],
    dense.map((l) => ACTIVATIONS[l.getConfig().activation as Act]),
    64,
  );
  dense.forEach((layer, i) => {
    const [w, b] = layer.getWeights();
    kernel.layer(i + 1).weights.set(w.dataSync());
    kernel.layer(i + 1).biases.set(b.dataSync());
  });
  const optimizer =
    s.training.optimizer === 'adam'
      ? tf.train.adam(s.training.learningRate)
      : s.training.optimizer === 'rmsprop'
        ? tf.train.rmsprop(s.training.learningRate)
        : tf.train.sgd(s.training.learningRate);
  const x = kernel.float32(data.x);
  const y = kernel.int32(data.y);
  for (const rows of steps) {
    tf.tidy(() => {
      const idx = tf.tensor1d(rows, 'int32');
      const xb = tf.gather(tf.tensor2d(data.x, [data.y.length, features]), idx);
      const yb = tf.oneHot(tf.gather(tf.tensor1d(data.y, 'int32'), idx), classes);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb) as tf.Tensor2D));
    });
    kernel.step(x, y, kernel.int32(rows), rows.length, OPTIMIZERS[s.training.optimizer], s.training.learningRate);
  }
  const reference = dense.flatMap((l) => l.getWeights().map((w) => w.dataSync() as Float32Array));
  const fused = dense.flatMap((_, i) => [kernel.layer(i + 1).weights.slice(), kernel.layer(i + 1).biases.slice()]);
  optimizer.dispose();
  model.dispose();
  return { reference, fused };
}

function worst(a: Float32Array[], b: Float32Array[]): number {
  let w = 0;
  a.forEach((arr, i) => arr.forEach((v, j) => (w = Math.max(w, Math.abs(v - b[i][j])))));
  return w;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused MLP kernel against TF.js', () => {
  const features = 30;
  const data = sparseData(50, features, 3, 11);
  const batches = [
    Array.from({ length: 16 }, (_, i) => (i * 3) % 50),
    Array.from({ length: 16 }, (_, i) => 49 - i),
    Array.from({ length: 5 }, (_, i) => 20 + i),
  ];

  for (const activation of ['relu', 'tanh', 'sigmoid', 'elu', 'selu'] as Act[]) {
    it(`computes the gradient of a ${activation} network (one SGD step at rate 1)`, () => {
      const before = trainBoth(spec(activation, 'sgd', 1), [], data, features);
      const after = trainBoth(spec(activation, 'sgd', 1), [batches[0]], data, features);
      expect(worst(before.reference, before.fused)).toBe(0);
      // The step is the gradient itself: compare it to its own scale.
      const step = after.reference.map((w, i) => w.map((v, j) => v - before.reference[i][j]));
      const scale = Math.max(...step.flatMap((s) => Array.from(s, Math.abs)));
      expect(scale).toBeGreaterThan(1e-3);
      expect(worst(after.reference, after.fused) / scale).toBeLessThan(1e-5);
    });
  }

  for (const optimizer of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`follows TF.js's ${optimizer} over several steps, batches of unequal size included`, () => {
      const lr = 0.01;
      const { reference, fused } = trainBoth(spec('relu', optimizer, lr), batches, data, features);
      // Adam and RMSProp divide by the gradient's own size, so a weight moves by up to lr a step whatever its gradient: compare to that.
      expect(worst(reference, fused)).toBeLessThan(lr * 1e-3);
    });
  }
});

describe('training.loop', () => {
  let data: Dataset;
  beforeAll(async () => {
    await selectEngine('wasm');
    data = loadData(tinySpec().dataset);
  });

  it('trains the default MLP fused, with the same history as the TF.js loop to float tolerance', async () => {
    const { tf: engine } = await selectEngine('wasm');
    const fused = await trainModel(engine, tinySpec(), data, 2);
    const again = await trainModel(engine, tinySpec(), data, 2);
    const reference = await trainModel(engine, tinySpec({ training: { epochs: 4, batchSize: 32, loop: 'tfjs' } }), data, 2);
    expect(fused.history).toEqual(again.history);
    expect(fused.history.at(-1)!.testAccuracy).toBeGreaterThan(0.9);
    fused.history.forEach((h, i) => {
      expect(h.loss).toBeCloseTo(reference.history[i].loss, 3);
      expect(h.testAccuracy).toBeCloseTo(reference.history[i].testAccuracy, 2);
    });
    // The trained weights are back in the TF.js model that activations read.
    const w = (m: typeof fused) => m.model.layers[0].getWeights()[0].dataSync();
    expect(Math.max(...Array.from(w(fused), (v, i) => Math.abs(v - w(reference)[i])))).toBeLessThan(1e-3);
    for (const m of [fused, again, reference]) m.model.dispose();
  });

  it('leaves no tensor behind, trained or diverged', async () => {
    const { tf: engine } = await selectEngine('wasm');
    const before = engine.memory().numTensors;
    const trained = await trainModel(engine, tinySpec({ training: { epochs: 1 } }), data, 3);
    trained.model.dispose();
    await expect(
      trainModel(engine, tinySpec({ training: { epochs: 2, learningRate: 9.9, optimizer: 'sgd' }, model: { hidden: [16, 8], activation: 'elu' } }), data, 3),
    ).rejects.toThrow(/diverged/);
    expect(engine.memory().numTensors).toBe(before);
  });

  it('says which loop trains a model, and why', () => {
    expect(trainingLoop(tinySpec())).toEqual({ loop: 'fused', reason: 'the model is an MLP the fused kernel trains' });
    expect(trainingLoop(tinySpec({ model: { hidden: [8], dropout: 0.2 } })).loop).toBe('tfjs');
    expect(trainingLoop(tinySpec({ model: { hidden: [8], dropout: 0.2 } })).reason).toMatch(/no dropout/);
    expect(trainingLoop(tinySpec({ model: { type: 'cnn', conv: [{ filters: 2 }], hidden: [8] } })).reason).toMatch(/conv layers/);
  });

  it('refuses fused for a model it cannot train, naming the field', () => {
    const r = ExperimentSpec.safeParse({ title: 't', dataset: { classes: [1, 7] }, model: { hidden: [8], batchNorm: true }, training: { loop: 'fused' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['training', 'loop']);
    expect(r.error!.issues[0].message).toMatch(/batch normalization/);
  });
});

describe('the committed WebAssembly kernels', () => {
  for (const source of ['src/model/fused/mlp.c', 'src/signatures/dots.c', 'src/stats/gemm.c']) {
    it(`${source} was compiled into the committed .wasm (npm run build:wasm after editing it)`, () => {
      const file = (suffix: string) => new URL(`../${source.replace(/\.c$/, suffix)}`, import.meta.url);
      const record = JSON.parse(readFileSync(file('.wasm.json'), 'utf8'));
      const sha = (url: URL) => createHash('sha256').update(readFileSync(url)).digest('hex');
      expect(sha(file('.c'))).toBe(record.sourceSha256);
      expect(sha(file('.wasm'))).toBe(record.wasmSha256);
    });
  }
});
