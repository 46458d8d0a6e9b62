import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sha256 } from './hash.ts';

// A content-addressed store of what a build makes from its inputs (the
// figures' PNGs and PDFs, see src/figures/asset-cache.ts; what the site
// found checking a result's per-input files): an entry's name is the digest
// of everything it was made from and of the lockfile, so a stale entry
// cannot be read, only left unused. An entry is written once, to a temporary
// file renamed into place, so two builds at once never read half a file;
// entries unused for two weeks are pruned at the end of a build.

/** Bumped when the layout of the store or of its keys changes. */
const STORE_VERSION = '1';

/** The build's own cache folder: CHEMINS_CACHE, else node_modules/.cache/chemins. */
export function cacheRoot(): string {
  return process.env.CHEMINS_CACHE ? resolve(process.env.CHEMINS_CACHE) : resolve('node_modules/.cache/chemins');
}

/** Node's compile cache for the project's commands (experiments, astro build): in the cache folder. */
export function compileCacheDir(): string {
  return join(cacheRoot(), 'node-compile-cache');
}

/** Where the store lives: in the cache folder. */
export function storeDir(): string {
  return join(cacheRoot(), 'store');
}

let lockfile: string | undefined;

/** The lockfile's digest, which pins every package's version; none means no cache (nothing to pin the renderers by). */
export function lockfileDigest(): string {
  if (lockfile === undefined) {
    const path = resolve('package-lock.json');
    lockfile = existsSync(path) ? sha256(readFileSync(path)) : '';
  }
  return lockfile;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

/**
 * Hits and misses of this process, for the build's log and the tests: kept on
 * the global object, since the pages' bundle and the config that logs them
 * at the end of the build each load their own copy of this module.
 */
const STATS = Symbol.for('chemins.figureStore');
export const cacheStats: CacheStats = ((globalThis as Record<symbol, CacheStats>)[STATS] ??= { hits: 0, misses: 0 });

const DAY_MS = 86_400_000;

/** The path of the entry of `inputs`, or null without a lockfile (then nothing is stored). */
function entryPath(ext: string, inputs: (string | Uint8Array)[]): string | null {
  const pins = lockfileDigest();
  if (!pins) return null;
  const hash = sha256(Buffer.concat([STORE_VERSION, ext, pins, ...inputs].flatMap((p) => [Buffer.from(sha256(p)), Buffer.from('\n')])));
  return join(storeDir(), hash.slice(0, 2), `${hash}.${ext}`);
}

/** The entry's bytes, or null; an entry read is marked as used today (at most once a day), for the pruning. */
function read(path: string): Buffer | null {
  try {
    const bytes = readFileSync(path);
    const now = Date.now();
    if (now - statSync(path).mtimeMs > DAY_MS) utimesSync(path, now / 1000, now / 1000);
    return bytes;
  } catch {
    return null;
  }
}

/** Stores an entry: a temporary file renamed into place; a read-only or full disk stores nothing. */
function write(path: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch {
    // the build goes on without storing
  }
}

/**
 * The bytes stored under the key of `inputs`, or those `make` gives, then
 * stored. Without a lockfile, or when the store cannot be written, it only
 * makes them.
 */
export async function cached(ext: string, inputs: (string | Uint8Array)[], make: () => Buffer | Promise<Buffer>): Promise<Buffer> {
  const path = entryPath(ext, inputs);
  const hit = path ? read(path) : null;
  if (hit) {
    cacheStats.hits++;
    return hit;
  }
  cacheStats.misses++;
  const bytes = await make();
  if (path) write(path, bytes);
  return bytes;
}

/** The same for a small value, made and read back as JSON, synchronously (not counted in the figure statistics). */
export function cachedJson<T>(kind: string, inputs: string[], make: () => T): T {
  const path = entryPath(`${kind}.json`, inputs);
  const hit = path ? read(path) : null;
  if (hit) {
    try {
      return JSON.parse(hit.toString('utf8')) as T;
    } catch {
      // damaged: made again
    }
  }
  const value = make();
  if (path) write(path, Buffer.from(JSON.stringify(value)));
  return value;
}

/** Whether the fact `kind` was recorded for `inputs` (say, a result's text that passed every check). */
export function recorded(kind: string, inputs: (string | Uint8Array)[]): boolean {
  const path = entryPath(`${kind}.fact`, inputs);
  return path !== null && read(path) !== null;
}

/** Records the fact `kind` for `inputs`; a read-only or full disk records nothing. */
export function record(kind: string, inputs: (string | Uint8Array)[]): void {
  const path = entryPath(`${kind}.fact`, inputs);
  if (path) write(path, Buffer.from(`${kind}\n`));
}

/** Removes entries unused for `days` days (and temporary files left by a killed build); returns how many. */
export function pruneFigureCache(days = 14): number {
  const dir = storeDir();
  if (!existsSync(dir)) return 0;
  const before = Date.now() - days * DAY_MS;
  const staleTmp = Date.now() - DAY_MS;
  let removed = 0;
  for (const sub of readdirSync(dir)) {
    const folder = join(dir, sub);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      try {
        const { mtimeMs } = statSync(path);
        if (mtimeMs < before || (name.endsWith('.tmp') && mtimeMs < staleTmp)) {
          rmSync(path, { force: true });
          removed++;
        }
      } catch {
        // removed by another build meanwhile
      }
    }
  }
  return removed;
}
