import type * as tfType from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.ts';

/** One layer's outputs for every input, row-major `count × units`. */
export interface LayerActivations {
  name: string;
  units: number;
  values: Float32Array;
}

/**
 * Every hidden layer's output, and the model's class probabilities, for all
 * inputs in the order train, then test, then probe (`ranges` says where each
 * split lies).
 */
export interface Activations {
  count: number;
  ranges: { train: [number, number]; test: [number, number]; probe: [number, number] };
  /** The raw inputs, kept as a reference layer: what the pixels alone separate. */
  input: LayerActivations;
  hidden: LayerActivations[];
  probabilities: LayerActivations;
}

const BATCH = 1024;

export function recordActivations(tf: typeof tfType, model: tfType.Sequential, hiddenLayers: string[], data: Dataset): Activations {
  const splits = [data.train, data.test, data.probe];
  const count = splits.reduce((n, s) => n + s.count, 0);
  const x = new Float32Array(count * data.features);
  let offset = 0;
  for (const s of splits) {
    x.set(s.x, offset * data.features);
    offset += s.count;
  }
  const layers = hiddenLayers.map((name) => model.getLayer(name));
  const probe = tf.model({ inputs: model.inputs, outputs: [...layers.map((l) => l.output as tfType.SymbolicTensor), model.outputs[0]] });
  const units = [...layers.map((l) => (l.outputShape as number[])[1]), data.classes.length];
  const out = units.map((u) => new Float32Array(count * u));
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    const results = tf.tidy(() => {
      const batch = tf.tensor2d(x.subarray(start * data.features, end * data.features), [end - start, data.features]);
      const outputs = probe.predict(batch) as tfType.Tensor[];
      outputs[outputs.length - 1] = tf.softmax(outputs[outputs.length - 1]);
      return outputs;
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
    input: { name: 'input', units: data.features, values: x },
    hidden: hiddenLayers.map((name, i) => ({ name, units: units[i], values: out[i] })),
    probabilities: { name: 'probabilities', units: data.classes.length, values: out[out.length - 1] },
  };
}
