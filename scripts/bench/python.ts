import { spawnSync } from 'node:child_process';

// The Python peers (PyTorch, scikit-learn): found where they import, run on
// one thread, answering with one JSON line.

/** The first Python here whose `probe` (e.g. `import torch; print(torch.__version__)`) runs; pyenv's python3 may shadow Debian's /usr/bin/python3. */
export function findPython(probe: string): { python: string; version: string } | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

/** Runs `script` with every threading layer pinned to one thread (OpenMP, OpenBLAS, MKL); returns its last stdout line, parsed. */
export function runPinned<T>(python: string, script: string, args: string[], timeoutMs: number): T {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', timeout: timeoutMs, env });
  if (r.status !== 0) throw new Error((r.stderr || r.error?.message || 'python failed').trim().split('\n').at(-1));
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}
