import { dirname, resolve } from 'node:path';
import { datasetIdentity } from '../data/index.ts';
import { engineKey, resolveBackend, type BackendChoice } from '../engine/resolve.ts';
import { trainingKey } from '../model/train.ts';
import type { Result } from '../results/schema.ts';
import { resultHash, trainingHash } from '../results/store.ts';
import { readResult } from '../results/read.ts';
import type { LoadedExperiment } from '../spec/load.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { analysisLibraries } from './versions.ts';

// Whether a stored result is current, and the hashes that decide it, found
// without loading TensorFlow.js or the analysis: a build that reuses every
// result loads only this (run.ts runs the stages).

/** The engine a result of `spec` records (`run.engine`) when built here (with its GPU, on WebGPU), and the training loop: part of its hash. */
export function engineOf(spec: ExperimentSpec, choice: BackendChoice): string {
  return `${engineKey(choice)} ${trainingKey(spec, resolveBackend(choice).backend)}`;
}

/**
 * The hashes a result of `experiment` made on `engine` (as its `run.engine`
 * records it) carries while it is current: the file as it is now, the data
 * as it is here, this pipeline's version and analysis libraries. Throws when
 * the data cannot be read here.
 */
export function hashesFor({ file, spec }: LoadedExperiment, engine: string): { hash: string; trainHash: string } {
  const identity = datasetIdentity(spec.dataset, dirname(resolve(file)));
  return { hash: resultHash(spec, identity, `${engine} ${analysisLibraries()}`), trainHash: trainingHash(spec, identity, engine) };
}

export function hashesOf(experiment: LoadedExperiment, choice: BackendChoice): { hash: string; trainHash: string } {
  return hashesFor(experiment, engineOf(experiment.spec, choice));
}

/**
 * The stored result of an experiment when it is current as it stands (same
 * hash, same labels), else null: what lets a warm build skip starting a
 * worker for it. Reading only, no lock: a result is only ever replaced whole.
 */
export function currentResult(experiment: LoadedExperiment, options: { resultsDir: string; backend?: BackendChoice; force?: boolean }): Result | null {
  if (options.force) return null;
  const stored = readResult(options.resultsDir, experiment.id);
  if (!stored.ok) return null;
  const { hash } = hashesOf(experiment, options.backend ?? experiment.spec.training.backend);
  return stored.result.hash === hash && JSON.stringify(stored.result.spec) === JSON.stringify(experiment.spec) ? stored.result : null;
}
