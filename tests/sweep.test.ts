import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultNumbers } from '../src/pipeline/merge.ts';
import { readFailure, writeFailure, writeResult } from '../src/results/store.ts';
import { readResult } from '../src/results/read.ts';
import { tempDir } from './helpers.ts';

// A sweep as a cluster runs it: four small experiments split into three
// shards by the Slurm array script (run here with SLURM_ARRAY_TASK_ID set),
// merged by the merge job's script, against the same experiments built on
// one machine.

const exec = promisify(execFile);

async function run(file: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(file, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const node = (script: string, args: string[], env: Record<string, string> = {}) => run(process.execPath, [script, ...args], env);
const merge = (args: string[], experiments: string) => node('scripts/merge.ts', [...args, '--experiments', experiments]);

/** A small experiment: `samples` per class of two digits, one hidden layer, one epoch. */
const experimentFile = (classes: string, samples: number, seeds = '[1]') =>
  `title: digits ${classes}\nseeds: ${seeds}\ndataset:\n  classes: [${classes}]\n  samplesPerClass: ${samples}\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\n`;

const ids = ['a', 'b', 'c', 'd'];
let root: string;
let experiments: string;
let one: string;
let shards: string;
let merged: string;
let mergeRun: Awaited<ReturnType<typeof run>>;
const sweepRuns: Awaited<ReturnType<typeof run>>[] = [];

beforeAll(async () => {
  root = tempDir('chemins-sweep-');
  experiments = join(root, 'experiments');
  mkdirSync(experiments);
  // Work 120, 160, 240 and 100: the three shards hold c | b | a and d.
  writeFileSync(join(experiments, 'a.yaml'), experimentFile('0, 1', 60));
  writeFileSync(join(experiments, 'b.yaml'), experimentFile('2, 3', 80));
  writeFileSync(join(experiments, 'c.yaml'), experimentFile('4, 5', 60, '[1, 2]'));
  writeFileSync(join(experiments, 'd.yaml'), experimentFile('6, 8', 50));
  one = join(root, 'one');
  shards = join(root, 'shards');
  merged = join(root, 'merged');
  // The one-machine build and the three tasks of the array, at once as on a cluster.
  const shardEnv = { CHEMINS_SHARDS: '3', CHEMINS_SHARD_DIR: shards, CHEMINS_EXPERIMENTS: experiments };
  const [oneMachine, ...tasks] = await Promise.all([
    node('scripts/experiments.ts', ['--experiments', experiments, '--results', one, '--jobs', '1']),
    ...['1', '2', '3'].map((task) => run('bash', ['scripts/slurm/sweep.sbatch'], { ...shardEnv, SLURM_ARRAY_TASK_ID: task })),
  ]);
  expect(oneMachine.code, oneMachine.stderr).toBe(0);
  sweepRuns.push(...tasks);
  mergeRun = await run('bash', ['scripts/slurm/merge.sbatch', '--merge-only'], {
    CHEMINS_SHARDS: '3',
    CHEMINS_SHARD_DIR: shards,
    CHEMINS_EXPERIMENTS: experiments,
    CHEMINS_RESULTS: merged,
  });
});

describe('a sweep of three shards', () => {
  it('runs each experiment in exactly one shard, as the plan of each shard says', async () => {
    for (const r of sweepRuns) expect(r.code, r.stderr).toBe(0);
    expect(sweepRuns.map((r) => /Shard (\d\/3): ([^(]*) \(/.exec(r.stdout)?.slice(1))).toEqual([
      ['1/3', 'c'],
      ['2/3', 'b'],
      ['3/3', 'a, d'],
    ]);
    const built = [1, 2, 3].map((i) =>
      readdirSync(join(shards, `shard-${i}`))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
    expect(built).toEqual([['c.json'], ['b.json'], ['a.json', 'd.json']]);
    const plans = await Promise.all(
      [1, 2, 3].map((i) => node('scripts/experiments.ts', ['--experiments', experiments, '--results', 'out', '--shard', `${i}/3`, '--plan'])),
    );
    for (const i of [1, 2, 3]) {
      const plan = JSON.parse(plans[i - 1].stdout);
      expect(plan.experiments.map((e: { id: string }) => `${e.id}.json`)).toEqual(built[i - 1]);
      expect(plan.paths).toEqual(built[i - 1].flatMap((f) => [`out/${f}`, `out/${f.replace('.json', '.error.json')}`]));
      for (const e of plan.experiments) {
        const stored = readResult(one, e.id);
        expect(e.hash).toBe(stored.ok ? stored.result.hash : 'unreadable');
      }
      expect(plan.key).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('merges into the same results as a one-machine build: same hashes, same numbers', () => {
    expect(mergeRun.code, mergeRun.stdout + mergeRun.stderr).toBe(0);
    expect(mergeRun.stdout).toMatch(
      /✓ a: merged from \S*shard-3\n\s+✓ b: merged from \S*shard-2\n\s+✓ c: merged from \S*shard-1\n\s+✓ d: merged from \S*shard-3/,
    );
    expect(mergeRun.stdout).toMatch(/4 merged, 0 skipped, 0 refused, 0 in conflict, 0 failed in their shard\./);
    for (const id of ids) {
      const [a, b] = [readResult(one, id), readResult(merged, id)];
      if (!a.ok || !b.ok) throw new Error(`${id}: ${JSON.stringify([a, b].map((r) => !r.ok && r.reason))}`);
      expect(b.result.hash).toBe(a.result.hash);
      expect(resultNumbers(b.result)).toBe(resultNumbers(a.result));
      // Merged as the shard wrote it, byte for byte, with its artifacts.
      expect(readFileSync(join(merged, `${id}.json`), 'utf8')).toBe(
        readFileSync(join(shards, `shard-${id === 'c' ? 1 : id === 'b' ? 2 : 3}`, `${id}.json`), 'utf8'),
      );
      expect(readdirSync(join(merged, id)).sort()).toEqual(readdirSync(join(one, id)).sort());
    }
  });

  it('skips what the store already holds, and a second merge changes nothing', async () => {
    const again = await merge([join(shards, 'shard-1'), join(shards, 'shard-2'), join(shards, 'shard-3'), one, '--into', merged], experiments);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/= a: skipped: \S*one\/a\.json is the same result as \S*shard-3\/a\.json/);
    expect(again.stdout).toMatch(/= a: skipped: \S*merged already holds the same result/);
    expect(again.stdout).toMatch(/0 merged, 8 skipped, 0 refused, 0 in conflict/);
  });

  it('refuses two different results of one experiment, names both and merges neither', async () => {
    const forged = join(root, 'forged');
    mkdirSync(forged);
    const c = readResult(join(shards, 'shard-1'), 'c');
    if (!c.ok) throw new Error(c.reason);
    // Sealed, of the schema and of the current hash: only its numbers differ.
    const stat = c.result.statistics[0];
    writeResult(forged, { ...c.result, statistics: [{ ...stat, value: { ...stat.value, mean: stat.value.mean + 0.01 } }, ...c.result.statistics.slice(1)] });
    const into = join(root, 'conflict');
    const out = await merge([join(shards, 'shard-1'), forged, '--into', into], experiments);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(
      /✗ c: conflict: \S*shard-1\/c\.json and \S*forged\/c\.json are different results of \S*c\.yaml \(same hash, different statistics\); none was merged/,
    );
    expect(existsSync(join(into, 'c.json'))).toBe(false);
    // Against a different current result already in the store: the store is left as it was.
    const before = readFileSync(join(merged, 'c.json'), 'utf8');
    const store = await merge([forged, '--into', merged], experiments);
    expect(store.code).toBe(1);
    expect(store.stdout).toMatch(
      /✗ c: conflict: \S*merged\/c\.json is a different current result of \S*c\.yaml \(same hash, different statistics\); \S*forged\/c\.json was not merged: remove one of them/,
    );
    expect(readFileSync(join(merged, 'c.json'), 'utf8')).toBe(before);
  });

  it('refuses a damaged result and an out-of-date one, and carries a failure record for the site', async () => {
    const dir = join(root, 'mixed');
    mkdirSync(dir);
    // Damaged: cut short.
    const a = readFileSync(join(one, 'a.json'), 'utf8');
    writeFileSync(join(dir, 'a.json'), a.slice(0, a.length - 100));
    // Out of date: sealed and of the schema, but its hash is not what the file and data make now.
    const b = readResult(one, 'b');
    if (!b.ok) throw new Error(b.reason);
    writeResult(dir, { ...b.result, hash: 'f'.repeat(64) });
    // A failure record, and a result for an experiment that has no file.
    writeFailure(dir, {
      id: 'd',
      file: join(experiments, 'd.yaml'),
      name: 'ExperimentFailed',
      title: 'the experiment stopped.',
      problems: [{ path: 'training.learningRate', message: 'the loss diverged' }],
      hint: 'Lower it.',
    });
    cpSync(join(one, 'c.json'), join(dir, 'gone.json'));
    const into = join(root, 'mixed-store');
    const out = await merge([dir, '--into', into], experiments);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/✗ a: refused: \S*mixed\/a\.json (fails its integrity check|is not JSON)/);
    expect(out.stdout).toMatch(/✗ b: refused: \S*mixed\/b\.json is out of date: its hash does not match \S*b\.yaml as it is now/);
    expect(out.stdout).toMatch(
      /○ d: failed in \S*mixed; its failure is kept for the site:\n\s+\[ExperimentFailed\] \S*d\.yaml: the experiment stopped\.\n\s+training\.learningRate: the loss diverged/,
    );
    expect(out.stdout).toMatch(/= gone: skipped: there is no experiment file \S*gone\.yaml/);
    expect(out.stdout).toMatch(/0 merged, 1 skipped, 2 refused, 0 in conflict, 1 failed in their shard\./);
    expect(readdirSync(into).sort()).toEqual(['d.error.json']);
    expect(readFailure(into, 'd')?.problems[0].path).toBe('training.learningRate');

    // A current result beside the out-of-date one supersedes it: skipped, not refused; the failure record goes.
    rmSync(join(dir, 'a.json'));
    const fixed = await merge([dir, join(shards, 'shard-2'), join(shards, 'shard-3'), '--into', into], experiments);
    expect(fixed.stdout).toMatch(/= b: skipped: \S*mixed\/b\.json is out of date[^\n]*; superseded by the current result beside it/);
    expect(fixed.stdout).toMatch(/✓ d: merged from \S*shard-3/);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(existsSync(join(into, 'd.error.json'))).toBe(false);
  });

  it('says how to use it when given no folder, and refuses a folder that is not one', async () => {
    const none = await merge([], experiments);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run merge -- DIR/);
    const missing = await merge([join(root, 'no-such-folder'), '--into', join(root, 'x')], experiments);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nothing merged: \S*no-such-folder is not a folder of results/);
  });
});

describe('the Slurm scripts', () => {
  it('submit the array, then the merge once every task has ended', async () => {
    const bin = tempDir('chemins-sbatch-');
    const log = join(bin, 'calls');
    // A stand-in for sbatch: records its arguments, answers a job id as --parsable does.
    writeFileSync(join(bin, 'sbatch'), `#!/bin/sh\necho "$@" >> '${log}'\nif [ "$(wc -l < '${log}')" -eq 1 ]; then echo '4241;cluster'; else echo 4242; fi\n`);
    chmodSync(join(bin, 'sbatch'), 0o755);
    const out = await run('bash', ['scripts/slurm/submit.sh', '5', '--partition=gpu'], { PATH: `${bin}:${process.env.PATH}` });
    expect(out.code, out.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toEqual([
      '--parsable --array=1-5 --export=ALL,CHEMINS_SHARDS=5 --partition=gpu scripts/slurm/sweep.sbatch',
      '--parsable --dependency=afterany:4241 --export=ALL,CHEMINS_SHARDS=5 scripts/slurm/merge.sbatch',
    ]);
    expect(out.stdout).toMatch(/5 shards as job array 4241, then the merge and the site as job 4242/);
  });

  it('refuse to run a task outside an array, or with a bad count', async () => {
    const outside = await run('bash', ['scripts/slurm/sweep.sbatch'], { SLURM_ARRAY_TASK_ID: '', CHEMINS_SHARDS: '3' });
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/SLURM_ARRAY_TASK_ID is not set/);
    const bad = await run('bash', ['scripts/slurm/submit.sh', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must be a whole number/);
  });
});
