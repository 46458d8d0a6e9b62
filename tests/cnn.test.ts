import { describe, expect, it } from 'vitest';
import { recordActivations } from '../src/activations/index.ts';
import { analyse } from '../src/analysis/index.ts';
import { loadData } from '../src/data/index.ts';
import { selectEngine } from '../src/engine/index.ts';
import { outgoingWeights } from '../src/model/build.ts';
import { describeModel } from '../src/model/describe.ts';
import { trainModel } from '../src/model/train.ts';
import { computeSignatures, signatureOptions } from '../src/signatures/index.ts';
import { tinySpec } from './helpers.ts';

describe('a small CNN on the wasm engine', () => {
  it('trains, and gives each conv layer a signature of its channels averaged over space', async () => {
    const spec = tinySpec({
      dataset: { classes: [1, 7], probes: [3], samplesPerClass: 120, outliers: 'none' },
      model: { type: 'cnn', conv: [{ filters: 4 }, { filters: 6, pool: false }], hidden: [{ units: 8, activation: 'tanh' }], batchNorm: true, dropout: 0.2 },
      training: { epochs: 3, batchSize: 32, learningRate: 0.01 },
      analysis: { permutations: 20 },
    });
    expect(describeModel(spec, { width: 28, height: 28 })).toBe('28×28 → conv 4 (3×3, pool) → conv 6 (3×3) → dense 8 tanh → 2 (relu, batch norm, dropout 0.2)');
    const { tf } = await selectEngine('wasm');
    const data = loadData(spec.dataset);
    const trained = await trainModel(tf, spec, data, 1);
    expect(trained.history.at(-1)!.testAccuracy).toBeGreaterThan(0.9);
    expect(trained.layers).toEqual([
      { name: 'conv1', conv: true },
      { name: 'conv2', conv: true },
      { name: 'hidden1', conv: false },
    ]);
    const acts = await recordActivations(tf, trained.model, trained.hiddenLayers, data);
    expect(acts.layers.map((l) => [l.name, l.units])).toEqual([
      ['input', 784],
      ['conv1', 4],
      ['conv2', 6],
      ['hidden1', 8],
      ['output', 2],
    ]);
    // The signature of a channel is its mean over the map: recompute one by hand from the layer's full output.
    const probe = tf.model({ inputs: trained.model.inputs, outputs: trained.model.getLayer('conv2').output as never });
    const map = (probe.predict(tf.tensor2d(data.train.x.subarray(0, 784), [1, 784])) as import('@tensorflow/tfjs').Tensor).arraySync() as number[][][][];
    const channel3 = map[0].flat().reduce((s, px) => s + px[3], 0) / (14 * 14);
    expect(acts.layers[2].values[3]).toBeCloseTo(channel3, 5);
    // A channel's outgoing weight sums the next conv's kernel over its window: 6 outputs per input channel.
    expect(await outgoingWeights(trained.model, 'conv1')).toHaveLength(4 * 6);
    expect(await outgoingWeights(trained.model, 'conv2')).toHaveLength(6 * 8);
    const sigs = computeSignatures(acts, signatureOptions(spec));
    const kernels = await Promise.all(trained.hiddenLayers.map((n) => outgoingWeights(trained.model, n)));
    const a = analyse(spec, data, acts, sigs, kernels, { curves: false });
    expect(a.layers.find((l) => l.name === 'conv1')!.classes[0].mean).toHaveLength(4);
    trained.model.dispose();
  });
});
