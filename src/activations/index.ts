import type * as tfType from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.ts';

export type LayerKind = 'input' | 'hidden' | 'output';

/** One layer's outputs for every input, row-major `count × units`. */
export interface LayerActivations {
  name: string;
  kind: LayerKind;
  units: number;
  values: Float32Array;
}

/**
 * Every layer's output for all inputs in the order train, test, probe
 * (`ranges` says where each split lies): the raw input first, for reference,
 * then each hidden layer, then the class probabilities.
 */
export interface Activations {
  count: number;
  ranges: { train: [number, number]; test: [number, number]; probe: [number, number] };
  layers: LayerActivations[];
}

export const hiddenOf = (acts: Activations) => acts.layers.filter((l) => l.kind === 'hidden');
export const outputOf = (acts: Activations) => acts.layers[acts.layers.length - 1];

const BATCH = 1024;

/** Every input of the dataset, train then test then probe, in one matrix. */
export function allInputs(data: Dataset): Float32Array {
  const x = new Float32Array((data.train.count + data.test.count + data.probe.count) * data.features);
  let offset = 0;
  for (const s of [data.train, data.test, data.probe]) {
    x.set(s.x, offset * data.features);
    offset += s.count;
  }
  return x;
}

export function recordActivations(tf: typeof tfType, model: tfType.Sequential, hiddenLayers: string[], data: Dataset, x = allInputs(data)): Activations {
  const count = x.length / data.features;
  const layers = hiddenLayers.map((name) => model.getLayer(name));
  const probe = tf.model({ inputs: model.inputs, outputs: [...layers.map((l) => l.output as tfType.SymbolicTensor), model.outputs[0]] });
  // A conv layer's signature is each channel's activation averaged over the map.
  const isMap = layers.map((l) => (l.outputShape as number[]).length === 4);
  const units = [...layers.map((l) => (l.outputShape as number[]).at(-1)!), data.classes.length];
  const out = units.map((u) => new Float32Array(count * u));
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    const results = tf.tidy(() => {
      const batch = tf.tensor2d(x.subarray(start * data.features, end * data.features), [end - start, data.features]);
      const outputs = probe.predict(batch) as tfType.Tensor[];
      outputs[outputs.length - 1] = tf.softmax(outputs[outputs.length - 1]);
      return outputs.map((t, i) => (isMap[i] ? t.mean([1, 2]) : t));
    });
    results.forEach((t, i) => {
      out[i].set(t.dataSync(), start * units[i]);
      t.dispose();
    });
  }
  const nTrain = data.train.count;
  const nTest = data.test.count;
  return {
    count,
    ranges: { train: [0, nTrain], test: [nTrain, nTrain + nTest], probe: [nTrain + nTest, count] },
    layers: [
      { name: 'input', kind: 'input', units: data.features, values: x },
      ...hiddenLayers.map((name, i) => ({ name, kind: 'hidden' as const, units: units[i], values: out[i] })),
      { name: 'output', kind: 'output', units: data.classes.length, values: out[out.length - 1] },
    ],
  };
}
