import { closeSync, cpSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { StoreError, type RunFailure } from '../spec/errors.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { describeDisk } from '../util/disk.ts';
import { canonicalJson, sha256 } from '../util/hash.ts';
import { readTextFile } from '../util/read-file.ts';
import { jsonDepth, resultPath } from './read.ts';
import { Result } from './schema.ts';

// The results store: `results/<id>.json` (the contract with the site) and
// `results/<id>/` (heavy artifacts). Keyed by a hash of what determines the
// result; every write goes to a temporary name first and is renamed into
// place, so an interrupted run never leaves a half-written result.

/** Bump whenever a stage changes what it computes: every result is then rebuilt. */
export const PIPELINE_VERSION = '12';

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
  return sha256(
    canonicalJson({
      dataset: spec.dataset,
      data: datasetIdentity,
      model: spec.model,
      training: spec.training,
      seeds: spec.seeds ?? [spec.training.seed],
      version: TRAINING_VERSION,
      engine,
    }),
  );
}

/**
 * The file-system calls the store writes with. Tests replace them to inject
 * faults (a disk that fills up halfway through a file); nothing else should.
 */
export const storeIo = {
  /** Writes the whole file and flushes it to the disk, so that a full disk is told now, not at some later close. */
  writeFile(path: string, data: string | Uint8Array): void {
    const fd = openSync(path, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename: renameSync,
  mkdir: (path: string) => void mkdirSync(path, { recursive: true }),
};

const code = (err: unknown) => String((err as NodeJS.ErrnoException)?.code ?? '');

/** Names the path and the disk, with what to do, for any error writing the store. */
export function storeError(err: unknown, path: string): StoreError {
  if (err instanceof StoreError) return err;
  const c = code(err);
  const disk = describeDisk(path);
  const elsewhere = 'or point --results (CHEMINS_RESULTS) at a folder on another disk';
  switch (c) {
    case 'ENOSPC':
      return new StoreError(
        `no space left on ${disk}: writing ${path} failed (ENOSPC)`,
        path,
        c,
        `Free some space on that disk, ${elsewhere}, then run again.`,
      );
    case 'EDQUOT':
      return new StoreError(
        `the disk quota is used up on ${disk}: writing ${path} failed (EDQUOT)`,
        path,
        c,
        `Free some of your files on that disk, ${elsewhere}, then run again.`,
      );
    case 'EROFS':
      return new StoreError(`${disk} is read-only: ${path} cannot be written (EROFS)`, path, c, `Mount it read-write, ${elsewhere}.`);
    case 'EACCES':
    case 'EPERM':
      return new StoreError(
        `permission denied writing ${path} (${c}), on ${disk}`,
        path,
        c,
        `Let the user running the build write the results folder (chmod, chown), ${elsewhere}.`,
      );
    case 'EIO':
      return new StoreError(
        `${disk} failed writing ${path} (EIO: input/output error)`,
        path,
        c,
        'Check the disk (dmesg, fsck): it reported a hardware or file-system error.',
      );
    default:
      return new StoreError(
        `writing ${path} failed on ${disk}: ${String((err as Error)?.message ?? err)}`,
        path,
        c,
        'Check that the results folder is on a disk that can be written, then run again.',
      );
  }
}

/** Removes what a failed write left; a removal that fails too (the disk gone) does not hide the first error. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // The write's own error is the one to report.
  }
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    storeIo.writeFile(tmp, data);
    storeIo.rename(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw storeError(err, path);
  }
}

function makeDir(dir: string): void {
  try {
    storeIo.mkdir(dir);
  } catch (err) {
    throw storeError(err, dir);
  }
}

/**
 * Checks, before any training, that `dir` can be written: creates it if
 * need be, then writes and removes a small file in it. Null when it can,
 * else the error naming the folder and its disk.
 */
export function checkWritable(dir: string): StoreError | null {
  const probe = join(dir, `.chemins-write-check.${process.pid}`);
  try {
    storeIo.mkdir(dir);
    storeIo.writeFile(probe, 'chemins');
    rmSync(probe, { force: true });
    return null;
  } catch (err) {
    removeQuietly(probe);
    return storeError(err, dir);
  }
}

/**
 * Validates, then writes `results/<id>.json` atomically, sealed with the
 * sha256 of its own text (`integrity`, the last key) so that a hand edit or
 * damage is caught on reading.
 */
export function writeResult(dir: string, result: Result): void {
  makeDir(dir);
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
  const stale = readdirSync(dir).filter((f) => f.startsWith(`${id}.json.`) || f.startsWith(`${id}.error.json.`) || f.startsWith(`.${id}.`));
  for (const f of stale) rmSync(join(dir, f), { recursive: true, force: true });
  return stale;
}

/** Artifacts written and swapped in, not yet committed: `keep` once the result's JSON is written, `undo` if it could not be. */
export interface ArtifactSwap {
  keep(): void;
  undo(): void;
}

/**
 * Writes the heavy artifacts of one result into `results/<id>/`: the files are
 * written into a temporary folder that replaces the old one in one rename.
 * The old folder is kept aside until `keep()`: should the result's JSON then
 * fail to be written, `undo()` puts it back, so that the stored result and
 * its artifacts always belong together. A failed write removes what it wrote.
 */
export function writeArtifacts(dir: string, id: string, files: Record<string, string | Uint8Array>): ArtifactSwap {
  return swapArtifacts(dir, id, (tmp, writing) => {
    for (const [name, data] of Object.entries(files)) {
      writing(join(dir, id, name));
      storeIo.mkdir(dirname(join(tmp, name)));
      storeIo.writeFile(join(tmp, name), data);
    }
  });
}

/**
 * Brings the artifacts of a result made elsewhere (a shard's `results/<id>/`)
 * into `results/<id>/`, copied and swapped in as writeArtifacts does. With
 * `from` null the result comes without artifacts: the old folder is set
 * aside all the same, since its models belong to another result.
 */
export function importArtifacts(dir: string, id: string, from: string | null): ArtifactSwap {
  return swapArtifacts(dir, id, from === null ? null : (tmp) => cpSync(from, tmp, { recursive: true, errorOnExist: true }));
}

/** Fills a temporary folder (or, with `fill` null, none) and swaps it in for `results/<id>/`; see writeArtifacts. */
function swapArtifacts(dir: string, id: string, fill: ((tmp: string, writing: (path: string) => void) => void) | null): ArtifactSwap {
  makeDir(dir);
  const tmp = join(dir, `.${id}.${process.pid}.tmp`);
  const target = join(dir, id);
  const old = join(dir, `.${id}.${process.pid}.old`);
  let writing = tmp;
  try {
    rmSync(tmp, { recursive: true, force: true });
    if (fill) {
      storeIo.mkdir(tmp);
      fill(tmp, (path) => {
        writing = path;
      });
    }
    writing = target;
    if (existsSync(target)) storeIo.rename(target, old);
    try {
      if (fill) storeIo.rename(tmp, target);
    } catch (err) {
      if (existsSync(old)) renameSync(old, target);
      throw err;
    }
  } catch (err) {
    removeQuietly(tmp);
    throw storeError(err, writing);
  }
  let settled = false;
  return {
    keep() {
      if (settled) return;
      settled = true;
      removeQuietly(old);
    },
    undo() {
      if (settled) return;
      settled = true;
      removeQuietly(target);
      if (existsSync(old)) renameSync(old, target);
    },
  };
}

/**
 * Writes the text of a result already checked by readResult (from a shard's
 * store) as it is, byte for byte, sealed as it was: the commit point of a
 * merge, as writeResult is of a build.
 */
export function writeResultText(dir: string, id: string, text: string): void {
  makeDir(dir);
  atomicWrite(resultPath(dir, id), text);
}

/** `results/<id>.error.json`: present while the experiment's last run failed, so the site can say so. */
export function failurePath(dir: string, id: string): string {
  return join(dir, `${id}.error.json`);
}

export function writeFailure(dir: string, failure: RunFailure): void {
  makeDir(dir);
  atomicWrite(failurePath(dir, failure.id), JSON.stringify({ ...failure, at: new Date().toISOString() }, null, 2));
}

export function clearFailure(dir: string, id: string): void {
  rmSync(failurePath(dir, id), { force: true });
}

const FailureRecord = z.object({
  file: z.string().max(4096),
  name: z.string().max(200),
  title: z.string().max(1000),
  problems: z.array(z.object({ path: z.string().max(1000), message: z.string().max(100_000) })).max(100),
  hint: z.string().max(2000),
  at: z.string().max(100),
});

/**
 * The failure recorded for `id`, or null when there is none, or none that
 * holds the fields the site shows (a hostile or damaged file is ignored: the
 * experiment's result is then checked on its own).
 */
export function readFailure(dir: string, id: string): (RunFailure & { at: string }) | null {
  try {
    const read = readTextFile(failurePath(dir, id), 1 << 20);
    if (!read.ok || jsonDepth(read.text, 16) > 16) return null;
    const parsed = FailureRecord.safeParse(JSON.parse(read.text));
    return parsed.success ? { ...parsed.data, id } : null;
  } catch {
    return null;
  }
}
