import type { Activations } from '../activations/index.ts';
import { makeContext } from '../analysis/context.ts';
import { timed } from '../analysis/index.ts';
import { everyInput } from '../analysis/inputs.ts';
import { layerScores } from '../analysis/ood.ts';
import { separation } from '../analysis/separation.ts';
import type { Dataset } from '../data/types.ts';
import { clusterLayer, signatureOptions } from '../signatures/index.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import type { InputReuse } from './seed.ts';

// The raw input layer's work, the same for every seed (its clusters, its
// out-of-distribution scores, its separation, its 2-D maps), done apart from
// any seed: with several seed lanes, one lane does it while the others train,
// instead of every lane waiting for a first seed that does it on its way.
// The same functions on the same rows as a seed's own stages (layer 0, the
// same salts and seeds), so the numbers are those a seed would compute.

/** Which part of the input layer's work a seed waits for before each of its stages. */
export type InputPart = 'clusters' | 'analysis' | 'maps';

/** CPU milliseconds of the work, by the stage and analysis part a seed would have counted them in. */
export type InputTimings = Record<string, number>;

/**
 * Fills `reuse` with the input layer's work, calling `published` as each part
 * is ready, and returns its CPU time by stage and part.
 */
export function inputLayerWork(spec: ExperimentSpec, data: Dataset, x: Float32Array, reuse: InputReuse, published: (part: InputPart) => void): InputTimings {
  const count = data.train.count + data.test.count + data.probe.count;
  const nTrain = data.train.count;
  const nTest = data.test.count;
  const acts: Activations = {
    count,
    ranges: { train: [0, nTrain], test: [nTrain, nTrain + nTest], probe: [nTrain + nTest, count] },
    layers: [{ name: 'input', kind: 'input', units: data.features, values: x }],
  };
  const layer = acts.layers[0];
  const timings: InputTimings = {};
  const parts: Record<string, number> = {};
  const t = <T>(part: string, work: () => T) => timed(parts, part, work);
  const stage = <T>(name: string, work: () => T): T => timed(timings, `${name} (CPU)`, work);
  const options = signatureOptions(spec);
  // As computeSignatures asks for the input layer: kFor(0), salt = layer index + 1.
  const sig = stage('signatures', () => clusterLayer(layer, options.kFor(0), acts, options, 1));
  reuse.clusters.set(layer.name, sig);
  published('clusters');
  const ctx = makeContext(spec, data, acts, { layers: [sig], paths: [] }, []);
  stage('analysis', () => {
    const scores = layerScores(ctx, 0, [...ctx.rows.test, ...ctx.rows.probe], t);
    reuse.scores.set(layer.name, scores);
    reuse.separation.set(layer.name, separation(ctx, 0, sig, t, scores.neighbours));
  });
  published('analysis');
  stage('analysis', () => t('per-input export', () => everyInput(ctx, 0, reuse.maps)));
  published('maps');
  for (const [part, ms] of Object.entries(parts)) timings[`analysis: ${part} (CPU)`] = ms;
  return timings;
}
