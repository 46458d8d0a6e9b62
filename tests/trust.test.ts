import { RESULT_SCHEMA_VERSION } from '../src/results/schema.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/pipeline/run.ts';
import type { Result } from '../src/results/schema.ts';
import { readFailure } from '../src/results/store.ts';
import { readResult } from '../src/results/read.ts';
import { tempDir, tinySpec } from './helpers.ts';

// A build you can trust: results reused only when nothing that determines them
// changed, never half-written, never corrupted by a second build, and the same
// numbers for the same input.

const TINY = (classes: string, epochs = 2) =>
  `title: t\ndataset:\n  classes: [${classes}]\n  samplesPerClass: 80\n  outliers: none\nmodel:\n  hidden: [16, 8]\ntraining:\n  epochs: ${epochs}\nsignatures:\n  k: 3\n  restarts: 1\nanalysis:\n  permutations: 20\n`;

function cli(
  args: string[],
  onLine?: (line: string, kill: () => void) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['scripts/experiments.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      for (const line of d.toString().split('\n')) onLine?.(line, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

function store(files: Record<string, string>) {
  const root = tempDir('chemins-trust-');
  const exps = join(root, 'experiments');
  mkdirSync(exps);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(exps, `${name}.yaml`), text);
  return { exps, results: join(root, 'results') };
}

describe('an interrupted build', () => {
  it('loses only the run in progress: killed mid-training, the next build reuses the rest and recomputes the lost one', async () => {
    const { exps, results } = store({ 'a-first': TINY('0, 1'), 'b-second': TINY('2, 3', 30) });
    const killed = await cli(['--experiments', exps, '--results', results, '--jobs', '1'], (line, kill) => {
      if (/b-second · train .*epoch 2\//.test(line)) kill();
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(readResult(results, 'a-first').ok).toBe(true);
    expect(existsSync(join(results, 'b-second.json'))).toBe(false);
    // The killed run left its lock behind; the next build sees its process is gone.
    expect(existsSync(join(results, 'b-second.lock'))).toBe(true);
    const again = await cli(['--experiments', exps, '--results', results, '--jobs', '1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/✓ a-first: reused/);
    expect(again.stdout).toMatch(/✓ b-second: built .* because no result yet/);
    expect(readdirSync(results).sort()).toEqual(['a-first', 'a-first.json', 'b-second', 'b-second.json']);
  });

  it('never reads a half-written file, and clears what a killed write left', async () => {
    const { exps, results } = store({ solo: TINY('4, 5') });
    mkdirSync(results, { recursive: true });
    // What a process killed mid-write leaves: a temporary result and a temporary artifacts folder.
    writeFileSync(join(results, 'solo.json.99999999.tmp'), `{"schemaVersion": ${RESULT_SCHEMA_VERSION}, "id": "so`);
    mkdirSync(join(results, '.solo.99999999.tmp'));
    const out = await cli(['--experiments', exps, '--results', results, '--jobs', '1']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/✓ solo: built/);
    expect(readdirSync(results).sort()).toEqual(['solo', 'solo.json']);
  });
});

describe('a damaged result', () => {
  it('is detected, reported in one line, and recomputed: truncated, edited by hand, or from an older schema', async () => {
    const { exps, results } = store({ r: TINY('6, 7') });
    expect((await cli(['--experiments', exps, '--results', results, '--jobs', '1'])).code).toBe(0);
    const path = join(results, 'r.json');
    const good = readFileSync(path, 'utf8');
    const cases: [string, string, RegExp][] = [
      ['truncated', good.slice(0, good.length / 2), /is not JSON/],
      ['edited', good.replace(/"testAccuracy":(0\.\d+)/, '"testAccuracy":0.999'), /fails its integrity check: it was edited or damaged/],
      [
        'older schema',
        good.replace(`"schemaVersion":${RESULT_SCHEMA_VERSION}`, `"schemaVersion":${RESULT_SCHEMA_VERSION - 1}`),
        new RegExp(`is from results schema ${RESULT_SCHEMA_VERSION - 1}; this build reads schema ${RESULT_SCHEMA_VERSION}`),
      ],
    ];
    for (const [, text, reason] of cases) {
      writeFileSync(path, text);
      expect(readResult(results, 'r')).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
      const out = await cli(['--experiments', exps, '--results', results, '--jobs', '1']);
      expect(out.code).toBe(0);
      const line = out.stdout.split('\n').find((l) => l.includes('✓ r: built'))!;
      expect(line).toMatch(reason);
      expect(readResult(results, 'r').ok).toBe(true);
    }
  });
});

describe('two builds at once', () => {
  it('do not corrupt each other: one builds while the other waits, then reuses', async () => {
    const { exps, results } = store({ shared: TINY('8, 9') });
    const [a, b] = await Promise.all([
      cli(['--experiments', exps, '--results', results, '--jobs', '1']),
      cli(['--experiments', exps, '--results', results, '--jobs', '1']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const statuses = [a.stdout, b.stdout].map((s) => /✓ shared: (\w+)/.exec(s)![1]).sort();
    expect(statuses).toEqual(['built', 'reused']);
    expect([a.stdout, b.stdout].join('\n')).toMatch(/shared · waiting: another build \(process \d+/);
    expect(readResult(results, 'shared').ok).toBe(true);
    expect(readdirSync(results).sort()).toEqual(['shared', 'shared.json']);
  });
});

describe('the same input', () => {
  it('gives the same numbers, bit for bit, apart from timings', async () => {
    const spec = tinySpec({ dataset: { classes: [1, 7], probes: [3], samplesPerClass: 80, outliers: 'none' }, analysis: { permutations: 20 } });
    const run = (dir: string) => runExperiment({ id: 'same', file: 'experiments/same.yaml', spec }, { resultsDir: dir, backend: 'wasm' });
    const [d1, d2] = [tempDir(), tempDir()];
    const a = await run(d1);
    const b = await run(d2);
    const strip = (r: Result) => {
      const { createdAt: _c, timings: _t, ...run } = r.run;
      return { ...r, run, runs: r.runs.map((s) => ({ ...s, training: { ...s.training, samplesPerSecond: 0 } })) };
    };
    expect(JSON.stringify(strip(b.result))).toBe(JSON.stringify(strip(a.result)));
    for (const f of ['seed-1/hidden1.f32', 'seed-1/weights.bin', 'input.f32'])
      expect(readFileSync(join(d2, 'same', f)).equals(readFileSync(join(d1, 'same', f)))).toBe(true);
    // What was seeded, and with what, is written into the result.
    expect(Object.values(a.result.run.seeded).join(' ')).toMatch(/dataset\.seed 1.*seeds?: 1.*signatures\.seed 1.*analysis\.seed 1/);
    expect(a.result.run.engine).toMatch(/^wasm @tensorflow\/tfjs-backend-wasm@\S+ tfjs@\S+/);
  });
});

describe('seeds in parallel', () => {
  it('give the same numbers, bit for bit, as seeds in sequence', async () => {
    const spec = tinySpec({
      seeds: [1, 2, 3, 4],
      dataset: { classes: [1, 7], probes: [3], samplesPerClass: 80, outliers: 'none' },
      analysis: { permutations: 20 },
    });
    const run = (dir: string, seedJobs: number) =>
      runExperiment({ id: 'seeds', file: 'experiments/seeds.yaml', spec }, { resultsDir: dir, backend: 'wasm', seedJobs });
    const [d1, d2] = [tempDir(), tempDir()];
    const stages: string[] = [];
    const a = await run(d1, 1);
    const b = await runExperiment(
      { id: 'seeds', file: 'experiments/seeds.yaml', spec },
      { resultsDir: d2, backend: 'wasm', seedJobs: 3, onStage: (stage, seed) => stages.push(`${seed} ${stage}`) },
    );
    const strip = (r: Result) => {
      const { createdAt: _c, timings: _t, ...run } = r.run;
      return { ...r, run, runs: r.runs.map((s) => ({ ...s, training: { ...s.training, samplesPerSecond: 0 } })) };
    };
    expect(b.result.runs.map((r) => r.seed)).toEqual([1, 2, 3, 4]);
    expect(JSON.stringify(strip(b.result))).toBe(JSON.stringify(strip(a.result)));
    for (const f of ['seed-4/hidden2.f32', 'seed-3/weights.bin'])
      expect(readFileSync(join(d2, 'seeds', f)).equals(readFileSync(join(d1, 'seeds', f)))).toBe(true);
    // The threads report their stages too.
    for (const seed of [2, 3, 4]) expect(stages).toContain(`${seed} analysis`);
    // One thread: it trains seed 2 while this thread does the input layer's work, and waits for each part of it.
    const d3 = tempDir();
    const c = await run(d3, 2);
    expect(JSON.stringify(strip(c.result))).toBe(JSON.stringify(strip(a.result)));
    expect(readFileSync(join(d3, 'seeds', 'seed-2', 'inputs.json')).equals(readFileSync(join(d1, 'seeds', 'seed-2', 'inputs.json')))).toBe(true);
  });
});

describe('a run that fails', () => {
  it('is stopped and named, writes no result, and leaves a failure record for the site', async () => {
    const { exps, results } = store({
      diverges: TINY('1, 7', 3)
        .replace('training:\n', 'training:\n  learningRate: 9.9\n  optimizer: sgd\n')
        .replace('hidden: [16, 8]', 'hidden: [16, 8]\n  activation: elu'),
      'too-many-clusters': TINY('1, 7').replace('samplesPerClass: 80', 'samplesPerClass: 10').replace('k: 3', 'k: 40'),
    });
    const out = await cli(['--experiments', exps, '--results', results, '--jobs', '1']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /\[ExperimentFailed\] .*diverges\.yaml: the experiment stopped\.\n {2}training\.learningRate: training diverged at epoch \d of seed 1: the loss became \S+ \(a uniform guess scores 0\.693\) at learning rate 9\.9\n {2}Hint: Lower training\.learningRate \(e\.g\. to 0\.99\)/,
    );
    expect(out.stderr).toMatch(
      /too-many-clusters\.yaml: the experiment stopped\.\n {2}signatures\.k: asks for 40 clusters at \w+, but there are only 16 training inputs to cluster/,
    );
    expect(out.stdout).toMatch(/2 experiment\(s\) run in [\d.]+ s; 2 failed or invalid/);
    expect(existsSync(join(results, 'diverges.json'))).toBe(false);
    expect(readFailure(results, 'diverges')).toMatchObject({ name: 'ExperimentFailed', problems: [{ path: 'training.learningRate' }] });
  });
});
