import type * as tfType from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.ts';
import { convSignatureOf, type ConvSignature, type ExperimentSpec } from '../spec/schema.ts';
import { project } from '../stats/pca.ts';
import { fitMapPcas, type MapPca } from './conv-pca.ts';

export type LayerKind = 'input' | 'hidden' | 'output';

/** One layer's outputs for every input, row-major `count × units`. */
export interface LayerActivations {
  name: string;
  kind: LayerKind;
  units: number;
  values: Float32Array;
  /** A conv layer read by PCA: its units are components, not channels. */
  reduction?: { method: 'pca'; mapUnits: number; explained: number; fitRows: number };
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
  /** The output layer before its softmax (count × classes), for scores that need logits (energy). */
  logits?: Float32Array;
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

export interface ActivationOptions {
  /** How a conv map becomes a signature; the spatial mean when left out. */
  conv?: ConvSignature;
  /** Seed of the training sample a PCA is fitted on. */
  seed?: number;
}

export function activationOptions(spec: ExperimentSpec): ActivationOptions {
  return { conv: convSignatureOf(spec), seed: spec.signatures.seed };
}

/**
 * Reads back each batch's outputs asynchronously, all layers at once: on
 * WebGPU a synchronous read is not possible in Node, and one wait per batch
 * is all a GPU needs.
 */
export async function recordActivations(
  tf: typeof tfType,
  model: tfType.Sequential,
  hiddenLayers: string[],
  data: Dataset,
  x = allInputs(data),
  options: ActivationOptions = {},
): Promise<Activations> {
  const count = x.length / data.features;
  const layers = hiddenLayers.map((name) => model.getLayer(name));
  const probe = tf.model({ inputs: model.inputs, outputs: [...layers.map((l) => l.output as tfType.SymbolicTensor), model.outputs[0]] });
  // A conv layer's signature is each channel's activation averaged over the map, or the map's top principal components.
  const isMap = layers.map((l) => (l.outputShape as number[]).length === 4);
  const conv = options.conv ?? { kind: 'mean' };
  const fits: (MapPca | null)[] = layers.map(() => null);
  if (conv.kind === 'pca' && isMap.some(Boolean)) {
    const maps = layers.filter((_, i) => isMap[i]);
    const fitted = await fitMapPcas(tf, model, maps, x, data.features, data.train.count, conv.components, options.seed ?? 1);
    maps.forEach((l, i) => (fits[layers.indexOf(l)] = fitted[i]));
  }
  const units = [...layers.map((l, i) => fits[i]?.fit.components.length ?? (l.outputShape as number[]).at(-1)!), data.classes.length];
  const out = units.map((u) => new Float32Array(count * u));
  const logits = new Float32Array(count * data.classes.length);
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    const results = tf.tidy(() => {
      const batch = tf.tensor2d(x.subarray(start * data.features, end * data.features), [end - start, data.features]);
      const outputs = probe.predict(batch) as tfType.Tensor[];
      const rawLogits = outputs[outputs.length - 1];
      outputs[outputs.length - 1] = tf.softmax(rawLogits);
      return [...outputs.map((t, i) => (fits[i] ? t : isMap[i] ? t.mean([1, 2]) : t)), rawLogits];
    });
    const values = await Promise.all(results.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(results);
    logits.set(values.pop()!, start * data.classes.length);
    values.forEach((v, i) => {
      const fit = fits[i];
      if (fit) project(fit.fit, v, end - start, out[i], start);
      else out[i].set(v, start * units[i]);
    });
  }
  const nTrain = data.train.count;
  const nTest = data.test.count;
  return {
    count,
    ranges: { train: [0, nTrain], test: [nTrain, nTrain + nTest], probe: [nTrain + nTest, count] },
    logits,
    layers: [
      { name: 'input', kind: 'input', units: data.features, values: x },
      ...hiddenLayers.map((name, i) => {
        const fit = fits[i];
        const reduction = fit ? { reduction: { method: 'pca' as const, mapUnits: fit.mapUnits, explained: fit.explained, fitRows: fit.fitRows } } : {};
        return { name, kind: 'hidden' as const, units: units[i], values: out[i], ...reduction };
      }),
      { name: 'output', kind: 'output', units: data.classes.length, values: out[out.length - 1] },
    ],
  };
}
