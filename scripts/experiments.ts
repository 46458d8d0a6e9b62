// Runs every experiment in experiments/ (or those named with --only), reusing
// stored results whose hash has not changed. An invalid or failing experiment
// never stops the others; the command exits non-zero at the end if any did.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatError } from '../src/spec/errors.ts';
import { loadExperiments, type LoadedExperiment } from '../src/spec/load.ts';
import { outcomeLine } from '../src/pipeline/outcome.ts';
import type { WorkerMessage, WorkerTask } from '../src/pipeline/worker.ts';
import { createProgress } from '../src/pipeline/progress.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import type { BackendChoice } from '../src/engine/index.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    force: { type: 'boolean', default: false },
    backend: { type: 'string' },
    experiments: { type: 'string', default: process.env.CHEMINS_EXPERIMENTS ?? 'experiments' },
    results: { type: 'string', default: process.env.CHEMINS_RESULTS ?? 'results' },
    jobs: { type: 'string', default: process.env.CHEMINS_JOBS ?? String(availableParallelism()) },
  },
});

const backends = ['auto', 'tensorflow', 'wasm', 'cpu'];
if (values.backend && !backends.includes(values.backend)) {
  console.error(`--backend must be one of ${backends.join(', ')} (got "${values.backend}")`);
  process.exit(2);
}

if (!/^[1-9]\d*$/.test(values.jobs)) {
  console.error(`--jobs must be a whole number of at least 1 (got "${values.jobs}")`);
  process.exit(2);
}

const progress = createProgress();
const outcomes = loadExperiments(resolve(values.experiments));
const only = values.only?.flatMap((o) => o.split(',')) ?? null;
const idOf = (o: (typeof outcomes)[number]) => (o.ok ? o.experiment.id : basename(o.error.file).replace(/\.ya?ml$/, ''));
const selected = outcomes.filter((o) => !only || only.includes(idOf(o)));
const known = new Set(outcomes.map(idOf));
for (const id of only ?? []) if (!known.has(id)) console.error(`--only ${id}: there is no experiment file ${values.experiments}/${id}.yaml`);

let failed = selected.filter((o) => !o.ok).length + (only ?? []).filter((id) => !known.has(id)).length;
for (const o of selected) if (!o.ok) console.error(`${formatError(o.error)}\n`);

const started = performance.now();
const summary: string[] = [];
const runnable = selected.flatMap((o) => (o.ok ? [o.experiment] : []));
const jobs = Math.max(1, Math.min(Number(values.jobs), runnable.length));
const task = (experiment: LoadedExperiment): WorkerTask => ({ experiment, resultsDir: resolve(values.results), force: values.force, backend: values.backend as BackendChoice | undefined });

/** In this process: the live epoch bar works, and a debugger sees everything. */
async function runHere(experiment: LoadedExperiment): Promise<void> {
  const { id } = experiment;
  progress.line(`▸ ${id}`);
  try {
    const t0 = performance.now();
    const outcome = await runExperiment(experiment, {
      ...task(experiment),
      onStage: (stage, seed) => progress.stage(seed === undefined ? id : `${id} · seed ${seed}`, stage),
      training: {
        onBatch: (epoch, batch, batches) => progress.batch(id, epoch, experiment.spec.training.epochs, batch, batches),
        onEpoch: (record, epochs) => progress.epoch(id, record, epochs),
      },
    });
    summary.push(outcomeLine(id, outcome, performance.now() - t0).line);
    if (outcome.status === 'built') progress.line(`  ${id} · engine ${outcome.result.run.backend}: ${outcome.result.run.backendReason}`);
  } catch (err) {
    failed++;
    summary.push(`  ✗ ${id}: ${(err as Error).stack ?? err}`);
  }
}

/** In a child process of its own: a crash, even out of memory, ends that experiment only. */
function runInWorker(experiment: LoadedExperiment): Promise<void> {
  const { id } = experiment;
  progress.line(`▸ ${id} (worker)`);
  return new Promise((done) => {
    const child = fork(fileURLToPath(new URL('../src/pipeline/worker.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (line: string, ok: boolean) => {
      if (settled) return;
      settled = true;
      if (!ok) failed++;
      summary.push(line);
      done();
    };
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'stage') progress.stage(m.seed === undefined ? id : `${id} · seed ${m.seed}`, m.stage);
      else if (m.type === 'epoch') progress.epoch(id, m.record, m.epochs);
      else if (m.type === 'done') {
        if (m.summary.status === 'built') progress.line(`  ${id} · engine ${m.engine}`);
        settle(m.line, true);
      } else settle(`  ✗ ${id}: ${m.error}`, false);
    });
    child.on('exit', (code, signal) => settle(`  ✗ ${id}: its worker process ended (${signal ?? `exit code ${code}`}) before reporting a result`, false));
    child.send(task(experiment));
  });
}

if (jobs === 1) {
  for (const experiment of runnable) await runHere(experiment);
} else {
  progress.line(`Running ${runnable.length} experiments, ${jobs} at a time, each in its own process.`);
  const queue = [...runnable];
  await Promise.all(Array.from({ length: jobs }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await runInWorker(next);
  }));
}
// The summary lists experiments in file order, whatever order they finished in.
const order = new Map(selected.map((o, i) => [idOf(o), i]));
summary.sort((a, b) => (order.get(lineId(a)) ?? 0) - (order.get(lineId(b)) ?? 0));
progress.line(`\n${summary.join('\n')}`);
progress.line(`${summary.length} experiment(s) run in ${((performance.now() - started) / 1000).toFixed(1)} s; ${failed} failed or invalid.`);
process.exit(failed > 0 ? 1 : 0);

function lineId(line: string): string {
  return line.replace(/^\s*[✓✗] /, '').split(':')[0];
}
