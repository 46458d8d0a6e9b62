import type * as tfType from '@tensorflow/tfjs';
import { activationOptions, recordActivations } from '../activations/index.ts';
import { analyse, threadCpuMs } from '../analysis/index.ts';
import { type InputMaps, seedInputs } from '../analysis/inputs.ts';
import type { Scores } from '../analysis/ood.ts';
import { predictions } from '../analysis/paths.ts';
import type { Separation } from '../analysis/separation.ts';
import type { SeedModel } from '../analysis/stability.ts';
import type { Dataset } from '../data/types.ts';
import { outgoingWeights } from '../model/build.ts';
import { loadTrained } from '../model/load.ts';
import { trainModel, type TrainProgress } from '../model/train.ts';
import { artifactFiles } from '../results/artifacts.ts';
import { inputsFiles } from '../results/inputs.ts';
import type { SeedRun } from '../results/schema.ts';
import { computeSignatures, signatureOptions, type LayerSignatures } from '../signatures/index.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import type { InputPart } from './input-layer.ts';

// One seed through every stage: train (or reuse the stored model), record
// activations, cluster, analyse. The same function runs in the experiment's
// own thread and in the seed threads of seed-threads.ts, so a seed's numbers
// do not depend on where it ran.

export type Stage = 'data' | 'train' | 'activations' | 'signatures' | 'analysis' | 'store';

/** What the raw input layer gives every seed alike: computed by the first seed, lent to the others. */
export interface InputReuse {
  clusters: Map<string, LayerSignatures>;
  separation: Map<string, Separation>;
  scores: Map<string, Scores>;
  /** The input layer's 2-D maps of every input, for the per-input export. */
  maps: Map<string, InputMaps>;
}

export const emptyReuse = (): InputReuse => ({ clusters: new Map(), separation: new Map(), scores: new Map(), maps: new Map() });

export interface SeedInput {
  spec: ExperimentSpec;
  data: Dataset;
  /** Every input, train, test, probe order (allInputs). */
  x: Float32Array;
  seed: number;
  /** Position of the seed in the spec's list: the first one stores curves and figures' detail. */
  index: number;
  /** `results/<id>`, where a previous build's models are. */
  dir: string;
  /** The stored run of this seed, when its model can be reused. */
  before: SeedRun | null;
  reuse: InputReuse;
  /** Where another lane is doing the input layer's work (input-layer.ts): waits until the part a stage needs is in `reuse`. */
  waitFor?: (part: InputPart) => Promise<void>;
}

export interface SeedOutput {
  run: SeedRun;
  model: SeedModel;
  files: Record<string, string | Uint8Array>;
  /** Milliseconds by stage. */
  /** Per stage, and per part of the analysis (`analysis: ood`…), in milliseconds. */
  timings: Partial<Record<Stage, number>> & Record<string, number>;
  reusedTraining: boolean;
}

export interface SeedHooks {
  onStage?: (stage: Stage, seed: number) => void;
  training?: TrainProgress;
}

function confusion(data: Dataset, predicted: Int32Array, testRange: [number, number]): SeedRun['training']['confusion'] {
  const counts = new Map<string, number>();
  for (let i = testRange[0]; i < testRange[1]; i++) {
    const key = `${data.test.labels[i - testRange[0]]} ${data.classes[predicted[i]]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return data.classes.flatMap((actual) => data.classes.map((p) => ({ actual, predicted: p, count: counts.get(`${actual} ${p}`) ?? 0 })));
}

/** Runs one seed; fills `input.reuse` with the input layer's work when it is the first to do it. */
export async function runSeed(tf: typeof tfType, input: SeedInput, hooks: SeedHooks = {}): Promise<SeedOutput> {
  const { spec, data, x, seed, reuse } = input;
  const timings: SeedOutput['timings'] = {};
  const time = async <T>(stage: Stage, work: () => T | Promise<T>): Promise<T> => {
    hooks.onStage?.(stage, seed);
    const t0 = performance.now();
    const c0 = threadCpuMs();
    const out = await work();
    timings[stage] = (timings[stage] ?? 0) + Math.round(performance.now() - t0);
    timings[`${stage} (CPU)`] = (timings[`${stage} (CPU)`] ?? 0) + Math.round(threadCpuMs() - c0);
    return out;
  };
  const loaded = input.before ? await loadTrained(tf, spec, input.dir, input.before) : null;
  const trained = loaded ?? (await time('train', () => trainModel(tf, spec, data, seed, hooks.training)));
  const acts = await time('activations', () => recordActivations(tf, trained.model, trained.hiddenLayers, data, x, activationOptions(spec)));
  await input.waitFor?.('clusters');
  const sigs = await time('signatures', () => computeSignatures(acts, signatureOptions(spec), reuse.clusters));
  reuse.clusters.set('input', sigs.layers[0]);
  const kernels = await Promise.all(trained.hiddenLayers.map((name) => outgoingWeights(trained.model, name)));
  const parts: Record<string, number> = {};
  await input.waitFor?.('analysis');
  const { separations, scores, ...analysis } = await time('analysis', () =>
    analyse(spec, data, acts, sigs, kernels, { curves: input.index === 0, reuse: reuse.separation, inputScores: reuse.scores, parts }),
  );
  for (const [part, ms] of Object.entries(parts)) timings[`analysis: ${part} (CPU)`] = ms;
  reuse.separation.set('input', separations.get('input')!);
  const last = trained.history[trained.history.length - 1];
  const run: SeedRun = {
    seed,
    training: {
      history: trained.history,
      samplesPerSecond: trained.samplesPerSecond,
      testAccuracy: last.testAccuracy,
      confusion: confusion(data, predictions(acts), acts.ranges.test),
    },
    ...analysis,
  };
  const files = await artifactFiles(tf, trained.model, acts, seed);
  // Every input's prediction, clusters, maps and scores, for the explorer and inputs.csv.
  await input.waitFor?.('maps');
  const t0 = performance.now();
  const c0 = threadCpuMs();
  Object.assign(
    files,
    await time('analysis', () =>
      inputsFiles(null, seedInputs({ spec, data, acts, sigs, kernels, scores, layers: analysis.layers, seed, inputMaps: reuse.maps })),
    ),
  );
  timings['analysis: per-input export'] = Math.round(performance.now() - t0);
  timings['analysis: per-input export (CPU)'] = Math.round(threadCpuMs() - c0);
  trained.model.dispose();
  return { run, model: { acts, sigs }, files, timings, reusedTraining: loaded !== null };
}
