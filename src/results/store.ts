import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunFailure } from '../spec/errors.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { canonicalJson, sha256 } from '../util/hash.ts';
import { Result, RESULT_SCHEMA_VERSION } from './schema.ts';

// The results store: `results/<id>.json` (the contract with the site) and
// `results/<id>/` (heavy artifacts). Keyed by a hash of what determines the
// result; every write goes to a temporary name first and is renamed into
// place, so an interrupted run never leaves a half-written result.

/** Bump whenever a stage changes what it computes: every result is then rebuilt. */
export const PIPELINE_VERSION = '7';

/** Fields that only label a result: changing them rewrites the result without training. */
const LABELS = ['$schema', 'title', 'description'] as const;

/**
 * What determines a result: the experiment's meaning (its parsed, defaulted
 * spec: formatting and comments never count), the dataset's identity (its
 * files' digests), the pipeline's version and the engine that computes it
 * with its versions.
 */
export function resultHash(spec: ExperimentSpec, datasetIdentity: string, engine = ''): string {
  return sha256(canonicalJson({ spec: specMeaning(spec), dataset: datasetIdentity, pipeline: PIPELINE_VERSION, engine }));
}

/** The spec without the fields that only label it: what a result's numbers depend on. */
export function specMeaning(spec: ExperimentSpec): Record<string, unknown> {
  const determining: Record<string, unknown> = { ...spec };
  for (const k of LABELS) delete determining[k];
  return determining;
}

/** Bump whenever model building or training changes what it computes: every model is then retrained. */
export const TRAINING_VERSION = '1';

/**
 * What determines the trained models alone: the data, the model, the
 * training and its seeds, the engine. When only the clustering or the
 * analysis changes, a rebuild reuses the saved models instead of training.
 */
export function trainingHash(spec: ExperimentSpec, datasetIdentity: string, engine: string): string {
  return sha256(canonicalJson({ dataset: spec.dataset, data: datasetIdentity, model: spec.model, training: spec.training, seeds: spec.seeds ?? [spec.training.seed], version: TRAINING_VERSION, engine }));
}

export type ReadOutcome = { ok: true; result: Result } | { ok: false; reason: string };

export function resultPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

export function readResult(dir: string, id: string): ReadOutcome {
  const path = resultPath(dir, id);
  if (!existsSync(path)) return { ok: false, reason: 'no result yet' };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { ok: false, reason: `${path} is not JSON (${(err as Error).message})` };
  }
  const obj = json as Record<string, unknown> | null;
  if (!obj || typeof obj !== 'object') return { ok: false, reason: `${path} is not a result object` };
  if (obj.schemaVersion !== RESULT_SCHEMA_VERSION) return { ok: false, reason: `${path} is from results schema ${String(obj.schemaVersion)}; this build reads schema ${RESULT_SCHEMA_VERSION}` };
  const { integrity, ...body } = obj;
  if (integrity !== sha256(JSON.stringify(body))) return { ok: false, reason: `${path} fails its integrity check: it was edited or damaged since it was written` };
  const parsed = Result.safeParse(body);
  if (!parsed.success) return { ok: false, reason: `${path} does not match the results schema (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})` };
  return { ok: true, result: parsed.data };
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Validates, then writes `results/<id>.json` atomically, sealed with the
 * sha256 of its own text (`integrity`, the last key) so that a hand edit or
 * damage is caught on reading.
 */
export function writeResult(dir: string, result: Result): void {
  mkdirSync(dir, { recursive: true });
  const checked = Result.parse(result);
  const text = JSON.stringify(checked);
  atomicWrite(resultPath(dir, checked.id), `${text.slice(0, -1)},"integrity":"${sha256(text)}"}`);
}

/**
 * Removes what a killed run of `id` left: temporary files and folders named
 * after a process. Call it only while holding the experiment's lock.
 */
export function removeLeftovers(dir: string, id: string): string[] {
  if (!existsSync(dir)) return [];
  const stale = readdirSync(dir).filter((f) => f.startsWith(`${id}.json.`) || f.startsWith(`.${id}.`));
  for (const f of stale) rmSync(join(dir, f), { recursive: true, force: true });
  return stale;
}

/**
 * Writes the heavy artifacts of one result into `results/<id>/`: the files are
 * written into a temporary folder that replaces the old one in one rename.
 */
export function writeArtifacts(dir: string, id: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${id}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, name)), { recursive: true });
    writeFileSync(join(tmp, name), data);
  }
  const target = join(dir, id);
  const old = join(dir, `.${id}.${process.pid}.old`);
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}

/** `results/<id>.error.json`: present while the experiment's last run failed, so the site can say so. */
export function failurePath(dir: string, id: string): string {
  return join(dir, `${id}.error.json`);
}

export function writeFailure(dir: string, failure: RunFailure): void {
  mkdirSync(dir, { recursive: true });
  atomicWrite(failurePath(dir, failure.id), JSON.stringify({ ...failure, at: new Date().toISOString() }, null, 2));
}

export function clearFailure(dir: string, id: string): void {
  rmSync(failurePath(dir, id), { force: true });
}

export function readFailure(dir: string, id: string): (RunFailure & { at: string }) | null {
  try {
    return JSON.parse(readFileSync(failurePath(dir, id), 'utf8'));
  } catch {
    return null;
  }
}
