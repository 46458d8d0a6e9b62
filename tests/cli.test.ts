import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';

const exec = promisify(execFile);

async function experiments(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['scripts/experiments.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run experiments', () => {
  it('builds the valid experiments, names the invalid file and field, and exits non-zero', async () => {
    const root = tempDir();
    const exps = join(root, 'experiments');
    mkdirSync(exps);
    writeFileSync(join(exps, 'a-good.yaml'), 'title: good\ndataset:\n  classes: [0, 1]\n  samplesPerClass: 60\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\n');
    writeFileSync(join(exps, 'b-bad.yaml'), 'title: bad\ndataset:\n  classes: [0, 1]\ntraining:\n  optimiser: adam\n');
    const results = join(root, 'results');
    const out = await experiments(['--experiments', exps, '--results', results]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('b-bad.yaml');
    expect(out.stderr).toContain('training: unknown field `optimiser`');
    expect(out.stdout).toMatch(/a-good: built/);
    expect(readdirSync(results)).toContain('a-good.json');

    const again = await experiments(['--experiments', exps, '--results', results, '--only', 'a-good']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/a-good: reused/);
  });

  it('refuses an unknown backend', async () => {
    const out = await experiments(['--backend', 'gpu', '--only', 'none']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--backend must be one of/);
  });
});
