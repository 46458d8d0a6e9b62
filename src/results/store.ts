import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExperimentSpec } from '../spec/schema.ts';
import { canonicalJson, sha256 } from '../util/hash.ts';
import { Result } from './schema.ts';

// The results store: `results/<id>.json` (the contract with the site) and
// `results/<id>/` (heavy artifacts). Keyed by a hash of what determines the
// result; every write goes to a temporary name first and is renamed into
// place, so an interrupted run never leaves a half-written result.

/** Bump whenever a stage changes what it computes: every result is then rebuilt. */
export const PIPELINE_VERSION = '3';

/** Fields that only label a result: changing them rewrites the result without training. */
const LABELS = ['$schema', 'title', 'description'] as const;

export function resultHash(spec: ExperimentSpec, datasetIdentity: string): string {
  const determining: Record<string, unknown> = { ...spec };
  for (const k of LABELS) delete determining[k];
  return sha256(canonicalJson({ spec: determining, dataset: datasetIdentity, pipeline: PIPELINE_VERSION }));
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
  const parsed = Result.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${path} does not match the results schema (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})` };
  return { ok: true, result: parsed.data };
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Validates, then writes `results/<id>.json` atomically. */
export function writeResult(dir: string, result: Result): void {
  mkdirSync(dir, { recursive: true });
  const checked = Result.parse(result);
  atomicWrite(resultPath(dir, checked.id), JSON.stringify(checked));
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
