import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { SeedRun } from '../results/schema.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { signatureLayers } from './build.ts';
import type { TrainedModel } from './types.ts';

/**
 * A seed's model as a previous build saved it (`seed-<n>/model.json` and
 * `weights.bin`), with that run's training record: what a rebuild uses when
 * only the clustering or the analysis changed. Null when the files are not
 * all there or do not load.
 */
export async function loadTrained(tf: typeof tfType, spec: ExperimentSpec, dir: string, previous: SeedRun): Promise<TrainedModel | null> {
  try {
    const folder = join(dir, `seed-${previous.seed}`);
    const { modelTopology, weightsManifest } = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    const weightData = new Uint8Array(readFileSync(join(folder, 'weights.bin'))).buffer;
    const model = (await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0].weights, weightData }))) as tfType.Sequential;
    const layers = signatureLayers(spec);
    return {
      model,
      hiddenLayers: layers.map((l) => l.name),
      layers,
      history: previous.training.history,
      trainMs: 0,
      samplesPerSecond: previous.training.samplesPerSecond,
    };
  } catch {
    return null;
  }
}
