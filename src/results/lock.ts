import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

// One writer per experiment at a time: `results/<id>.lock`, created with O_EXCL
// so that two builds cannot both take it. A lock left by a process that is
// gone (killed mid-run) is stale and taken over, so a crash never blocks the
// next build.

export interface Lock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(path: string): { pid: number; host: string } | null {
  try {
    const [pid, host] = readFileSync(path, 'utf8').split(' ');
    return { pid: Number(pid), host };
  } catch {
    return null;
  }
}

function tryTake(path: string): Lock | null {
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, `${process.pid} ${hostname()} ${new Date().toISOString()}`);
    } catch (err) {
      // A full disk: an empty lock would name no holder and never be taken over.
      closeSync(fd);
      rmSync(path, { force: true });
      throw err;
    }
    closeSync(fd);
    return { release: () => rmSync(path, { force: true }) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const h = holder(path);
    // A lock of this machine whose process is gone: the run that held it was killed.
    if (h && h.host === hostname() && !alive(h.pid)) {
      rmSync(path, { force: true });
      return tryTake(path);
    }
    return null;
  }
}

/** Waits for the lock at `path`, polling; `onWait` is told once who holds it. */
export async function acquireLock(path: string, onWait?: (holder: string) => void, pollMs = 250): Promise<Lock> {
  let told = false;
  for (;;) {
    const lock = tryTake(path);
    if (lock) return lock;
    if (!told) {
      const h = holder(path);
      onWait?.(h ? `process ${h.pid} on ${h.host}` : 'another process');
      told = true;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
