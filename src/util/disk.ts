import { existsSync, readFileSync, realpathSync, statfsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

// Names the disk a path is on, for messages about a full or read-only disk:
// its mount point and file system (Linux, from /proc/self/mountinfo) and its
// free space (statfs, everywhere Node runs).

export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

/** The nearest folder at or above `path` that exists (the disk a file not yet written will be on). */
function existing(path: string): string {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** Undoes mountinfo's octal escapes (`\040` for a space). */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

function mountOf(path: string): { mount: string; type: string } | null {
  try {
    const real = realpathSync(path);
    let best: { mount: string; type: string } | null = null;
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [left, right] = line.split(' - ');
      if (!right) continue;
      const mount = unescape(left.split(' ')[4] ?? '');
      const type = right.split(' ')[0];
      const inside = real === mount || real.startsWith(mount.endsWith(sep) ? mount : mount + sep);
      // The last, longest match: a later mount on the same point hides the earlier.
      if (inside && (!best || mount.length >= best.mount.length)) best = { mount, type };
    }
    return best;
  } catch {
    return null;
  }
}

/**
 * "the disk mounted at /mnt/results (tmpfs), 0 bytes free of 1.0 MB", or as
 * much of it as this system tells.
 */
export function describeDisk(path: string): string {
  const at = existing(path);
  const m = mountOf(at);
  let space = '';
  try {
    const s = statfsSync(at);
    space = `, ${formatBytes(s.bavail * s.bsize)} free of ${formatBytes(s.blocks * s.bsize)}`;
  } catch {
    // No statfs here: the mount point alone.
  }
  return m ? `the disk mounted at ${m.mount} (${m.type})${space}` : `the disk holding ${at}${space}`;
}
