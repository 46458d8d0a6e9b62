// Runs every experiment in experiments/ (or those named with --only), reusing
// stored results whose hash has not changed. An invalid or failing experiment
// never stops the others; the command exits non-zero at the end if any did.
import { parseArgs } from 'node:util';
import { basename, resolve } from 'node:path';
import { formatError } from '../src/spec/errors.ts';
import { loadExperiments } from '../src/spec/load.ts';
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
  },
});

const backends = ['auto', 'tensorflow', 'wasm', 'cpu'];
if (values.backend && !backends.includes(values.backend)) {
  console.error(`--backend must be one of ${backends.join(', ')} (got "${values.backend}")`);
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
for (const o of selected) {
  if (!o.ok) continue;
  const { id } = o.experiment;
  progress.line(`▸ ${id}`);
  try {
    const t0 = performance.now();
    const { status, result } = await runExperiment(o.experiment, {
      resultsDir: resolve(values.results),
      force: values.force,
      backend: values.backend as BackendChoice | undefined,
      onStage: (stage, seed) => progress.stage(seed === undefined ? id : `${id} · seed ${seed}`, stage),
      training: {
        onBatch: (epoch, batch, batches) => progress.batch(id, epoch, o.experiment.spec.training.epochs, batch, batches),
        onEpoch: (record, epochs) => progress.epoch(id, record, epochs),
      },
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    const mean = (f: (r: (typeof result.runs)[number]) => number) => result.runs.reduce((s, r) => s + f(r), 0) / result.runs.length;
    const seeds = result.runs.length === 1 ? '1 seed' : `${result.runs.length} seeds`;
    const detail = status === 'built' ? `trained ${seeds} on ${result.run.backend} (${Math.round(mean((r) => r.training.samplesPerSecond))} samples/s)` : status === 'reused' ? 'stored result reused, nothing trained' : 'only labels changed, result reused';
    summary.push(`  ✓ ${id}: ${status} in ${seconds} s, ${detail}; test accuracy ${(100 * mean((r) => r.training.testAccuracy)).toFixed(1)} %`);
    if (status === 'built') progress.line(`  ${id} · engine ${result.run.backend}: ${result.run.backendReason}`);
  } catch (err) {
    failed++;
    summary.push(`  ✗ ${id}: ${(err as Error).stack ?? err}`);
  }
}
progress.line(`\n${summary.join('\n')}`);
progress.line(`${summary.length} experiment(s) run in ${((performance.now() - started) / 1000).toFixed(1)} s; ${failed} failed or invalid.`);
process.exit(failed > 0 ? 1 : 0);
