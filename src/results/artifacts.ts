import type * as tfType from '@tensorflow/tfjs';
import type { Activations } from '../activations/index.ts';

const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The trained weights (TF.js layers format) and every layer's raw activations as little-endian Float32. */
export async function artifactFiles(tf: typeof tfType, model: tfType.Sequential, acts: Activations): Promise<Record<string, string | Uint8Array>> {
  const files: Record<string, string | Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      files['model.json'] = JSON.stringify({
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        format: 'layers-model',
      });
      files['weights.bin'] = new Uint8Array(weightData);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const manifest = [acts.input, ...acts.hidden, acts.probabilities].map((l) => {
    files[`${l.name}.f32`] = bytes(l.values);
    return { layer: l.name, file: `${l.name}.f32`, rows: acts.count, columns: l.units, dtype: 'float32', order: 'row-major, little-endian' };
  });
  files['activations.json'] = JSON.stringify({ ranges: acts.ranges, layers: manifest }, null, 2);
  return files;
}
