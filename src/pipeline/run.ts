import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { activationOptions, allInputs, recordActivations } from '../activations/index.ts';
import { analyse } from '../analysis/index.ts';
import { layerCurves, separationAnswer, signaturesAnswer, unseenAnswer } from '../analysis/answers.ts';
import { predictions } from '../analysis/paths.ts';
import type { Scores } from '../analysis/ood.ts';
import type { Separation } from '../analysis/separation.ts';
import { stability, type SeedModel } from '../analysis/stability.ts';
import { datasetIdentity, loadData } from '../data/index.ts';
import type { Dataset } from '../data/types.ts';
import { engineKey, selectEngine, type BackendChoice } from '../engine/index.ts';
import { acquireLock } from '../results/lock.ts';
import { outgoingWeights } from '../model/build.ts';
import { trainingKey, trainingLoop, trainModel, type TrainProgress } from '../model/train.ts';
import { artifactFiles } from '../results/artifacts.ts';
import { RESULT_SCHEMA_VERSION, type Result, type SeedRun } from '../results/schema.ts';
import { PIPELINE_VERSION, readResult, removeLeftovers, resultHash, trainingHash, writeArtifacts, writeResult } from '../results/store.ts';
import { loadTrained } from '../model/load.ts';
import { computeSignatures, signatureOptions, type LayerSignatures } from '../signatures/index.ts';
import type { LoadedExperiment } from '../spec/load.ts';
import { seedsOf } from '../spec/schema.ts';
import { datasetSummary } from './dataset-summary.ts';
import { analysisLibraries, toolVersions } from './versions.ts';

export type Stage = 'data' | 'train' | 'activations' | 'signatures' | 'analysis' | 'store';

export interface RunOptions {
  resultsDir: string;
  force?: boolean;
  backend?: BackendChoice;
  onStage?: (stage: Stage, seed?: number) => void;
  /** Told once when another build holds this experiment's lock. */
  onWait?: (holder: string) => void;
  training?: TrainProgress;
}

/** `why`: for a result built, why the stored one could not be used (empty otherwise). */
export type RunOutcome = { status: 'reused' | 'relabelled' | 'built'; result: Result; why: string };

function confusion(data: Dataset, predicted: Int32Array, testRange: [number, number]): SeedRun['training']['confusion'] {
  const counts = new Map<string, number>();
  for (let i = testRange[0]; i < testRange[1]; i++) {
    const key = `${data.test.labels[i - testRange[0]]} ${data.classes[predicted[i]]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return data.classes.flatMap((actual) => data.classes.map((p) => ({ actual, predicted: p, count: counts.get(`${actual} ${p}`) ?? 0 })));
}

function hashesOf({ file, spec }: LoadedExperiment, choice: BackendChoice): { hash: string; trainHash: string } {
  const identity = datasetIdentity(spec.dataset, dirname(resolve(file)));
  const engine = `${engineKey(choice)} ${trainingKey(spec)}`;
  return { hash: resultHash(spec, identity, `${engine} ${analysisLibraries()}`), trainHash: trainingHash(spec, identity, engine) };
}

/**
 * The stored result of an experiment when it is current as it stands (same
 * hash, same labels), else null: what lets a warm build skip starting a
 * worker for it. Reading only, no lock: a result is only ever replaced whole.
 */
export function currentResult(experiment: LoadedExperiment, options: Pick<RunOptions, 'resultsDir' | 'backend' | 'force'>): Result | null {
  if (options.force) return null;
  const stored = readResult(options.resultsDir, experiment.id);
  if (!stored.ok) return null;
  const { hash } = hashesOf(experiment, options.backend ?? experiment.spec.training.backend);
  return stored.result.hash === hash && JSON.stringify(stored.result.spec) === JSON.stringify(experiment.spec) ? stored.result : null;
}

/**
 * Runs one experiment through every stage, one model per seed, or reuses its
 * stored result when the hash of what determines it has not changed.
 */
export async function runExperiment(experiment: LoadedExperiment, options: RunOptions): Promise<RunOutcome> {
  const { id, file, spec } = experiment;
  // Relative dataset folders start at the experiment file.
  const baseDir = dirname(resolve(file));
  const choice = options.backend ?? spec.training.backend;
  const { hash, trainHash } = hashesOf(experiment, choice);
  // A quick look without the lock: a stored result that still holds needs no wait.
  const current = currentResult(experiment, options);
  if (current) return { status: 'reused', result: current, why: '' };
  mkdirSync(options.resultsDir, { recursive: true });
  const lock = await acquireLock(join(options.resultsDir, `${id}.lock`), (holder) => options.onWait?.(holder));
  try {
    // Another build may have written it while this one waited.
    const read = readResult(options.resultsDir, id);
    const stored = read.ok && !options.force ? read.result : null;
    if (stored?.hash === hash) {
      if (JSON.stringify(stored.spec) === JSON.stringify(spec)) return { status: 'reused', result: stored, why: '' };
      const result = { ...stored, spec };
      writeResult(options.resultsDir, result);
      return { status: 'relabelled', result, why: '' };
    }
    // A result whose models still hold lends them to the rebuild.
    const previous = stored?.trainingHash === trainHash ? stored : null;
    const why = options.force ? 'forced' : !read.ok ? read.reason : previous ? 'its clustering or analysis changed' : 'what determines it changed';
    removeLeftovers(options.resultsDir, id);
    return { status: 'built', result: await build(experiment, options, { hash, trainHash, previous }, baseDir, choice), why };
  } finally {
    lock.release();
  }
}

interface Hashes {
  hash: string;
  trainHash: string;
  /** The stored result, when its trained models can be reused. */
  previous: Result | null;
}

async function build({ id, spec }: LoadedExperiment, options: RunOptions, { hash, trainHash, previous }: Hashes, baseDir: string, choice: BackendChoice): Promise<Result> {
  const timings: Record<string, number> = {};
  const time = async <T>(stage: Stage, work: () => T | Promise<T>, seed?: number): Promise<T> => {
    options.onStage?.(stage, seed);
    const t0 = performance.now();
    const out = await work();
    timings[stage] = (timings[stage] ?? 0) + Math.round(performance.now() - t0);
    return out;
  };
  const started = performance.now();
  const engine = await selectEngine(choice);
  const { tf } = engine;
  const data = await time('data', () => loadData(spec.dataset, baseDir));
  const x = allInputs(data);
  const seeds = seedsOf(spec);
  const runs: SeedRun[] = [];
  const models: SeedModel[] = [];
  const files: Record<string, string | Uint8Array> = {};
  // The input layer is the same for every seed: clustered and measured once.
  const reuseClusters = new Map<string, LayerSignatures>();
  const reuseSeparation = new Map<string, Separation>();
  const inputScores = new Map<string, Scores>();
  const reusedTraining: number[] = [];
  for (const [si, seed] of seeds.entries()) {
    const before = previous?.runs.find((r) => r.seed === seed);
    const loaded = before ? await loadTrained(tf, spec, join(options.resultsDir, id), before) : null;
    if (loaded) reusedTraining.push(seed);
    const trained = loaded ?? (await time('train', () => trainModel(tf, spec, data, seed, options.training), seed));
    const acts = await time('activations', () => recordActivations(tf, trained.model, trained.hiddenLayers, data, x, activationOptions(spec)), seed);
    const sigs = await time('signatures', () => computeSignatures(acts, signatureOptions(spec), reuseClusters), seed);
    reuseClusters.set('input', sigs.layers[0]);
    const kernels = trained.hiddenLayers.map((name) => outgoingWeights(trained.model, name));
    const { separations, ...analysis } = await time('analysis', () => analyse(spec, data, acts, sigs, kernels, { curves: si === 0, reuse: reuseSeparation, inputScores }), seed);
    reuseSeparation.set('input', separations.get('input')!);
    const last = trained.history[trained.history.length - 1];
    runs.push({
      seed,
      training: { history: trained.history, samplesPerSecond: trained.samplesPerSecond, testAccuracy: last.testAccuracy, confusion: confusion(data, predictions(acts), acts.ranges.test) },
      ...analysis,
    });
    models.push({ acts, sigs });
    Object.assign(files, await artifactFiles(tf, trained.model, acts, seed));
    trained.model.dispose();
  }
  const trainedRows = Array.from({ length: data.train.count + data.test.count }, (_, i) => i);
  const stable = await time('analysis', () => stability(models, trainedRows, spec.analysis.seed));
  const summary = datasetSummary(data);
  const unseen = unseenAnswer(spec, runs, summary.names, data.test.count);
  const answers = [separationAnswer(spec, runs, data.test.count, summary.names), signaturesAnswer(spec, runs, summary.names), ...(unseen ? [unseen] : [])];
  await time('store', () => writeArtifacts(options.resultsDir, id, files));
  timings.total = Math.round(performance.now() - started);
  const result: Result = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id,
    hash,
    trainingHash: trainHash,
    pipelineVersion: PIPELINE_VERSION,
    spec,
    run: {
      backend: engine.backend,
      backendReason: engine.reason,
      engine: `${engineKey(choice)} ${trainingKey(spec)}`,
      loop: trainingLoop(spec),
      versions: toolVersions(),
      createdAt: new Date().toISOString(),
      timings,
      seeded: {
        'sample selection and train/test split': `dataset.seed ${spec.dataset.seed}`,
        'weights and batch order': `one model per seed: ${seeds.join(', ')}`,
        'k-means++ initialisation': `signatures.seed ${spec.signatures.seed} + restart (${spec.signatures.restarts} restarts)`,
        'analysis samples and label shuffles': `analysis.seed ${spec.analysis.seed}`,
      },
      reusedTraining,
    },
    dataset: summary,
    seeds,
    runs,
    stability: stable,
    curves: layerCurves(runs),
    answers,
  };
  // The JSON is written last: it is the commit point of the whole run.
  writeResult(options.resultsDir, result);
  return result;
}
