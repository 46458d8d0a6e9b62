import type { Activations, LayerActivations } from '../activations/index.ts';
import { seededSample } from '../util/random.ts';
import type { Dataset } from '../data/types.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import type { Signatures } from '../signatures/index.ts';

/** What every analysis of one seed's model reads: the inputs' labels and where each split lies. */
export interface Context {
  spec: ExperimentSpec;
  data: Dataset;
  acts: Activations;
  sigs: Signatures;
  /** Label of every input (train, test, probe order). */
  labels: Int32Array;
  /** Class index (0..C-1) of every input; -1 for probes. */
  classIndex: Int32Array;
  rows: { train: number[]; test: number[]; probe: number[] };
  /** Each hidden layer's outgoing weights (`units × next units`), for contributions. */
  kernels: Float32Array[];
}

export function makeContext(spec: ExperimentSpec, data: Dataset, acts: Activations, sigs: Signatures, kernels: Float32Array[]): Context {
  const labels = new Int32Array(acts.count);
  labels.set(data.train.labels, 0);
  labels.set(data.test.labels, data.train.count);
  labels.set(data.probe.labels, data.train.count + data.test.count);
  const lookup = new Map(data.classes.map((c, i) => [c, i]));
  const classIndex = labels.map((l) => lookup.get(l) ?? -1) as Int32Array;
  const range = ([a, b]: [number, number]) => Array.from({ length: b - a }, (_, i) => a + i);
  return {
    spec,
    data,
    acts,
    sigs,
    labels,
    classIndex,
    rows: { train: range(acts.ranges.train), test: range(acts.ranges.test), probe: range(acts.ranges.probe) },
    kernels,
  };
}

/** The rows of `layer` at `rows`, as one packed matrix. */
export function gather(layer: LayerActivations, rows: number[]): Float32Array {
  const d = layer.units;
  const out = new Float32Array(rows.length * d);
  // Runs of consecutive rows (a split is one) copied at once.
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && rows[j] === rows[j - 1] + 1) j++;
    out.set(layer.values.subarray(rows[i] * d, (rows[j - 1] + 1) * d), i * d);
    i = j;
  }
  return out;
}

/** At most `n` of `rows` (a seeded choice when there are more), with their activations and class indices. */
export function subset(
  layer: LayerActivations,
  rows: number[],
  classIndex: Int32Array,
  n: number,
  seed: number,
): { rows: number[]; x: Float32Array; y: Int32Array } {
  const chosen = seededSample(rows, n, seed);
  return { rows: chosen, x: gather(layer, chosen), y: pick(classIndex, chosen) };
}

export function pick<T extends ArrayLike<number>>(values: T, rows: number[]): Int32Array {
  // A plain loop: Int32Array.from with a mapping callback costs a call per value.
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}
