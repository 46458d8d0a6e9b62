import type * as tfType from '@tensorflow/tfjs';
import type { Activations } from '../activations/index.ts';

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * One seed's heavy artifacts, named relative to `results/<id>/`: the trained
 * weights (TF.js layers format) under `seed-<n>/`, every layer's activations
 * as little-endian Float32, and a manifest of their shapes. The raw inputs
 * are the same for every seed and written once, as `input.f32`.
 */
export async function artifactFiles(
  tf: typeof tfType,
  model: tfType.Sequential,
  acts: Activations,
  seed: number,
): Promise<Record<string, string | Uint8Array>> {
  const dir = `seed-${seed}`;
  const files: Record<string, string | Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files[`${dir}/model.json`] = JSON.stringify({
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        format: 'layers-model',
      });
      files[`${dir}/weights.bin`] = new Uint8Array(artifacts.weightData as ArrayBuffer);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const layers = acts.layers.map((l) => {
    const file = l.kind === 'input' ? 'input.f32' : `${dir}/${l.name}.f32`;
    files[file] = bytes(l.values);
    return { layer: l.name, file, rows: acts.count, columns: l.units, dtype: 'float32', order: 'row-major, little-endian' };
  });
  files[`${dir}/activations.json`] = JSON.stringify({ ranges: acts.ranges, layers }, null, 2);
  return files;
}
