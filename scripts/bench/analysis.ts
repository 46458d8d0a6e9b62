import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadData } from '../../src/data/index.ts';
import type { Result } from '../../src/results/schema.ts';
import { loadExperiments } from '../../src/spec/load.ts';
import type { Bench } from './harness.ts';
import { findPython } from './python.ts';
import { num, ratio, seconds, type Section } from './table.ts';

// Chemins' analysis against a scikit-learn peer computing the same
// statistics on the same stored activations (scripts/bench/analysis_peer.py,
// its own k-means included), both on one thread. Ours is the experiment's
// own stage timings (signatures + analysis, CPU), from a build with --jobs 1;
// the 2-D projections (PCA, UMAP), exemplars and per-input export are left
// out of ours, since the peer makes none.

const EXPERIMENTS = ['mnist-1-vs-7', 'mnist-nine-digits'];
const PEER = fileURLToPath(new URL('./analysis_peer.py', import.meta.url));
/** The issue's target: our analysis at most half the peer's time. */
const TARGET = 0.5;

interface Row {
  id: string;
  /** CPU seconds. */
  ours: number;
  parts: [string, number][];
  peer: { seconds: number; cpuSeconds: number; parts: Record<string, number> } | null;
  note: string;
}

function build(id: string, results: string): Result {
  const run = spawnSync(process.execPath, ['scripts/experiments.ts', '--only', id, '--results', results, '--jobs', '1'], {
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (run.status !== 0) throw new Error(`${id}: the experiments script failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1)}`);
  return JSON.parse(readFileSync(join(results, `${id}.json`), 'utf8')) as Result;
}

/** The peer's job: the experiment's settings, every input's label, where each seed's activations are. */
export function job(result: Result, results: string, file: string): string {
  const spec = result.spec;
  const data = loadData(spec.dataset);
  const labels = [...data.train.labels, ...data.test.labels, ...data.probe.labels];
  const index = new Map(data.classes.map((c, i) => [c, i]));
  const seeds = result.seeds.map((seed) => {
    const meta = JSON.parse(readFileSync(join(results, result.id, `seed-${seed}`, 'activations.json'), 'utf8'));
    return {
      ranges: meta.ranges,
      layers: meta.layers
        .filter((l: { layer: string }) => l.layer !== 'output')
        .map((l: { file: string; rows: number; columns: number }) => ({ path: join(results, result.id, l.file), rows: l.rows, columns: l.columns })),
    };
  });
  writeFileSync(
    file,
    JSON.stringify({
      ranges: seeds[0].ranges,
      labels,
      classIndex: labels.map((l) => index.get(l) ?? -1),
      probes: data.probes,
      k: result.runs[0].layers.map((l) => l.k),
      restarts: spec.signatures.restarts,
      neighbours: spec.analysis.neighbours,
      permutations: spec.analysis.permutations,
      silhouetteSample: spec.analysis.silhouetteSample,
      seeds,
    }),
  );
  return file;
}

export function analysisSection(bench: Bench): Section {
  const headers = ['Experiment', 'Chemins (CPU s)', 'scikit-learn peer (CPU s)', 'Chemins ÷ peer', 'target', 'Where Chemins spends it'];
  if (bench.options.quick) return { title: '2c. Analysis against scikit-learn', headers, rows: [['all', 'skipped (--quick)', '', '', '', '']], notes: [] };
  const python = findPython('import sklearn; print(sklearn.__version__)');
  const experiments = loadExperiments('experiments').flatMap((o) => (o.ok && EXPERIMENTS.includes(o.experiment.id) ? [o.experiment] : []));
  const rows: Row[] = [];
  for (const e of experiments) {
    const dir = mkdtempSync(join(tmpdir(), 'chemins-bench-analysis-'));
    try {
      bench.options.log(`  ${e.id}: building with one job`);
      const result = build(e.id, dir);
      const t = result.run.timings;
      // This thread's CPU time, not wall time: a busy machine slows both sides' wall clocks unevenly.
      const cpu = (key: string) => (t[`${key} (CPU)`] ?? 0) / 1000;
      const skipped = cpu('analysis: projections') + cpu('analysis: exemplars') + cpu('analysis: per-input export');
      const ours = cpu('signatures') + cpu('analysis') - skipped;
      const parts = Object.entries(t)
        .filter(([k]) => k.startsWith('analysis: ') && k.endsWith(' (CPU)') && !['analysis: projections (CPU)', 'analysis: per-input export (CPU)'].includes(k))
        .map(([k, v]) => [k.slice('analysis: '.length, -' (CPU)'.length), v / 1000] as [string, number])
        .concat([['k-means (signatures)', cpu('signatures')]])
        .sort((a, b) => b[1] - a[1]);
      let peer: Row['peer'] = null;
      let note = '';
      if (python) {
        bench.options.log(`  ${e.id}: the scikit-learn peer`);
        const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
        const run = spawnSync(python.python, [PEER, job(result, dir, join(dir, 'job.json'))], { encoding: 'utf8', env, timeout: 30 * 60_000 });
        if (run.status === 0) peer = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
        else note = `peer failed: ${(run.stderr || '').trim().split('\n').at(-1)}`;
      } else note = 'no python3 with scikit-learn here';
      rows.push({ id: e.id, ours, parts, peer, note });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    title: '2c. Analysis against scikit-learn',
    headers,
    rows: rows.map((r) => [
      r.id,
      seconds(r.ours),
      r.peer ? seconds(r.peer.cpuSeconds) : r.note,
      r.peer ? ratio(r.ours / r.peer.cpuSeconds) : '—',
      `≤ ${num(TARGET, 1)}×${r.peer ? (r.ours / r.peer.cpuSeconds <= TARGET ? ' (met)' : ' (not met)') : ''}`,
      r.parts
        .slice(0, 6)
        .map(([k, v]) => `${k} ${seconds(v)}`)
        .join(', '),
    ]),
    notes: [
      "CPU time on one thread for both (wall time on a machine others share measures the others too). Chemins: the signatures and analysis stages of a build with `--jobs 1` (seeds in sequence, one thread), summed over seeds, from the result's stage timings (`process.threadCpuUsage`); its 2-D projections (PCA and UMAP), example images and per-input export (for the explorer) are left out, since the peer makes none. The raw input layer's work is shared by all seeds in both.",
      `The peer: scripts/bench/analysis_peer.py, on the same stored activations and labels, pinned to one thread (OpenMP, OpenBLAS, MKL): k-means (scikit-learn's Lloyd, the same restarts) at the layer's k and at k = classes, NMI, ARI, purity, silhouette, a converged logistic regression (C = 1), a 5-NN classifier, Ledoit–Wolf Mahalanobis and relative Mahalanobis, the k-th neighbour distance, nearest centroid and their ROC AUCs, the held-out permutation test and bootstrap, CKA between layers and between seeds.`,
      ...rows
        .filter((r) => r.peer)
        .map(
          (r) =>
            `${r.id}, the peer's parts (wall time, ${seconds(r.peer!.seconds)} in all): ${Object.entries(r.peer!.parts)
              .sort((a, b) => b[1] - a[1])
              .map(([k, v]) => `${k} ${seconds(v)}`)
              .join(', ')}.`,
        ),
    ],
  };
}
