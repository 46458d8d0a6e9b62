import type * as tfType from '@tensorflow/tfjs';
import type { ExperimentSpec } from '../spec/schema.ts';

/** A layer whose output is a signature: its name, and whether it is a convolutional map (averaged over space). */
export interface SignatureLayer {
  name: string;
  conv: boolean;
}

export interface BuiltModel {
  model: tfType.Sequential;
  /** The layers whose outputs are signatures, input side first. */
  hiddenLayers: string[];
  layers: SignatureLayer[];
}

type Activation = ExperimentSpec['model']['activation'];

/**
 * Adds a weighted layer and its activation; the signature is read at the
 * layer named `name`. Without batch normalization the activation is fused
 * into the weighted layer (one kernel on the engine); with it, the order is
 * weights, normalization, activation, each a layer.
 */
function addWithActivation(
  tf: typeof tfType,
  model: tfType.Sequential,
  name: string,
  make: (name: string, activation?: Activation) => tfType.layers.Layer,
  activation: Activation,
  batchNorm: boolean,
): void {
  if (!batchNorm) {
    model.add(make(name, activation));
    return;
  }
  model.add(make(`${name}_linear`));
  model.add(tf.layers.batchNormalization({ name: `${name}_bn` }));
  model.add(tf.layers.activation({ name, activation }));
}

/**
 * The network of the spec: optional conv layers (each with its activation
 * and optional 2 × 2 pooling), dense hidden layers, then a linear layer with
 * one logit per trained class. Every weight is drawn from a seeded
 * initialiser, so the same seed gives the same network.
 */
/** The signature layers a spec's network will have, input side first: conv1…, then hidden1…. */
export function signatureLayers(spec: ExperimentSpec): SignatureLayer[] {
  return [
    ...spec.model.conv.map((_, i) => ({ name: `conv${i + 1}`, conv: true })),
    ...spec.model.hidden.map((_, i) => ({ name: `hidden${i + 1}`, conv: false })),
  ];
}

export function buildModel(tf: typeof tfType, spec: ExperimentSpec, shape: { features: number; width: number; height: number }, seed: number): BuiltModel {
  const m = spec.model;
  const model = tf.sequential();
  const layers: SignatureLayer[] = [];
  let initialiser = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed * 101 + initialiser++ });
  if (m.type === 'cnn') {
    model.add(tf.layers.reshape({ name: 'image', targetShape: [shape.height, shape.width, 1], inputShape: [shape.features] }));
    m.conv.forEach((c, i) => {
      const name = `conv${i + 1}`;
      const make = (n: string, activation?: Activation) =>
        tf.layers.conv2d({ name: n, filters: c.filters, kernelSize: c.kernel, padding: 'same', activation, kernelInitializer: init() });
      addWithActivation(tf, model, name, make, c.activation ?? m.activation, m.batchNorm);
      layers.push({ name, conv: true });
      if (c.pool) model.add(tf.layers.maxPooling2d({ name: `${name}_pool`, poolSize: 2 }));
    });
    model.add(tf.layers.flatten({ name: 'flatten' }));
  }
  m.hidden.forEach((layer, i) => {
    const { units, activation } = typeof layer === 'number' ? { units: layer, activation: undefined } : layer;
    const name = `hidden${i + 1}`;
    const first = model.layers.length === 0;
    const make = (n: string, act?: Activation) =>
      tf.layers.dense({ name: n, units, activation: act, kernelInitializer: init(), ...(first ? { inputShape: [shape.features] } : {}) });
    addWithActivation(tf, model, name, make, activation ?? m.activation, m.batchNorm);
    layers.push({ name, conv: false });
    if (m.dropout > 0) model.add(tf.layers.dropout({ name: `${name}_dropout`, rate: m.dropout, seed: seed * 101 + 50 + i }));
  });
  model.add(
    tf.layers.dense({ name: 'logits', units: spec.dataset.classes.length, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + 99 }) }),
  );
  return { model, hiddenLayers: layers.map((l) => l.name), layers };
}

/**
 * How much each unit of signature layer `name` feeds the next weighted layer:
 * a `units × next` matrix of absolute weights. A conv map feeds the next
 * layer from every position: its weights are summed over positions (and over
 * the kernel window), so that a channel counts as one unit, as in its signature.
 */
export async function outgoingWeights(model: tfType.Sequential, name: string): Promise<Float32Array> {
  const at = model.layers.findIndex((l) => l.name === name);
  const units = (model.layers[at].outputShape as number[]).at(-1)!;
  const next = model.layers.slice(at + 1).find((l) => ['Dense', 'Conv2D'].includes(l.getClassName()))!;
  const kernel = next.getWeights()[0];
  const values = (await kernel.data()) as Float32Array;
  const outputs = kernel.shape.at(-1)!;
  const rows = values.length / outputs;
  const out = new Float32Array(units * outputs);
  // Dense after flatten: row index is (position × channels + channel); conv: (window position × channels + channel). Both end in the channel.
  for (let r = 0; r < rows; r++) {
    const unit = r % units;
    for (let o = 0; o < outputs; o++) out[unit * outputs + o] += Math.abs(values[r * outputs + o]);
  }
  return out;
}

/** The MLP of a spec whose model is an MLP, on flat inputs of `features` values. */
export function buildMlp(tf: typeof tfType, spec: ExperimentSpec, features: number, seed: number): BuiltModel {
  return buildModel(tf, spec, { features, width: features, height: 1 }, seed);
}
