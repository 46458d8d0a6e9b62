import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../src/pipeline/run.ts';
import { checkWritable, storeIo, writeFailure, writeResult } from '../src/results/store.ts';
import { readResult } from '../src/results/read.ts';
import { runFailure, StoreError } from '../src/spec/errors.ts';
import type { ExperimentSpec } from '../src/spec/schema.ts';
import { sha256 } from '../src/util/hash.ts';
import { tempDir, tinySpec } from './helpers.ts';

// Faults while writing the results store: a disk that fills up halfway
// through a file, a rename the disk refuses, a read-only folder. Each ends
// the experiment with a message naming the path and the disk, leaves no
// temporary or half-written file, and keeps every stored result (this
// experiment's previous one, the others') byte for byte. Injected faults run
// everywhere; a real full tmpfs and a real read-only mount run where this
// process may mount in a private namespace (root in CI), else are skipped.

const exec = promisify(execFile);

/** Every file under `dir` with the sha256 of its bytes: what must not change. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = sha256(readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => /\.tmp$|\.old$|\.lock$|^\.|write-check/.test(f));

const real = { ...storeIo };
afterEach(() => Object.assign(storeIo, real));

/** A disk with `budget` bytes left: the write that passes it writes what fits, then fails as a full disk does. */
function fillDiskAfter(budget: number): { written: () => number } {
  let used = 0;
  storeIo.writeFile = (path, data) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (used + bytes.byteLength <= budget) {
      used += bytes.byteLength;
      return real.writeFile(path, data);
    }
    real.writeFile(path, bytes.subarray(0, Math.max(0, budget - used)));
    used = budget;
    throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', syscall: 'write' });
  };
  return { written: () => used };
}

describe('faults while writing the results store (injected)', () => {
  const dir = tempDir('chemins-faults-');
  const spec = tinySpec({
    dataset: { classes: [1, 7], samplesPerClass: 60, outliers: 'none' },
    model: { hidden: [8] },
    training: { epochs: 1, batchSize: 32 },
    signatures: { k: 2, restarts: 1 },
  });
  /** A spec that rebuilds from the stored models (no training): only the analysis changed. */
  const reanalysed = (topPaths: number): ExperimentSpec => ({ ...spec, analysis: { ...spec.analysis, topPaths } });
  const run = (s: ExperimentSpec) => runExperiment({ id: 'tiny', file: 'experiments/tiny.yaml', spec: s }, { resultsDir: dir, backend: 'wasm' });
  let before: Record<string, string>;

  beforeAll(async () => {
    const built = await run(spec);
    // Another experiment's result beside it: sealed, with its artifacts.
    writeResult(dir, { ...built.result, id: 'other' });
    cpSync(join(dir, 'tiny'), join(dir, 'other'), { recursive: true });
    before = snapshot(dir);
    expect(readResult(dir, 'other').ok).toBe(true);
  });

  it('a disk full while writing the artifacts: the experiment fails naming the path and the disk; nothing stored changes', async () => {
    fillDiskAfter(50_000);
    const err = await run(reanalysed(6)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    const e = err as StoreError;
    expect(e.code).toBe('ENOSPC');
    expect(e.message).toMatch(/^no space left on the disk (mounted at \S+ \(\w+\)|holding \S+), [\d.]+ \w+ free of [\d.]+ \w+: writing \S+ failed \(ENOSPC\)$/);
    expect(e.message).toContain(join(dir, 'tiny'));
    expect(e.hint).toMatch(/Free some space on that disk, or point --results/);
    expect(leftovers(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    const failure = runFailure('tiny', 'experiments/tiny.yaml', err);
    expect(failure).toMatchObject({
      name: 'ResultNotWritten',
      title: expect.stringMatching(/could not be written; the one stored before, if any, is unchanged/),
      problems: [{ path: '', message: e.message }],
    });
  });

  it('a disk full at the result JSON itself (the commit point): the new artifacts are undone, the old result and its artifacts stay', async () => {
    const artifacts = Object.values(snapshot(join(dir, 'tiny'))).length;
    expect(artifacts).toBeGreaterThan(3);
    const disk = fillDiskAfter(Number.MAX_SAFE_INTEGER);
    // Learn how much the artifacts take, then leave room for them and half the JSON.
    await run(reanalysed(7)).catch(() => {});
    const artifactBytes = readdirSync(join(dir, 'tiny'), { recursive: true })
      .map((f) => join(dir, 'tiny', String(f)))
      .filter((p) => statSync(p).isFile())
      .reduce((s, p) => s + statSync(p).size, 0);
    expect(disk.written()).toBeGreaterThan(artifactBytes);
    // That run succeeded: it is the "before" of this test.
    const stored = snapshot(dir);
    fillDiskAfter(artifactBytes + 1000);
    const err = await run(reanalysed(8)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toContain(join(dir, 'tiny.json'));
    expect(leftovers(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(stored);
    const kept = readResult(dir, 'tiny');
    expect(kept.ok && kept.result.spec.analysis.topPaths).toBe(7);
    before = stored;
  });

  it('a rename the disk refuses (EIO): named as a disk error, nothing left behind', async () => {
    storeIo.rename = () => {
      throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    };
    const err = (await run(reanalysed(9)).catch((e: unknown) => e)) as StoreError;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/failed writing .* \(EIO: input\/output error\)/);
    expect(err.hint).toMatch(/dmesg, fsck/);
    Object.assign(storeIo, real);
    expect(leftovers(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a failure record on a full disk: refused whole, no temporary file', () => {
    fillDiskAfter(10);
    expect(() => writeFailure(dir, { id: 'tiny', file: 'x', name: 'ExperimentFailed', title: 't', problems: [], hint: 'h' })).toThrow(StoreError);
    expect(leftovers(dir)).toEqual([]);
    expect(existsSync(join(dir, 'tiny.error.json'))).toBe(false);
  });

  it('a results folder that cannot be written is found by a probe write, named with its disk', () => {
    expect(checkWritable(dir)).toBeNull();
    expect(leftovers(dir)).toEqual([]);
    storeIo.writeFile = () => {
      throw Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' });
    };
    const err = checkWritable(dir);
    expect(err).toBeInstanceOf(StoreError);
    expect(err!.message).toMatch(new RegExp(`^the disk (mounted at|holding) \\S+.* is read-only: ${dir} cannot be written \\(EROFS\\)$`));
    expect(err!.hint).toMatch(/Mount it read-write, or point --results/);
    expect(snapshot(dir)).toEqual(before);
  });
});

// ---- real disks -------------------------------------------------------------

/** Whether this process may mount a tmpfs in a private mount namespace (root, or CAP_SYS_ADMIN). */
function canMount(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = tempDir('chemins-mount-');
  try {
    execFileSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${probe}' && umount '${probe}'`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mountable = canMount();

const tiny = (classes: string, samples: number) =>
  `title: t\ndataset:\n  classes: [${classes}]\n  samplesPerClass: ${samples}\n  outliers: none\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\n`;

/** Runs the command in a private mount namespace, with `mount` mounted on the results folder first; what it leaves is copied out. */
async function inNamespace(mount: string, results: string, exps: string, copyTo: string) {
  const cli = `node scripts/experiments.ts --experiments '${exps}' --results '${results}' --jobs 2`;
  const script = `${mount} || exit 90; ${cli}; rc=$?; cp -a '${results}/.' '${copyTo}/'; exit $rc`;
  try {
    const { stdout, stderr } = await exec('unshare', ['-m', 'sh', '-c', script], {
      env: { ...process.env, PATH: `${process.execPath.replace(/\/node$/, '')}:${process.env.PATH}` },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!mountable)('faults on real disks (a tmpfs in a private mount namespace)', () => {
  const root = tempDir('chemins-disks-');
  const exps = join(root, 'experiments');
  const stored = join(root, 'stored');

  beforeAll(async () => {
    mkdirSync(exps);
    // Another experiment, built beforehand on an ordinary disk.
    writeFileSync(join(exps, 'a-other.yaml'), tiny('0, 1', 20));
    const { stderr } = await exec(process.execPath, ['scripts/experiments.ts', '--experiments', exps, '--results', stored]);
    expect(readdirSync(stored)).toContain('a-other.json');
    expect(stderr).toBe('');
    writeFileSync(join(exps, 'b-new.yaml'), tiny('2, 3', 200));
  });

  it('a full disk: the new experiment fails naming the tmpfs and the path; the other result is intact and nothing is half-written', async () => {
    const results = join(root, 'full');
    const after = join(root, 'full-after');
    mkdirSync(results);
    mkdirSync(after);
    // Room for the other result and a little more: the new one's inputs alone (800 × 784 floats) cannot fit.
    const size = Object.keys(snapshot(stored)).reduce((s, f) => s + statSync(join(stored, f)).size, 0) + 128 * 1024;
    const out = await inNamespace(
      `mount -t tmpfs -o size=${Math.ceil(size / 4096) * 4}k tmpfs '${results}' && cp -a '${stored}/.' '${results}/'`,
      results,
      exps,
      after,
    );
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toMatch(/✓ a-other: reused/);
    expect(out.stdout).toMatch(
      new RegExp(
        `✗ b-new: no space left on the disk mounted at ${results} \\(tmpfs\\), [\\d.]+ \\w+ free of [\\d.]+ \\w+: writing ${results}/b-new\\S* failed \\(ENOSPC\\)`,
      ),
    );
    expect(out.stderr).toMatch(/\[ResultNotWritten\] .*b-new\.yaml: the result could not be written/);
    expect(snapshot(after)).toMatchObject(snapshot(stored));
    expect(readResult(after, 'a-other').ok).toBe(true);
    const left = readdirSync(after).filter((f) => !f.startsWith('a-other'));
    // At most the failure record, if it fitted: no result, no artifacts, no temporary file, no lock.
    expect(left.filter((f) => f !== 'b-new.error.json')).toEqual([]);
  });

  it('a read-only results folder: named before any training, the current result still reused', async () => {
    const results = join(root, 'readonly');
    const after = join(root, 'readonly-after');
    mkdirSync(results);
    mkdirSync(after);
    const t0 = performance.now();
    const out = await inNamespace(`mount --bind '${stored}' '${results}' && mount -o remount,bind,ro '${results}'`, results, exps, after);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(
        `^\\[ResultsNotWritable\\] \\S+: the results folder cannot be written; nothing will be trained\\.\\n  \\(file\\): the disk mounted at ${results} \\(\\w+\\).* is read-only: ${results} cannot be written \\(EROFS\\)`,
      ),
    );
    expect(out.stdout).toMatch(/✓ a-other: reused/);
    expect(out.stdout).toMatch(/✗ b-new: the disk mounted at .* is read-only/);
    // Nothing started: no worker, no stage, no epoch.
    expect(out.stdout).not.toMatch(/▸ b-new|b-new · /);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(snapshot(after)).toEqual(snapshot(stored));
  });
});

describe.skipIf(mountable || process.getuid?.() === 0)('a read-only results folder (permissions, without root)', () => {
  it('is named before any training', async () => {
    const root = tempDir('chemins-ro-');
    const exps = join(root, 'experiments');
    mkdirSync(exps);
    writeFileSync(join(exps, 'b-new.yaml'), tiny('2, 3', 20));
    const results = join(root, 'results');
    mkdirSync(results);
    chmodSync(results, 0o555);
    const out = await exec(process.execPath, ['scripts/experiments.ts', '--experiments', exps, '--results', results]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/\[ResultsNotWritable\][\s\S]*permission denied writing/);
    expect(out.stdout).not.toMatch(/▸ b-new|b-new · /);
  });
});
