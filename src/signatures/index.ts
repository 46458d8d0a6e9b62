import type { Activations, LayerActivations } from '../activations/index.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { kForLayer } from '../spec/schema.ts';
import { silhouette } from '../stats/silhouette.ts';
import { seededRandom, shuffle } from '../util/random.ts';
import { fitKMeans, nearest } from './kmeans.ts';

export interface LayerSignatures {
  name: string;
  units: number;
  k: number;
  /** `auto`: the k tried and the silhouette each reached. */
  kScores: { k: number; silhouette: number }[];
  inertia: number;
  centroids: Float32Array;
  /** Cluster of every input (train, test, probe order). */
  assignments: Int32Array;
}

export interface Signatures {
  /** The same clustering of the raw inputs, for reference. */
  input: LayerSignatures;
  layers: LayerSignatures[];
  /** `paths[i]` is input i's cluster at each hidden layer, input side first. */
  paths: Int32Array[];
}

const SILHOUETTE_SAMPLE = 400;

/**
 * Per hidden layer, clusters the training inputs' activations (trained classes
 * only) and gives every input, probes included, its nearest cluster.
 */
export function computeSignatures(acts: Activations, spec: ExperimentSpec['signatures'] & { kFor: (i: number) => number | 'auto' }): Signatures {
  const [t0, t1] = acts.ranges.train;
  const fitRows = Int32Array.from({ length: t1 - t0 }, (_, i) => t0 + i);
  const cluster = (layer: LayerActivations, li: number): LayerSignatures => {
    const asked = spec.kFor(Math.max(0, li));
    const kScores: { k: number; silhouette: number }[] = [];
    let clustering;
    if (asked === 'auto') {
      const sample = (shuffle(Array.from(fitRows), seededRandom(spec.seed + li + 1)) as number[]).slice(0, SILHOUETTE_SAMPLE);
      let bestScore = -Infinity;
      for (let k = spec.autoRange[0]; k <= Math.min(spec.autoRange[1], fitRows.length - 1); k++) {
        const c = fitKMeans(layer.values, layer.units, fitRows, k, spec.restarts, spec.seed);
        const labels = new Int32Array(acts.count);
        for (const r of sample) labels[r] = nearest(layer.values, r, c.centroids, k, layer.units).cluster;
        const score = silhouette(layer.values, layer.units, labels, sample);
        kScores.push({ k, silhouette: score });
        if (score > bestScore) {
          bestScore = score;
          clustering = c;
        }
      }
    } else {
      clustering = fitKMeans(layer.values, layer.units, fitRows, asked, spec.restarts, spec.seed);
    }
    const c = clustering!;
    const assignments = new Int32Array(acts.count);
    for (let i = 0; i < acts.count; i++) assignments[i] = nearest(layer.values, i, c.centroids, c.k, layer.units).cluster;
    return { name: layer.name, units: layer.units, k: c.k, kScores, inertia: c.inertia, centroids: c.centroids, assignments };
  };
  const layers = acts.hidden.map((layer, li) => cluster(layer, li));
  const input = cluster(acts.input, -1);
  const paths = Array.from({ length: acts.count }, (_, i) => Int32Array.from(layers, (l) => l.assignments[i]));
  return { input, layers, paths };
}

export function signatureOptions(spec: ExperimentSpec) {
  return { ...spec.signatures, kFor: (i: number) => kForLayer(spec, i) };
}
