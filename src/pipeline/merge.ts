import { existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { trainingKey } from '../model/train.ts';
import { acquireLock } from '../results/lock.ts';
import type { Result } from '../results/schema.ts';
import { clearFailure, importArtifacts, readFailure, removeLeftovers, storeError, writeFailure, writeResultText } from '../results/store.ts';
import { readResult } from '../results/read.ts';
import type { RunFailure } from '../spec/errors.ts';
import { loadExperiments, type LoadedExperiment } from '../spec/load.ts';
import { canonicalJson } from '../util/hash.ts';
import { engineOf, hashesFor } from './run.ts';

// Merging results made elsewhere (the shards of a sweep, artifacts a CI job
// downloaded) into one store. Each result is checked as the store checks its
// own (schema, seal, id), then against the experiment file as it is now: its
// hash is recomputed from the file, the data here and this pipeline, with the
// engine the result records. Nothing out of date, damaged or in conflict is
// merged, and each is named.

export interface MergeOptions {
  /** Folders holding `<id>.json` (and `<id>/`, `<id>.error.json`), in the order given. */
  from: string[];
  /** The store merged into. */
  into: string;
  experimentsDir: string;
}

export type Verdict =
  /** `note`: what else to know (what it replaced, no artifacts, another engine). */
  | { id: string; kind: 'merged'; from: string; note: string }
  /** Not merged, and nothing wrong: already there, superseded, not an experiment of this folder. */
  | { id: string; kind: 'skipped'; reason: string }
  /** Damaged, out of date with no current result beside it, or not checkable here. */
  | { id: string; kind: 'refused'; reason: string }
  /** Two current results for one experiment that say different things: neither is merged. */
  | { id: string; kind: 'conflict'; reason: string }
  /** No result, but a shard's record of why it failed: carried, so the site shows it. */
  | { id: string; kind: 'failed'; from: string; failure: RunFailure };

/** A result checked against its experiment file. */
type Checked = { ok: true; result: Result; text: string } | { ok: false; stale: boolean; reason: string };

/**
 * Checks a stored result of `experiment` in `dir`: readable, sealed, of the
 * results schema, then current: made by this pipeline from the file and data
 * as they are now. The engine is taken from the result: a shard may have run
 * on a GPU runner (native TensorFlow, WebGPU) that this machine is not. For
 * the engines every machine has (WebAssembly, the pure JS engine), its
 * versions must be these.
 */
export function checkStored(experiment: LoadedExperiment, dir: string): Checked {
  const read = readResult(dir, experiment.id);
  if (!read.ok) return { ok: false, stale: false, reason: read.reason };
  const { result, text } = read;
  const file = relative(process.cwd(), experiment.file) || experiment.file;
  const where = join(dir, `${experiment.id}.json`);
  const { engine, backend } = result.run;
  // The native engine and WebGPU (with the runner's GPU) are the runner's: taken on the result's word, with this training loop.
  const expectedEngine = backend === 'wasm' || backend === 'cpu' ? engineOf(experiment.spec, backend) : `${backend} … ${trainingKey(experiment.spec, backend)}`;
  const engineHolds =
    backend === 'wasm' || backend === 'cpu'
      ? engine === expectedEngine
      : (backend === 'tensorflow' || backend === 'webgpu') && engine.startsWith(`${backend} `) && engine.endsWith(` ${trainingKey(experiment.spec, backend)}`);
  if (!engineHolds) {
    return {
      ok: false,
      stale: true,
      reason: `${where} is out of date: it was made with engine "${engine}", and this version of Chemins runs "${expectedEngine}"`,
    };
  }
  let expected: { hash: string; trainHash: string };
  try {
    expected = hashesFor(experiment, engine);
  } catch (err) {
    return {
      ok: false,
      stale: false,
      reason: `${where} cannot be checked: the data ${file} reads is not readable here (${String((err as Error)?.message ?? err).split('\n')[0]})`,
    };
  }
  if (expected.hash !== result.hash || expected.trainHash !== result.trainingHash) {
    return {
      ok: false,
      stale: true,
      reason: `${where} is out of date: its hash does not match ${file} as it is now (the file, its data or the pipeline changed since it was made)`,
    };
  }
  return { ok: true, result, text };
}

/**
 * What a result says, without when, where and how fast it was made: two
 * results of one experiment with the same numbers are the same result.
 */
export function resultNumbers(result: Result): string {
  const { createdAt, timings, versions, backendReason, reusedTraining, ...run } = result.run;
  return canonicalJson({ ...result, run, runs: result.runs.map((r) => ({ ...r, training: { ...r.training, samplesPerSecond: 0 } })) });
}

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const sameFolder = (a: string, b: string) => existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);

/** Ids of the results and failure records a folder holds. */
function listFolder(dir: string): { results: string[]; failures: string[] } {
  const names = readdirSync(dir);
  const failures = names.filter((n) => n.endsWith('.error.json')).map((n) => n.slice(0, -'.error.json'.length));
  const results = names.filter((n) => n.endsWith('.json') && !n.endsWith('.error.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length));
  return { results, failures };
}

/**
 * Merges the results of `from` into `into`. Per experiment: the current
 * results offered (out-of-date ones are refused, or skipped when a current
 * one is merged beside them) must agree, and agree with a current result
 * already in the store; the one merged brings its artifacts folder, if it
 * has one, and the store's previous artifacts are removed either way. A
 * folder that cannot be read throws before anything is merged.
 */
export async function mergeResults({ from, into, experimentsDir }: MergeOptions): Promise<Verdict[]> {
  for (const dir of from) if (!isDir(dir)) throw new Error(`${dir} is not a folder of results`);
  const experiments = new Map<string, LoadedExperiment>();
  const invalid = new Set<string>();
  for (const o of loadExperiments(resolve(experimentsDir))) {
    if (o.ok) experiments.set(o.experiment.id, o.experiment);
    else invalid.add(basename(o.error.file).replace(/\.ya?ml$/, ''));
  }
  const sources = from.filter((dir) => !sameFolder(dir, into));
  const listed = sources.map((dir) => ({ dir, ...listFolder(dir) }));
  const ids = [...new Set(listed.flatMap((l) => [...l.results, ...l.failures]))].sort();
  const verdicts: Verdict[] = [];
  for (const dir of from.filter((d) => !sources.includes(d))) verdicts.push({ id: '', kind: 'skipped', reason: `${dir} is the store merged into` });

  for (const id of ids) {
    const experiment = experiments.get(id);
    if (!experiment) {
      const why = invalid.has(id)
        ? `its experiment file in ${experimentsDir} is invalid (the site shows why)`
        : `there is no experiment file ${join(experimentsDir, `${id}.yaml`)}`;
      verdicts.push({ id, kind: 'skipped', reason: why });
      continue;
    }
    const offered = listed.filter((l) => l.results.includes(id)).map((l) => ({ dir: l.dir, check: checkStored(experiment, l.dir) }));
    const current = offered.flatMap((o) => (o.check.ok ? [{ dir: o.dir, ...o.check }] : []));
    // The first of each different result, in the order the folders were given.
    const seen = new Set<string>();
    const distinct = current.filter((c) => {
      const numbers = resultNumbers(c.result);
      return !seen.has(numbers) && Boolean(seen.add(numbers));
    });
    const refusedHere = (o: (typeof offered)[number]) => !o.check.ok && (!o.check.stale || distinct.length === 0);
    for (const o of offered) {
      if (o.check.ok) continue;
      if (refusedHere(o)) verdicts.push({ id, kind: 'refused', reason: o.check.reason });
      else verdicts.push({ id, kind: 'skipped', reason: `${o.check.reason}; superseded by the current result beside it` });
    }
    if (distinct.length > 1) {
      verdicts.push({
        id,
        kind: 'conflict',
        reason: `${distinct.map((c) => join(c.dir, `${id}.json`)).join(' and ')} are different results of ${experiment.file} (${describeDifference(distinct[0].result, distinct[1].result)}); none was merged`,
      });
      continue;
    }
    const stored = existsSync(join(into, `${id}.json`)) ? checkStored(experiment, into) : null;
    if (distinct.length === 0) {
      const withFailure = listed.find((l) => l.failures.includes(id));
      const failure = withFailure ? readFailure(withFailure.dir, id) : null;
      if (!withFailure) continue;
      if (!failure) verdicts.push({ id, kind: 'refused', reason: `${join(withFailure.dir, `${id}.error.json`)} is not a failure record` });
      else if (stored?.ok)
        verdicts.push({
          id,
          kind: 'skipped',
          reason: `${join(withFailure.dir, `${id}.error.json`)} records a failure, and ${into} already holds a current result`,
        });
      else {
        writeFailure(into, { id, file: failure.file, name: failure.name, title: failure.title, problems: failure.problems, hint: failure.hint });
        verdicts.push({ id, kind: 'failed', from: withFailure.dir, failure });
      }
      continue;
    }
    const chosen = distinct[0];
    const copies = current.filter((c) => c !== chosen).map((c) => join(c.dir, `${id}.json`));
    for (const copy of copies) verdicts.push({ id, kind: 'skipped', reason: `${copy} is the same result as ${join(chosen.dir, `${id}.json`)}` });
    if (stored?.ok) {
      if (resultNumbers(stored.result) === resultNumbers(chosen.result))
        verdicts.push({ id, kind: 'skipped', reason: `${into} already holds the same result` });
      else
        verdicts.push({
          id,
          kind: 'conflict',
          reason: `${join(into, `${id}.json`)} is a different current result of ${experiment.file} (${describeDifference(stored.result, chosen.result)}); ${join(chosen.dir, `${id}.json`)} was not merged: remove one of them`,
        });
      continue;
    }
    const artifacts = isDir(join(chosen.dir, id)) ? join(chosen.dir, id) : null;
    await importOne(into, id, chosen.text, artifacts);
    const notes = [
      stored && !stored.ok ? `replacing the result stored before (${stored.reason})` : '',
      artifacts ? '' : 'without artifacts (models and activations)',
      chosen.result.run.engine === engineOf(experiment.spec, experiment.spec.training.backend)
        ? ''
        : `made on ${chosen.result.run.backend}, which a build here would not use: \`npm run experiments\` here would rebuild it`,
    ].filter(Boolean);
    verdicts.push({ id, kind: 'merged', from: chosen.dir, note: notes.join('; ') });
  }
  return verdicts;
}

/** Writes one checked result into the store under its lock: artifacts first, then the JSON, the commit point. */
async function importOne(into: string, id: string, text: string, artifacts: string | null): Promise<void> {
  const lockPath = join(into, `${id}.lock`);
  let lock: Awaited<ReturnType<typeof acquireLock>>;
  try {
    mkdirSync(into, { recursive: true });
    lock = await acquireLock(lockPath);
  } catch (err) {
    throw storeError(err, lockPath);
  }
  try {
    removeLeftovers(into, id);
    const swap = importArtifacts(into, id, artifacts);
    try {
      writeResultText(into, id, text);
    } catch (err) {
      swap.undo();
      throw err;
    }
    swap.keep();
    clearFailure(into, id);
  } finally {
    lock.release();
  }
}

/** Where two results of one experiment first differ, in a few words. */
function describeDifference(a: Result, b: Result): string {
  if (a.hash !== b.hash) return `made on different engines: ${a.run.engine} and ${b.run.engine}`;
  for (const key of ['dataset', 'seeds', 'runs', 'stability', 'statistics', 'answers'] as const) {
    if (canonicalJson(a[key]) !== canonicalJson(b[key])) return `same hash, different ${key}`;
  }
  return 'same hash, different records';
}

/** Whether a merge left something that needs a person: a refused result or a conflict. */
export const mergeFailed = (verdicts: Verdict[]) => verdicts.some((v) => v.kind === 'refused' || v.kind === 'conflict');
