import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';

// Reading a file that anyone may have put there (an experiment file, a
// result copied from elsewhere): only a regular file, only up to a size
// fixed before reading, and only UTF-8 text. A folder, a device that never
// ends (/dev/zero), a pipe that never answers, a file too big or binary data
// is each reported as its own cause, never read and never thrown.

export type ReadFailure =
  | { cause: 'missing'; message: string }
  | { cause: 'dangling'; message: string; target: string }
  | { cause: 'directory'; message: string }
  | { cause: 'special'; message: string; kind: string }
  | { cause: 'too-big'; message: string; size: number; max: number }
  | { cause: 'not-text'; message: string }
  | { cause: 'denied'; message: string; code: string }
  | { cause: 'error'; message: string; code: string };

export type ReadText = { ok: true; text: string } | ({ ok: false } & ReadFailure);

/** What a file that is not a regular file is, in words. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'folder';
  if (st.isFIFO()) return 'named pipe (FIFO)';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

const codeOf = (e: unknown) => String((e as NodeJS.ErrnoException)?.code ?? 'EUNKNOWN');
const reasonOf = (e: unknown) => String((e as Error)?.message ?? e);

function fail(_path: string, e: unknown): { ok: false } & ReadFailure {
  const code = codeOf(e);
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, cause: 'denied', code, message: `permission denied (${code})` };
  if (code === 'ELOOP') return { ok: false, cause: 'error', code, message: 'it is a loop of symbolic links (ELOOP)' };
  return { ok: false, cause: 'error', code, message: reasonOf(e) };
}

/** Through a link, names what it points at: ` (a link to /dev/zero)`. */
export function linkNote(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? ` (a link to ${readlinkSync(path)})` : '';
  } catch {
    return '';
  }
}

/**
 * Reads `path` as UTF-8 text if it is a regular file (a link to one is
 * followed) of at most `maxBytes`; never throws, never blocks on a pipe.
 */
export function readTextFile(path: string, maxBytes: number): ReadText {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') {
      try {
        const target = readlinkSync(path);
        return { ok: false, cause: 'dangling', target, message: `it is a link to ${target}, which does not exist` };
      } catch {
        return { ok: false, cause: 'missing', message: 'it does not exist' };
      }
    }
    return fail(path, e);
  }
  if (st.isDirectory()) return { ok: false, cause: 'directory', message: `it is a folder${linkNote(path)}, not a file` };
  if (!st.isFile())
    return {
      ok: false,
      cause: 'special',
      kind: kindOf(st),
      message: `it is a ${kindOf(st)}${linkNote(path)}, not a regular file: it is never read, as it may never end`,
    };
  if (st.size > maxBytes)
    return {
      ok: false,
      cause: 'too-big',
      size: st.size,
      max: maxBytes,
      message: `it is ${st.size.toLocaleString('en')} bytes, more than the ${maxBytes.toLocaleString('en')} allowed`,
    };
  let fd: number;
  try {
    // Non-blocking: had it been swapped for a pipe since, opening returns at once.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return fail(path, e);
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) return { ok: false, cause: 'special', kind: kindOf(now), message: `it is a ${kindOf(now)}, not a regular file` };
    // Read in chunks up to one byte past the cap: a file growing while read is caught too.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes)
        return {
          ok: false,
          cause: 'too-big',
          size: total,
          max: maxBytes,
          message: `it is more than the ${maxBytes.toLocaleString('en')} bytes allowed (it grew while read)`,
        };
    }
    const bytes = Buffer.concat(chunks, total);
    const nul = bytes.indexOf(0);
    if (nul >= 0) return { ok: false, cause: 'not-text', message: `it holds a NUL byte at offset ${nul}: binary data, not text` };
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { ok: false, cause: 'not-text', message: 'it is not UTF-8 text (binary data, or another encoding)' };
    }
  } catch (e) {
    return fail(path, e);
  } finally {
    closeSync(fd);
  }
}
