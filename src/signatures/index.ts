import { FieldError } from '../spec/errors.ts';
import type { Activations, LayerActivations, LayerKind } from '../activations/index.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { kForLayer } from '../spec/schema.ts';
import { silhouette } from '../stats/silhouette.ts';
import { seededSample } from '../util/random.ts';
import { fitKMeans, nearest, type Clustering } from './kmeans.ts';
import { sharingRows } from './lloyd.ts';

export interface LayerSignatures {
  name: string;
  kind: LayerKind;
  units: number;
  k: number;
  /** `auto`: the k tried and the silhouette each reached. */
  kScores: { k: number; silhouette: number }[];
  inertia: number;
  centroids: Float32Array;
  /** Cluster of every input (train, test, probe order). */
  assignments: Int32Array;
  /** The same layer clustered at k = number of trained classes (NMI and ARI are read at both). */
  atClasses: Int32Array;
}

export interface Signatures {
  /** Every layer of the activations, input and output included. */
  layers: LayerSignatures[];
  /** `paths[i]` is input i's cluster at each hidden layer, input side first. */
  paths: Int32Array[];
}

export interface SignatureOptions {
  restarts: number;
  seed: number;
  autoRange: [number, number];
  /** k asked for the i-th hidden layer (the input and output layers take the first hidden layer's). */
  kFor: (hiddenIndex: number) => number | 'auto';
  classes: number;
}

const SILHOUETTE_SAMPLE = 400;

function assign(layer: LayerActivations, c: Clustering, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = nearest(layer.values, i, c.centroids, c.k, layer.units).cluster;
  return out;
}

/** Clusters one layer's training activations and assigns every input to its nearest cluster. */
export function clusterLayer(layer: LayerActivations, asked: number | 'auto', acts: Activations, options: SignatureOptions, salt: number): LayerSignatures {
  const [t0, t1] = acts.ranges.train;
  const fitRows = Int32Array.from({ length: t1 - t0 }, (_, i) => t0 + i);
  if (asked !== 'auto' && asked > fitRows.length) {
    throw new FieldError(
      'signatures.k',
      `asks for ${asked} clusters at ${layer.name}, but there are only ${fitRows.length} training inputs to cluster`,
      'Lower signatures.k, or raise dataset.samplesPerClass.',
    );
  }
  const kScores: { k: number; silhouette: number }[] = [];
  let clustering: Clustering | undefined;
  if (asked === 'auto') {
    const sample = seededSample(Array.from(fitRows), SILHOUETTE_SAMPLE, options.seed + salt);
    let bestScore = -Infinity;
    for (let k = options.autoRange[0]; k <= Math.min(options.autoRange[1], fitRows.length - 1); k++) {
      const c = fitKMeans(layer.values, layer.units, fitRows, k, options.restarts, options.seed);
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
    clustering = fitKMeans(layer.values, layer.units, fitRows, asked, options.restarts, options.seed);
  }
  const c = clustering!;
  const atClasses = c.k === options.classes ? null : fitKMeans(layer.values, layer.units, fitRows, options.classes, options.restarts, options.seed);
  const assignments = assign(layer, c, acts.count);
  return {
    name: layer.name,
    kind: layer.kind,
    units: layer.units,
    k: c.k,
    kScores,
    inertia: c.inertia,
    centroids: c.centroids,
    assignments,
    atClasses: atClasses ? assign(layer, atClasses, acts.count) : assignments,
  };
}

/**
 * Per layer, clusters the training inputs' activations (trained classes only)
 * and gives every input, probes included, its nearest cluster. `reuse` passes
 * layers already clustered (the input layer does not change between seeds).
 */
export function computeSignatures(acts: Activations, options: SignatureOptions, reuse: Map<string, LayerSignatures> = new Map()): Signatures {
  let hiddenIndex = 0;
  // A layer's fits (its k, then k = classes) share their prepared rows.
  const layers = sharingRows(() =>
    acts.layers.map((layer, li) => {
      const hit = reuse.get(layer.name);
      if (hit) return hit;
      const asked = options.kFor(layer.kind === 'hidden' ? hiddenIndex++ : 0);
      return clusterLayer(layer, asked, acts, options, li + 1);
    }),
  );
  const hidden = layers.filter((l) => l.kind === 'hidden');
  const paths = Array.from({ length: acts.count }, (_, i) => Int32Array.from(hidden, (l) => l.assignments[i]));
  return { layers, paths };
}

export function signatureOptions(spec: ExperimentSpec): SignatureOptions {
  return {
    restarts: spec.signatures.restarts,
    seed: spec.signatures.seed,
    autoRange: spec.signatures.autoRange,
    kFor: (i) => kForLayer(spec, i),
    classes: spec.dataset.classes.length,
  };
}
