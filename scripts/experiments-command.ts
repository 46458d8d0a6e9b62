// Runs every experiment in experiments/ (or those named with --only, or the
// shard of a sweep named with --shard I/N), reusing stored results whose hash
// has not changed. An invalid or failing experiment never stops the others;
// the command exits non-zero at the end if any did. With --plan it runs
// nothing and prints, as JSON, which experiments it would run, their hashes,
// and a key for a cache of their results.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatError, fromInvalid, runFailure, type RunFailure, needsData } from '../src/spec/errors.ts';
import { checkWritable, clearFailure, writeFailure } from '../src/results/store.ts';
import { loadExperiments, type LoadedExperiment } from '../src/spec/load.ts';
import { sha256 } from '../src/util/hash.ts';
import { engineLine, outcomeLine } from '../src/pipeline/outcome.ts';
import type { WorkerMessage, WorkerTask } from '../src/pipeline/worker.ts';
import { createProgress } from '../src/pipeline/progress.ts';
import { currentResult, engineOf, hashesFor } from '../src/pipeline/current.ts';
import { assignShards, parseShard, workOf, type Shard } from '../src/pipeline/shard.ts';
import { BACKENDS, noAdapter, resolveBackend, type BackendChoice } from '../src/engine/resolve.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    force: { type: 'boolean', default: false },
    backend: { type: 'string' },
    experiments: { type: 'string', default: process.env.CHEMINS_EXPERIMENTS ?? 'experiments' },
    results: { type: 'string', default: process.env.CHEMINS_RESULTS ?? 'results' },
    jobs: { type: 'string', default: process.env.CHEMINS_JOBS ?? String(availableParallelism()) },
    shard: { type: 'string' },
    plan: { type: 'boolean', default: false },
  },
});

if (values.backend && !BACKENDS.includes(values.backend as BackendChoice)) {
  console.error(`--backend must be one of ${BACKENDS.join(', ')} (got "${values.backend}")`);
  process.exit(2);
}

// WebGPU asked for on the command line where there is no adapter: said once, what to install, and nothing is run or written.
if (values.backend === 'webgpu') {
  const { missing } = resolveBackend('webgpu');
  if (missing) {
    const e = noAdapter(missing);
    console.error(
      formatError({
        id: '',
        file: '--backend webgpu',
        name: 'NoWebGPUAdapter',
        title: 'there is no WebGPU adapter on this machine; nothing was run or written.',
        problems: [{ path: '', message: e.message.slice(e.field.length + 2) }],
        hint: e.hint,
      }),
    );
    process.exit(2);
  }
}

if (!/^[1-9]\d*$/.test(values.jobs)) {
  console.error(`--jobs must be a whole number of at least 1 (got "${values.jobs}")`);
  process.exit(2);
}

let shard: Shard | null = null;
if (values.shard !== undefined) {
  const parsed = parseShard(values.shard);
  if ('error' in parsed) {
    console.error(parsed.error);
    process.exit(2);
  }
  shard = parsed;
}

const progress = createProgress();
let outcomes: ReturnType<typeof loadExperiments>;
try {
  outcomes = loadExperiments(resolve(values.experiments));
} catch (err) {
  console.error(`The experiments folder ${values.experiments} cannot be listed: ${(err as Error).message}`);
  process.exit(2);
}
const only = values.only?.flatMap((o) => o.split(',')) ?? null;
const idOf = (o: (typeof outcomes)[number]) => (o.ok ? o.experiment.id : basename(o.error.file).replace(/\.ya?ml$/, ''));
// A shard of a sweep: the same split on every machine, balanced by estimated work.
const shardOf = shard
  ? assignShards(
      outcomes.map((o) => ({ id: idOf(o), work: o.ok ? workOf(o.experiment.spec) : 0 })),
      shard.count,
    )
  : null;
const inShard = (o: (typeof outcomes)[number]) => !shard || shardOf?.get(idOf(o)) === shard.index;
const selected = outcomes.filter((o) => (!only || only.includes(idOf(o))) && inShard(o));
const known = new Set(outcomes.map(idOf));
for (const id of only ?? []) if (!known.has(id)) console.error(`--only ${id}: there is no experiment file ${values.experiments}/${id}.yaml`);

if (values.plan) {
  // What this run would cover, and a key that changes when any of its results would: the result
  // hash of each experiment (its meaning, data, pipeline and engine), or, for a file that does
  // not load or whose data is missing here, what is wrong with it.
  const experiments = selected.map((o) => {
    const id = idOf(o);
    let hash: string | null = null;
    let problem = '';
    if (o.ok) {
      try {
        hash = hashesFor(o.experiment, engineOf(o.experiment.spec, (values.backend as BackendChoice | undefined) ?? o.experiment.spec.training.backend)).hash;
      } catch (err) {
        problem = String((err as Error)?.message ?? err);
      }
    } else problem = formatError(o.error);
    return { id, file: o.ok ? o.experiment.file : o.error.file, work: o.ok ? workOf(o.experiment.spec) : 0, hash, ...(problem ? { problem } : {}) };
  });
  const key = sha256(experiments.map((e) => `${e.id} ${e.hash ?? `problem ${sha256(e.problem ?? '')}`}`).join('\n'));
  const paths = experiments.flatMap((e) => [`${values.results}/${e.id}.json`, `${values.results}/${e.id}.error.json`]);
  console.log(JSON.stringify({ shard: shard ? `${shard.index}/${shard.count}` : null, key, experiments, paths }, null, 2));
  process.exit(0);
}
if (shard) {
  const work = (os: typeof outcomes) => os.reduce((sum, o) => sum + (o.ok ? workOf(o.experiment.spec) : 0), 0);
  const share = Math.round((100 * work(outcomes.filter(inShard))) / Math.max(1, work(outcomes)));
  progress.line(`Shard ${shard.index}/${shard.count}: ${outcomes.filter(inShard).map(idOf).join(', ') || 'no experiment'} (${share} % of the estimated work).`);
}

/** One line per experiment run, by id. */
const summary = new Map<string, string>();
let failed = selected.filter((o) => !o.ok).length + (only ?? []).filter((id) => !known.has(id)).length;
const resultsDir = resolve(values.results);
// Before anything trains: a results folder that cannot be written (read-only,
// full, not ours) is named once, and every experiment with work to do fails
// with it at once instead of after its training.
const unwritable = checkWritable(resultsDir);
if (unwritable) {
  console.error(
    `${formatError({ id: '', file: values.results, name: 'ResultsNotWritable', title: 'the results folder cannot be written; nothing will be trained.', problems: [{ path: '', message: unwritable.message }], hint: unwritable.hint })}\n`,
  );
}

/** Keeps a failure for the site; a store that cannot take it (full, read-only) is said once, and never stops the run. */
let recordFailed = false;
function record(failure: RunFailure): void {
  if (unwritable) return;
  try {
    writeFailure(resultsDir, failure);
  } catch (err) {
    if (!recordFailed) console.error(`  (the failure of ${failure.id} could not be kept for the site: ${(err as Error).message})\n`);
    recordFailed = true;
  }
}

for (const o of selected) {
  if (o.ok) continue;
  console.error(`${formatError(o.error)}\n`);
  // The site shows a card for it instead of a stale or missing page.
  record(fromInvalid(idOf(o), o.error));
}

/** Experiments whose data is not installed here. */
let waiting = 0;

/** A run that stopped: printed in full, kept for the site, one line in the summary. */
function fail(failure: RunFailure): void {
  // Missing data is a notice, not a failure: the site shows what to install, and the command still succeeds.
  if (needsData(failure)) {
    waiting++;
    console.error(`notice: ${formatError(failure)}\n`);
    record(failure);
    summary.set(failure.id, `  ○ ${failure.id}: needs data: ${failure.problems[0]?.message.split('\n')[0] ?? failure.title}`);
    return;
  }
  failed++;
  console.error(`${formatError(failure)}\n`);
  record(failure);
  summary.set(
    failure.id,
    `  ✗ ${failure.id}: ${failure.problems[0]?.path ? `${failure.problems[0].path}: ` : ''}${failure.problems[0]?.message.split('\n')[0] ?? failure.title}`,
  );
}

function succeed(id: string, line: string): void {
  try {
    clearFailure(resultsDir, id);
  } catch {
    // A read-only folder: the stale record stays, and the site shows the failure until the next build that can write.
  }
  summary.set(id, line);
}

const started = performance.now();
const runnable = selected.flatMap((o) => (o.ok ? [o.experiment] : []));
const jobs = Math.max(1, Math.min(Number(values.jobs), runnable.length));
/** Seed lanes per experiment: the cores the experiments running at once leave (set once the pending ones are known). */
let seedJobs = 1;
const task = (experiment: LoadedExperiment): WorkerTask => ({
  experiment,
  resultsDir,
  force: values.force,
  backend: values.backend as BackendChoice | undefined,
  seedJobs,
});

/** In this process: the live epoch bar works, and a debugger sees everything. */
async function runHere(experiment: LoadedExperiment): Promise<void> {
  const { id } = experiment;
  progress.line(`▸ ${id}`);
  try {
    const t0 = performance.now();
    // Loaded only with work to do: a build that reuses every result never loads TensorFlow.js or the analysis.
    const { runExperiment } = await import('../src/pipeline/run.ts');
    const outcome = await runExperiment(experiment, {
      ...task(experiment),
      onStage: (stage, seed) => progress.stage(seed === undefined ? id : `${id} · seed ${seed}`, stage),
      onWait: (holder) => progress.line(`  ${id} · waiting: another build (${holder}) is writing this experiment`),
      training: {
        onBatch: (epoch, batch, batches) => progress.batch(id, epoch, experiment.spec.training.epochs, batch, batches),
        onEpoch: (record, epochs) => progress.epoch(id, record, epochs),
      },
    });
    succeed(id, outcomeLine(id, outcome, performance.now() - t0).line);
    if (outcome.status === 'built') progress.line(`  ${id} · engine ${engineLine(outcome.result)}`);
  } catch (err) {
    fail(runFailure(id, experiment.file, err));
  }
}

/** In a child process of its own: a crash, even out of memory, ends that experiment only. */
function runInWorker(experiment: LoadedExperiment): Promise<void> {
  const { id } = experiment;
  progress.line(`▸ ${id} (worker)`);
  return new Promise((done) => {
    const child = fork(fileURLToPath(new URL('../src/pipeline/worker.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (outcome: { line: string } | { failure: RunFailure }) => {
      if (settled) return;
      settled = true;
      if ('line' in outcome) succeed(id, outcome.line);
      else fail(outcome.failure);
      done();
    };
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'stage') progress.stage(m.seed === undefined ? id : `${id} · seed ${m.seed}`, m.stage);
      else if (m.type === 'epoch') progress.epoch(id, m.record, m.epochs);
      else if (m.type === 'wait') progress.line(`  ${id} · waiting: another build (${m.holder}) is writing this experiment`);
      else if (m.type === 'done') {
        if (m.summary.status === 'built') progress.line(`  ${id} · engine ${m.engine}`);
        settle({ line: m.line });
      } else settle({ failure: m.failure });
    });
    child.on('exit', (code, signal) =>
      settle({ failure: runFailure(id, experiment.file, new Error(`its worker process ended (${signal ?? `exit code ${code}`}) before reporting a result`)) }),
    );
    child.send(task(experiment));
  });
}

// Current results are confirmed here, cheaply: only experiments with work to do start a worker.
const pending: LoadedExperiment[] = [];
for (const experiment of runnable) {
  const t0 = performance.now();
  const result = currentResult(experiment, task(experiment));
  if (result) succeed(experiment.id, outcomeLine(experiment.id, { status: 'reused', result, why: '' }, performance.now() - t0).line);
  else pending.push(experiment);
}

if (unwritable) {
  // Current results were confirmed above (reading only); the rest cannot be stored, so none trains.
  for (const experiment of pending.splice(0)) fail(runFailure(experiment.id, experiment.file, unwritable));
}

seedJobs = Math.max(1, Math.floor(Number(values.jobs) / Math.max(1, pending.length)));
if (jobs === 1 || pending.length <= 1) {
  for (const experiment of pending) await runHere(experiment);
} else {
  progress.line(
    `Running ${pending.length} experiments, ${Math.min(jobs, pending.length)} at a time, each in its own process${seedJobs > 1 ? `, ${seedJobs} seeds at a time in each` : ''}.`,
  );
  // The largest first, so that the last one running alone is a short one.
  const queue = [...pending].sort((a, b) => workOf(b.spec) - workOf(a.spec));
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await runInWorker(next);
    }),
  );
}
// The summary lists experiments in file order, whatever order they finished in.
const lines = selected.flatMap((o) => summary.get(idOf(o)) ?? []);
progress.line(`\n${lines.join('\n')}`);
progress.line(
  `${lines.length} experiment(s) run in ${((performance.now() - started) / 1000).toFixed(1)} s; ${failed} failed or invalid${waiting ? `; ${waiting} need data not installed here (shown on the site as "needs data")` : ''}.`,
);
process.exit(failed > 0 ? 1 : 0);
