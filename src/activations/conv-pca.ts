import type * as tfType from '@tensorflow/tfjs';
import { pca, type Pca } from '../stats/pca.ts';
import { seededSample } from '../util/random.ts';

// A conv layer read by PCA: fitted once per model on a seeded sample of the
// training inputs' flattened maps, so that test inputs and probes are placed
// by a projection they took no part in.

/** Training inputs a fit reads at most; fewer when the map is so large that they would pass `FIT_VALUES`. */
export const FIT_ROWS = 1000;
/** Map values held at once while fitting (the fit keeps a float64 copy beside them). */
const FIT_VALUES = 2 ** 24;
const BATCH = 256;

export interface MapPca {
  fit: Pick<Pca, 'mean' | 'components'>;
  /** Values in the flattened map. */
  mapUnits: number;
  /** Share of the sample's map variance the kept components carry. */
  explained: number;
  /** Training inputs the fit read. */
  fitRows: number;
}

/**
 * Fits a PCA with `components` components to each of `layers` (conv layers of
 * `model`), on the same seeded sample of the first `trainCount` rows of `x`.
 */
export async function fitMapPcas(
  tf: typeof tfType,
  model: tfType.LayersModel,
  layers: tfType.layers.Layer[],
  x: Float32Array,
  features: number,
  trainCount: number,
  components: number,
  seed: number,
): Promise<MapPca[]> {
  const sizes = layers.map((l) => (l.outputShape as number[]).slice(1).reduce((a, b) => a * b, 1));
  const n = Math.min(trainCount, FIT_ROWS, Math.max(100, Math.floor(FIT_VALUES / Math.max(...sizes))));
  const rows = seededSample(
    Array.from({ length: trainCount }, (_, i) => i),
    n,
    seed,
  ).sort((a, b) => a - b);
  const maps = sizes.map((d) => new Float32Array(rows.length * d));
  const reader = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tfType.SymbolicTensor) });
  const batch = new Float32Array(BATCH * features);
  for (let start = 0; start < rows.length; start += BATCH) {
    const end = Math.min(rows.length, start + BATCH);
    for (let i = start; i < end; i++) batch.set(x.subarray(rows[i] * features, (rows[i] + 1) * features), (i - start) * features);
    const outs = tf.tidy(() => [reader.predict(tf.tensor2d(batch.subarray(0, (end - start) * features), [end - start, features]))].flat() as tfType.Tensor[]);
    const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(outs);
    values.forEach((v, li) => maps[li].set(v, start * sizes[li]));
  }
  return maps.map((values, li) => {
    const d = sizes[li];
    // Looser than pca's default: signatures are clustered, and a map of thousands of values costs a pass over the sample per iteration.
    const p = pca(values, rows.length, d, Math.min(components, d), { seed, tolerance: 1e-6, maxIterations: 100 });
    return {
      fit: { mean: p.mean, components: p.components },
      mapUnits: d,
      explained: Math.min(
        1,
        p.explained.reduce((a, b) => a + b, 0),
      ),
      fitRows: rows.length,
    };
  });
}
