import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerMissingWasmKernels } from '../src/engine/wasm-kernels.ts';

// Gradients on wasm are checked against the cpu backend, the reference
// implementation shipped with tfjs. Tensors belong to the backend that was
// active when they were made, so inputs travel as plain arrays.

interface Data {
  values: Float32Array;
  shape: number[];
}

function random(shape: number[], seed: number): Data {
  let s = seed;
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    values[i] = s / 2147483648 - 0.5;
  }
  return { values, shape };
}

async function gradsOn(backend: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Data[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((d) => tf.tensor(d.values, d.shape));
    // A non-uniform upstream gradient, so that every dy entry matters.
    return tf
      .grads((...a: tf.Tensor[]) =>
        f(...a)
          .square()
          .sum(),
      )(xs)
      .map((g) => g.dataSync() as Float32Array);
  });
}

async function expectSameGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Data[]): Promise<void> {
  const cpu = await gradsOn('cpu', f, inputs);
  const wasm = await gradsOn('wasm', f, inputs);
  for (let i = 0; i < cpu.length; i++) {
    expect(wasm[i].length).toBe(cpu[i].length);
    const scale = Math.max(1, ...Array.from(cpu[i], Math.abs));
    let worst = 0;
    for (let j = 0; j < cpu[i].length; j++) worst = Math.max(worst, Math.abs(wasm[i][j] - cpu[i][j]));
    expect(worst / scale).toBeLessThan(1e-5);
  }
}

beforeAll(async () => {
  registerMissingWasmKernels(tf);
  registerMissingWasmKernels(tf);
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('registerMissingWasmKernels', () => {
  it('registers Conv2DBackpropFilter on wasm, idempotently', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(() => registerMissingWasmKernels(tf)).not.toThrow();
  });

  it('replaces MaxPoolGrad, which drops the gradient of all-negative windows', async () => {
    await tf.setBackend('wasm');
    const g = tf.tidy(() =>
      tf
        .grad((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid').sum())(tf.tensor4d([-3, -1, -4, -2], [1, 2, 2, 1]))
        .dataSync(),
    );
    expect(Array.from(g)).toEqual([0, 1, 0, 0]);
  });

  it('refuses NCHW clearly', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 1, 4, 4]);
    const dy = tf.zeros([1, 2, 4, 4]);
    expect(() =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        {
          strides: 1,
          pad: 'same',
          dataFormat: 'NCHW',
          filterShape: [3, 3, 1, 2],
        },
      ),
    ).toThrow(/only NHWC/);
    tf.dispose([x, dy]);
  });
});

describe('conv2d gradients on wasm match cpu', () => {
  const cases: Array<[number[], number[], 1 | 2, 'same' | 'valid']> = [
    [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 8, 9, 3], [3, 2, 3, 5], 2, 'same'],
    [[3, 8, 8, 2], [3, 3, 2, 4], 2, 'valid'],
    [[1, 5, 6, 1], [2, 2, 1, 3], 1, 'valid'],
    [[2, 9, 7, 4], [5, 5, 4, 2], 2, 'same'],
    [[4, 28, 28, 1], [3, 3, 1, 8], 1, 'same'],
    [[1, 3, 3, 2], [3, 3, 2, 2], 2, 'valid'],
  ];
  for (const [xShape, fShape, stride, pad] of cases) {
    it(`x ${xShape} filter ${fShape} stride ${stride} ${pad}`, async () => {
      await expectSameGrads((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad), [random(xShape, 1), random(fShape, 2)]);
    });
  }

  it('fused conv2d with bias and relu', async () => {
    await expectSameGrads(
      (x, f, b) =>
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: f as tf.Tensor4D,
          strides: 1,
          pad: 'same',
          bias: b,
          activation: 'relu',
        }),
      [random([2, 6, 6, 3], 3), random([3, 3, 3, 4], 4), random([4], 5)],
    );
  });
});

describe('pooling gradients on wasm match cpu', () => {
  const cases: Array<[number[], number, 1 | 2, 'same' | 'valid']> = [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 7, 7, 3], 2, 2, 'same'],
    [[1, 9, 9, 2], 3, 2, 'same'],
    [[2, 6, 6, 4], 3, 1, 'valid'],
  ];
  for (const [shape, size, stride, pad] of cases) {
    it(`maxPool x ${shape} size ${size} stride ${stride} ${pad}`, async () => {
      await expectSameGrads((x) => tf.maxPool(x as tf.Tensor4D, size, stride, pad), [random(shape, 6)]);
    });
    it(`avgPool x ${shape} size ${size} stride ${stride} ${pad}`, async () => {
      await expectSameGrads((x) => tf.avgPool(x as tf.Tensor4D, size, stride, pad), [random(shape, 7)]);
    });
  }
});

// Seeded weights and data, so both backends train the very same network.
async function trainLosses(backend: string, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [12, 12, 1],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, kernelInitializer: init(3) }),
    ],
  });
  const optimizer = tf.train.adam(0.01);
  // Each class lights a different quadrant over noise: learnable in a few steps.
  const pixels = random([24, 12, 12, 1], 8).values;
  const labels = Array.from({ length: 24 }, (_, i) => i % 3);
  labels.forEach((k, i) => {
    for (let h = 0; h < 6; h++) {
      for (let w = 0; w < 6; w++) pixels[i * 144 + (h + 6 * (k & 1)) * 12 + w + 6 * (k >> 1)] += 1;
    }
  });
  const x = tf.tensor4d(pixels, [24, 12, 12, 1]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor) as tf.Scalar, true)!;
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return losses;
}

describe('a small CNN on wasm', () => {
  it('trains with Adam, its softmax cross-entropy falling as on cpu', async () => {
    const wasm = await trainLosses('wasm', 30);
    expect(wasm.every(Number.isFinite)).toBe(true);
    expect(wasm[wasm.length - 1]).toBeLessThan(wasm[0] * 0.5);
    const cpu = await trainLosses('cpu', 10);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i] - cpu[i])).toBeLessThan(1e-3);
  });
});
