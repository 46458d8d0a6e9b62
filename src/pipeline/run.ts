import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { allInputs } from '../activations/index.ts';
import { separationAnswer, signaturesAnswer, unseenAnswer } from '../analysis/answers.ts';
import { statisticsTable } from '../analysis/catalogue.ts';
import { inputsIndex } from '../analysis/inputs.ts';
import { stability, type SeedModel } from '../analysis/stability.ts';
import { loadData } from '../data/index.ts';
import { engineFailure, selectEngine, type BackendChoice } from '../engine/index.ts';
import { trainingLoop, type TrainProgress } from '../model/train.ts';
import { INPUTS_INDEX_FILE } from '../results/inputs.ts';
import { currentResult, engineOf, hashesOf } from './current.ts';
import { acquireLock, type Lock } from '../results/lock.ts';
import { RESULT_SCHEMA_VERSION, type Result } from '../results/schema.ts';
import { PIPELINE_VERSION, removeLeftovers, storeError, writeArtifacts, writeResult } from '../results/store.ts';
import { readResult } from '../results/read.ts';
import type { LoadedExperiment } from '../spec/load.ts';
import { seedsOf } from '../spec/schema.ts';
import { datasetSummary } from './dataset-summary.ts';
import { emptyReuse, runSeed, type SeedHooks, type SeedOutput, type Stage } from './seed.ts';
import { SeedThread } from './seed-threads.ts';
import { inputLayerWork, type InputTimings } from './input-layer.ts';
import { toolVersions } from './versions.ts';

export type { Stage } from './seed.ts';
export { currentResult, engineOf, hashesFor } from './current.ts';

export interface RunOptions {
  resultsDir: string;
  force?: boolean;
  backend?: BackendChoice;
  onStage?: (stage: Stage, seed?: number) => void;
  /** Told once when another build holds this experiment's lock. */
  onWait?: (holder: string) => void;
  training?: TrainProgress;
  /** Seeds of this experiment run at once (the first always alone, since it lends the input layer's work to the others). */
  seedJobs?: number;
}

/** `why`: for a result built, why the stored one could not be used (empty otherwise). */
export type RunOutcome = { status: 'reused' | 'relabelled' | 'built'; result: Result; why: string };

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
  const lockPath = join(options.resultsDir, `${id}.lock`);
  let lock: Lock;
  try {
    mkdirSync(options.resultsDir, { recursive: true });
    lock = await acquireLock(lockPath, (holder) => options.onWait?.(holder));
  } catch (err) {
    throw storeError(err, lockPath);
  }
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

async function build(
  { id, spec }: LoadedExperiment,
  options: RunOptions,
  { hash, trainHash, previous }: Hashes,
  baseDir: string,
  choice: BackendChoice,
): Promise<Result> {
  const timings: Record<string, number> = {};
  const time = async <T>(stage: Stage, work: () => T | Promise<T>): Promise<T> => {
    options.onStage?.(stage);
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
  const dir = join(options.resultsDir, id);
  const before = (seed: number) => previous?.runs.find((r) => r.seed === seed) ?? null;
  const hooks: SeedHooks = { onStage: options.onStage, training: options.training };
  // Seed threads start now, to load their engine and data and train. With
  // threads, this thread first does the input layer's seed-independent work
  // (input-layer.ts), sending each part to them as it is done; then the first
  // seed (whose figures' maps share that work's input layer) and its other
  // seeds. Without, the first seed does that work on its way and lends it to
  // the seeds after it. Threads run on the engine this thread resolved (never
  // `auto` again, which could resolve otherwise there); none on the native
  // engine, which already uses every core and is not known to load in threads.
  const lanes = engine.backend === 'wasm' || engine.backend === 'cpu' ? Math.min((options.seedJobs ?? 1) - 1, seeds.length - 1) : 0;
  const threads = Array.from({ length: Math.max(0, lanes) }, () => new SeedThread({ spec, baseDir, choice: engine.backend as BackendChoice, dir }));
  const reuse = emptyReuse();
  // Each lane's seeds, fixed now: this thread is busy with the input layer and
  // its own seeds for seconds at a time without a turn of its event loop, so a
  // thread that finished a seed would wait for it to be handed the next. Each
  // seed goes to the lane with the least work so far, the input layer's work
  // counted as one seed's (it is about one seed's analysis).
  const lanesOf: { seed: number; index: number }[][] = [[], ...threads.map(() => [])];
  const load = lanesOf.map((_, l) => (l === 0 ? (threads.length ? 2 : 1) : 0));
  seeds.slice(1).forEach((seed, i) => {
    const lane = load.reduce((best, w, l) => (w < load[best] || (w === load[best] && l > best) ? l : best), load.length - 1);
    lanesOf[lane].push({ seed, index: i + 1 });
    load[lane]++;
  });
  const outputs: SeedOutput[] = [];
  let inputTimings: InputTimings = {};
  try {
    const failures: unknown[] = [];
    // The threads' lanes first: each sends its seeds before this thread's lane starts its own work, which holds it.
    const running = [...threads, null].map(async (thread, t) => {
      const queue = lanesOf[thread ? t + 1 : 0];
      try {
        if (thread) {
          // All of its seeds at once: it runs them in turn.
          await Promise.all(queue.splice(0).map((job) => thread.run({ ...job, before: before(job.seed), reuse }, hooks).then((o) => (outputs[job.index] = o))));
          return;
        }
        if (threads.length) {
          options.onStage?.('signatures');
          inputTimings = inputLayerWork(spec, data, x, reuse, (part) => {
            for (const other of threads) other.share(part, reuse);
          });
        }
        outputs[0] = await runSeed(tf, { spec, data, x, seed: seeds[0], index: 0, dir, before: before(seeds[0]), reuse }, hooks);
        for (let job = queue.shift(); job; job = queue.shift())
          outputs[job.index] = await runSeed(tf, { spec, data, x, ...job, dir, before: before(job.seed), reuse }, hooks);
      } catch (error) {
        // One failed seed fails the experiment: no lane takes a new seed and
        // the threads stop now; the error is thrown once this thread's own
        // seed in progress has ended, so that nothing runs on after it.
        failures.push(error);
        for (const lane of lanesOf) lane.length = 0;
        await Promise.all(threads.map((t) => t.close()));
      }
    });
    await Promise.all(running);
    if (failures.length) throw failures[0];
  } catch (error) {
    // A lost GPU device is named as such (and the engine starts afresh for the next experiment).
    throw await engineFailure(error);
  } finally {
    await Promise.all(threads.map((t) => t.close()));
  }
  const runs = outputs.map((o) => o.run);
  const models: SeedModel[] = outputs.map((o) => o.model);
  const files = Object.assign({}, ...outputs.map((o) => o.files)) as Record<string, string | Uint8Array>;
  files[INPUTS_INDEX_FILE] = JSON.stringify(inputsIndex(spec, data, models[0], id, hash, seeds));
  for (const o of outputs) for (const [stage, ms] of Object.entries(o.timings)) timings[stage] = (timings[stage] ?? 0) + ms;
  for (const [stage, ms] of Object.entries(inputTimings)) timings[stage] = (timings[stage] ?? 0) + ms;
  const reusedTraining = seeds.filter((_, i) => outputs[i].reusedTraining);
  const trainedRows = Array.from({ length: data.train.count + data.test.count }, (_, i) => i);
  const stable = await time('analysis', () => stability(models, trainedRows, spec.analysis.seed));
  const summary = datasetSummary(data);
  const counts = { test: data.test.count, probe: (label: number) => runs[0].probes.find((p) => p.label === label)?.count ?? 0 };
  const statistics = statisticsTable(runs, counts, data.classes, data.probes);
  const draft = { spec, dataset: summary, runs, statistics };
  const unseen = unseenAnswer(draft);
  const answers = [separationAnswer(draft), signaturesAnswer(draft), ...(unseen ? [unseen] : [])];
  const swap = await time('store', () => writeArtifacts(options.resultsDir, id, files));
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
      ...(engine.adapter ? { adapter: engine.adapter } : {}),
      engine: engineOf(spec, choice),
      loop: trainingLoop(spec, engine.backend),
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
    statistics,
    answers,
  };
  // The JSON is written last: it is the commit point of the whole run. Should
  // it fail (a full disk), the artifacts it would have pointed at are undone.
  try {
    writeResult(options.resultsDir, result);
  } catch (err) {
    swap.undo();
    throw err;
  }
  swap.keep();
  return result;
}
