import type { Dataset } from '../data/types.ts';
import type { Activations } from '../activations/index.ts';
import type { LayerSignatures, Signatures } from '../signatures/index.ts';
import { purity } from '../stats/purity.ts';
import type { Result } from '../results/schema.ts';

export function allLabels(data: Dataset): Int32Array {
  const labels = new Int32Array(data.train.count + data.test.count + data.probe.count);
  labels.set(data.train.labels, 0);
  labels.set(data.test.labels, data.train.count);
  labels.set(data.probe.labels, data.train.count + data.test.count);
  return labels;
}

function layerStats(layer: LayerSignatures, hidden: boolean, labels: Int32Array, acts: Activations): Result['layers'][number] {
  const range = (r: [number, number]) => [layer.assignments.subarray(r[0], r[1]), labels.subarray(r[0], r[1])] as const;
  const composition = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const key = `${layer.assignments[i]} ${labels[i]}`;
    composition.set(key, (composition.get(key) ?? 0) + 1);
  }
  const clusters = [...composition].map(([key, count]) => {
    const [cluster, label] = key.split(' ').map(Number);
    return { cluster, label, count };
  });
  clusters.sort((a, b) => a.cluster - b.cluster || a.label - b.label);
  return {
    name: layer.name,
    units: layer.units,
    hidden,
    k: layer.k,
    kScores: layer.kScores,
    inertia: layer.inertia,
    purity: { train: purity(...range(acts.ranges.train)), test: purity(...range(acts.ranges.test)) },
    clusters,
  };
}

/** Question 1, first cut: how well each layer's clusters agree with the labels, input first. */
export function analyseLayers(data: Dataset, acts: Activations, sigs: Signatures): Result['layers'] {
  const labels = allLabels(data);
  return [layerStats(sigs.input, false, labels, acts), ...sigs.layers.map((l) => layerStats(l, true, labels, acts))];
}
