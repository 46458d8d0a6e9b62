import { type BigIntStats, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { cacheRoot } from './cache-store.ts';
import { sha256 } from './hash.ts';

// Digests of the files a build reads (results, per-input files, sources),
// each computed once per content: as git's index does, a file whose size,
// inode, modification and change times are those recorded beside its digest
// is not read again. Any write to a file moves its change time, which no
// program can set back; a file changed in the last two seconds is always
// read, since a second write in the same clock tick could keep its times.
// The records live in one JSON file of the cache folder, rewritten
// (atomically) at the end of the process when something was added.

type Entry = [size: string, ino: string, mtimeNs: string, ctimeNs: string, digest: string];

const RACY_NS = 2_000_000_000n;
let entries: Map<string, Entry> | null = null;
let dirty = false;

const memoFile = () => join(cacheRoot(), 'file-digests.json');

function load(): Map<string, Entry> {
  if (entries) return entries;
  entries = new Map();
  try {
    const stored = JSON.parse(readFileSync(memoFile(), 'utf8')) as Record<string, Entry>;
    for (const [path, entry] of Object.entries(stored)) if (Array.isArray(entry) && entry.length === 5) entries.set(path, entry);
  } catch {
    // none yet, or unreadable: start afresh
  }
  process.once('exit', save);
  return entries;
}

function save(): void {
  if (!dirty || !entries) return;
  try {
    const file = memoFile();
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(entries)));
    renameSync(tmp, file);
    dirty = false;
  } catch {
    // a read-only cache: digests are computed again next time
  }
}

/** The SHA-256 of a file's bytes, `none` when there is no such file. */
export function fileDigest(path: string): string {
  const full = resolve(path);
  let st: BigIntStats;
  try {
    st = statSync(full, { bigint: true });
  } catch {
    return 'none';
  }
  if (!st.isFile()) return 'none';
  const stamp = [String(st.size), String(st.ino), String(st.mtimeNs), String(st.ctimeNs)];
  const memo = load();
  const known = memo.get(full);
  if (known?.slice(0, 4).every((v, i) => v === stamp[i])) return known[4];
  const digest = sha256(readFileSync(full));
  const now = BigInt(Date.now()) * 1_000_000n;
  if (now - st.ctimeNs > RACY_NS && now - st.mtimeNs > RACY_NS) {
    memo.set(full, [stamp[0], stamp[1], stamp[2], stamp[3], digest]);
    dirty = true;
  }
  return digest;
}

/** The digest of every file under a folder (their paths and digests, in order) that `keep` keeps, `none` when there is no folder. */
export function treeDigest(dir: string, keep: (path: string) => boolean = () => true): string {
  const root = resolve(dir);
  if (!existsSync(root)) return 'none';
  const isFile = (f: string) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  };
  const files = readdirSync(root, { recursive: true })
    .map((f) => join(root, String(f)))
    .filter((f) => keep(f) && isFile(f))
    .sort();
  return sha256(files.map((f) => `${relative(root, f)}\t${fileDigest(f)}`).join('\n'));
}

/**
 * A folder as it is: every file's path, size and modification time, digested
 * (not the bytes: for a folder a build writes, to tell whether anything else
 * touched it since). `none` when there is no folder.
 */
export function folderState(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(root)) return 'none';
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .sort()
    .flatMap((f) => {
      try {
        const st = statSync(join(root, f), { bigint: true });
        return st.isFile() ? [`${f}\t${st.size}\t${st.mtimeNs}`] : [];
      } catch {
        return [];
      }
    });
  return sha256(files.join('\n'));
}
