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
    writeFileSync(
      join(exps, 'a-good.yaml'),
      'title: good\ndataset:\n  classes: [0, 1]\n  samplesPerClass: 60\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\n',
    );
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

  it('runs experiments in parallel worker processes, where one whose data is missing never stops the others and is only a notice', async () => {
    const root = tempDir();
    const exps = join(root, 'experiments');
    mkdirSync(exps);
    const tiny = (classes: string) =>
      `title: t\ndataset:\n  classes: [${classes}]\n  samplesPerClass: 60\n  outliers: none\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\n`;
    writeFileSync(join(exps, 'a-one.yaml'), tiny('0, 1'));
    writeFileSync(join(exps, 'b-missing-data.yaml'), 'title: t\ndataset:\n  name: idx\n  folder: no-such-folder\n  classes: [0, 1]\n');
    writeFileSync(join(exps, 'c-two.yaml'), tiny('2, 3'));
    const results = join(root, 'results');
    const out = await experiments(['--experiments', exps, '--results', results, '--jobs', '2']);
    // Missing data alone is not a failure: the command succeeds and the site shows what to install.
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/2 at a time, each in its own process/);
    expect(out.stderr).toMatch(/notice: \[NeedsData\] \S*b-missing-data\.yaml: the data this experiment reads is not on this machine\./);
    const summary = out.stdout.slice(out.stdout.lastIndexOf('\n\n'));
    expect(summary).toMatch(
      /✓ a-one: built[\s\S]*○ b-missing-data: needs data: the folder \S*no-such-folder does not exist on this machine[\s\S]*✓ c-two: built/,
    );
    expect(summary).toMatch(/3 experiment\(s\) run in [\d.]+ s; 0 failed or invalid; 1 need data not installed here/);
    expect(
      readdirSync(results)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(['a-one.json', 'b-missing-data.error.json', 'c-two.json']);
  });

  it('refuses a --jobs that is not a whole number', async () => {
    const out = await experiments(['--jobs', '0']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--jobs must be a whole number of at least 1/);
  });

  it('refuses a --shard that names no shard', async () => {
    const out = await experiments(['--shard', '4/3']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--shard 4\/3: there is no shard 4 of 3/);
  });

  it('refuses an unknown backend', async () => {
    const out = await experiments(['--backend', 'gpu', '--only', 'none']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--backend must be one of/);
  });
});
