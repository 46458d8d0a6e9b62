import { recordActivations } from '../activations/index.ts';
import { analyse } from '../analysis/index.ts';
import { loadData } from '../data/index.ts';
import { mnistIdentity } from '../data/mnist.ts';
import type { Dataset } from '../data/types.ts';
import { encodeInput } from '../data/image.ts';
import { selectEngine, type BackendChoice } from '../engine/index.ts';
import { trainModel, type TrainProgress } from '../model/train.ts';
import { artifactFiles } from '../results/artifacts.ts';
import { RESULT_SCHEMA_VERSION, type Result } from '../results/schema.ts';
import { PIPELINE_VERSION, readResult, resultHash, writeArtifacts, writeResult } from '../results/store.ts';
import { computeSignatures, signatureOptions } from '../signatures/index.ts';
import type { LoadedExperiment } from '../spec/load.ts';
import { toolVersions } from './versions.ts';

export type Stage = 'data' | 'train' | 'activations' | 'signatures' | 'analysis' | 'store';

export interface RunOptions {
  resultsDir: string;
  force?: boolean;
  backend?: BackendChoice;
  onStage?: (stage: Stage) => void;
  training?: TrainProgress;
}

export type RunOutcome = { status: 'reused' | 'relabelled' | 'built'; result: Result };

const SAMPLES_PER_CLASS = 8;

function counts(data: Dataset): Result['dataset']['counts'] {
  const out: Result['dataset']['counts'] = [];
  for (const split of ['train', 'test', 'probe'] as const) {
    const byLabel = new Map<number, number>();
    for (const l of data[split].labels) byLabel.set(l, (byLabel.get(l) ?? 0) + 1);
    for (const [label, count] of [...byLabel].sort((a, b) => a[0] - b[0])) out.push({ split, label, count });
  }
  return out;
}

function samples(data: Dataset): Result['dataset']['samples'] {
  const out: Result['dataset']['samples'] = [];
  let offset = 0;
  for (const split of ['train', 'test', 'probe'] as const) {
    const s = data[split];
    if (split !== 'test') {
      for (const label of split === 'train' ? data.classes : data.probes) {
        let taken = 0;
        for (let i = 0; i < s.count && taken < SAMPLES_PER_CLASS; i++) {
          if (s.labels[i] !== label) continue;
          out.push({ label, split, index: s.sourceIndex[i], pixels: encodeInput(data, offset + i) });
          taken++;
        }
      }
    }
    offset += s.count;
  }
  return out;
}

/**
 * Runs one experiment through every stage, or reuses its stored result when
 * the hash of what determines it has not changed.
 */
export async function runExperiment({ id, spec }: LoadedExperiment, options: RunOptions): Promise<RunOutcome> {
  const hash = resultHash(spec, mnistIdentity([...spec.dataset.classes, ...spec.dataset.probes]));
  const stored = readResult(options.resultsDir, id);
  if (!options.force && stored.ok && stored.result.hash === hash) {
    const same = JSON.stringify(stored.result.spec) === JSON.stringify(spec);
    if (same) return { status: 'reused', result: stored.result };
    const result = { ...stored.result, spec };
    writeResult(options.resultsDir, result);
    return { status: 'relabelled', result };
  }

  const timings: Record<string, number> = {};
  const time = async <T>(stage: Stage, work: () => T | Promise<T>): Promise<T> => {
    options.onStage?.(stage);
    const t0 = performance.now();
    const out = await work();
    timings[stage] = Math.round(performance.now() - t0);
    return out;
  };
  const started = performance.now();
  const engine = await selectEngine(options.backend ?? 'auto');
  const { tf } = engine;
  const data = await time('data', () => loadData(spec.dataset));
  const trained = await time('train', () => trainModel(tf, spec, data, spec.training.seed, options.training));
  const acts = await time('activations', () => recordActivations(tf, trained.model, trained.hiddenLayers, data));
  const sigs = await time('signatures', () => computeSignatures(acts, signatureOptions(spec)));
  const analysis = await time('analysis', () => analyse(spec, data, acts, sigs));
  const last = trained.history[trained.history.length - 1];
  const result: Result = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id,
    hash,
    pipelineVersion: PIPELINE_VERSION,
    spec,
    run: { backend: engine.backend, backendReason: engine.reason, versions: toolVersions(), createdAt: new Date().toISOString(), timings },
    dataset: {
      name: data.name,
      identity: data.identity,
      width: data.width,
      height: data.height,
      classes: data.classes,
      probes: data.probes,
      counts: counts(data),
      samples: samples(data),
    },
    training: { history: trained.history, samplesPerSecond: trained.samplesPerSecond, testAccuracy: last.testAccuracy },
    ...analysis,
  };
  await time('store', async () => writeArtifacts(options.resultsDir, id, await artifactFiles(tf, trained.model, acts)));
  timings.total = Math.round(performance.now() - started);
  // The JSON is written last: it is the commit point of the whole run.
  writeResult(options.resultsDir, result);
  trained.model.dispose();
  return { status: 'built', result };
}
