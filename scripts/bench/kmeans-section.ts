import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measured } from './child.ts';
import { FASHION, fashionAvailable } from './datasets.ts';
import { failed, type Bench } from './harness.ts';
import type { KMeansTiming, MatrixFile } from './kmeans.ts';
import type { KMeansArgs } from './parts.ts';
import { benchSklearn, findSklearn, sklearnFromStarts, type SklearnSource, type StartedRuns } from './sklearn.ts';
import { num, ratio, seconds, type Section } from './table.ts';

// Sections 2 and 2b: k-means against ml-kmeans and scikit-learn, with
// independent restarts and from the same starting centres.

function kmeansRow(matrix: string, r: Measured<KMeansTiming> | null, engine: string, reference: KMeansTiming | null, skipped?: string): string[] {
  if (skipped) return [matrix, engine, skipped, '', '', '', '', '', '', '', ''];
  if (!r?.ok) return [matrix, engine, r ? failed(r) : '—', '', '', '', '', '', '', '', ''];
  const t = r.value;
  const per = t.cpuSeconds / t.restarts;
  const speedup = reference && t.engine !== reference.engine ? reference.cpuSeconds / reference.restarts / per : null;
  return [
    matrix,
    t.engine,
    String(t.k),
    String(t.restarts),
    seconds(t.seconds),
    seconds(t.cpuSeconds),
    seconds(per),
    reference && t.engine === reference.engine ? '1.00×' : ratio(speedup),
    num(t.inertia, 1),
    reference ? num(t.inertia / reference.inertia, 5) : '—',
    String(t.iterations),
  ];
}

/** scikit-learn on the same matrix, when it is installed (not with --quick). */
function sklearnRow(
  bench: Bench,
  label: string,
  source: SklearnSource,
  k: number,
  restarts: number,
  ref: KMeansTiming | null,
): { row: string[]; timing: KMeansTiming | null } {
  if (bench.options.quick) return { row: kmeansRow(label, null, 'scikit-learn', null, 'skipped (--quick)'), timing: null };
  const sk = findSklearn();
  if (!sk) return { row: kmeansRow(label, null, 'scikit-learn', null, 'not installed (Debian: apt-get install python3-sklearn)'), timing: null };
  bench.options.log(`  k-means: scikit-learn on ${label}`);
  try {
    const t = benchSklearn(sk.python, source, k, restarts);
    const row = kmeansRow(label, { ok: true, value: t, maxRssMiB: null }, 'scikit-learn', ref);
    row[1] = `scikit-learn ${t.version}, 1 thread`;
    return { row, timing: t };
  } catch (e) {
    return { row: kmeansRow(label, null, 'scikit-learn', null, failed({ error: (e as Error).message })), timing: null };
  }
}

/** The issue's k-means target, from one run: lloyd no slower than scikit-learn's Lloyd per restart, inertia within 0.1 %. */
function targetLine(label: string, ours: KMeansTiming, sk: KMeansTiming): string {
  const speed = sk.cpuSeconds / sk.restarts / (ours.cpuSeconds / ours.restarts);
  const inertia = ours.inertia / sk.inertia;
  return `${label}: lloyd ${ratio(speed)} scikit-learn's speed per restart, inertia ${num(inertia, 5)} of scikit-learn's (${Math.abs(inertia - 1) <= 0.001 ? 'within' : inertia < 1 ? 'lower, beyond' : 'higher, beyond'} 0.1 %)`;
}

const STARTS_HEADERS = [
  'Matrix',
  'k',
  'Restarts',
  'lloyd CPU per restart',
  'scikit-learn CPU per restart',
  'lloyd speed / scikit-learn',
  'Inertia, lloyd / scikit-learn (worst restart)',
  'Restarts with the same iteration count',
];

interface StartsComparison {
  label: string;
  /** scikit-learn's CPU time over lloyd's. */
  speed: number;
  /** The restart's inertia ratio (lloyd / scikit-learn) farthest from 1. */
  worst: number;
}

/**
 * Both from the same starting centres (scikit-learn's k-means++, restart r
 * seeded 1 + r): the Lloyd iterations alone, compared restart by restart.
 */
async function fromStarts(
  bench: Bench,
  label: string,
  matrix: KMeansArgs['matrix'],
  source: SklearnSource,
  k: number,
  restarts: number,
  starts: string,
): Promise<{ row: string[]; comparison?: StartsComparison } | null> {
  const sk = bench.options.quick ? null : findSklearn();
  if (!sk) return null;
  bench.options.log(`  k-means from the same starts: scikit-learn on ${label}`);
  let theirs: StartedRuns;
  try {
    theirs = sklearnFromStarts(sk.python, source, k, restarts, starts);
  } catch (e) {
    return { row: [label, String(k), String(restarts), failed({ error: (e as Error).message }), '', '', '', ''] };
  }
  const ours = await bench.measure<StartedRuns>(`k-means from the same starts: lloyd on ${label}`, 'kmeansFromStarts', { matrix, k, starts });
  if (!ours.ok) return { row: [label, String(k), String(restarts), failed(ours), '', '', '', ''] };
  const o = ours.value;
  const ratios = o.runs.map((r, i) => r.inertia / theirs.runs[i].inertia);
  const worst = ratios.reduce((w, r) => (Math.abs(r - 1) > Math.abs(w - 1) ? r : w), 1);
  const sameIterations = o.runs.filter((r, i) => r.iterations === theirs.runs[i].iterations).length;
  const row = [
    label,
    String(k),
    String(restarts),
    seconds(o.cpuSeconds / restarts),
    seconds(theirs.cpuSeconds / restarts),
    ratio(theirs.cpuSeconds / o.cpuSeconds),
    num(worst, 6),
    `${sameIterations} of ${restarts}`,
  ];
  return { row, comparison: { label, speed: theirs.cpuSeconds / o.cpuSeconds, worst } };
}

/** The target, from section 2b's comparisons. */
function startsTarget(compared: StartsComparison[]): string | null {
  if (!compared.length) return null;
  const verdict = (worst: number) => (Math.abs(worst - 1) <= 0.001 ? 'within 0.1 %' : 'beyond 0.1 %');
  return `**Target, from the same starts: lloyd no slower than scikit-learn, inertia within 0.1 %.** ${compared.map((c) => `${c.label}: lloyd ${ratio(c.speed)} scikit-learn's speed, worst inertia ratio ${num(c.worst, 6)} (${verdict(c.worst)})`).join('; ')}.`;
}

export async function kmeansSection(bench: Bench): Promise<Section[]> {
  const s = bench.sizes;
  const targets: string[] = [];
  const notes: string[] = [];
  const rows: string[][] = [];
  const same: { row: string[]; comparison?: StartsComparison }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'chemins-bench-kmeans-'));
  try {
    const made = await bench.measure<MatrixFile>('k-means: record activations', 'activations', { path: join(dir, 'activations.f32') });
    if (!made.ok) {
      rows.push(kmeansRow('activations', null, 'lloyd', null, failed(made)));
    } else {
      const matrix = made.value;
      const label = `${num(matrix.rows, 0)} × ${matrix.width} activations`;
      const args = (engine: KMeansArgs['engine']): KMeansArgs => ({ engine, matrix, k: s.activationsK, restarts: s.activationsRestarts });
      const ml = await bench.measure<KMeansTiming>('k-means: ml-kmeans on activations', 'kmeans', args('ml-kmeans'));
      const ours = await bench.measure<KMeansTiming>('k-means: lloyd on activations', 'kmeans', args('lloyd'));
      const ref = ml.ok ? ml.value : null;
      rows.push(kmeansRow(label, ml, 'ml-kmeans', ref), kmeansRow(label, ours, 'lloyd', ref));
      const peer = sklearnRow(bench, label, matrix, s.activationsK, s.activationsRestarts, ref);
      rows.push(peer.row);
      if (peer.timing && ours.ok) targets.push(targetLine(label, ours.value, peer.timing));
      notes.push(`Activations: ${matrix.source}.`);
      const started = await fromStarts(bench, label, matrix, matrix, s.activationsK, s.activationsRestarts, join(dir, 'activations-starts.f64'));
      if (started) same.push(started);
    }
    if (fashionAvailable()) {
      const limit = Number.isFinite(s.fashionLimit) ? s.fashionLimit : null;
      const label = `Fashion-MNIST train ${limit ? `(first ${num(limit, 0)})` : '60,000'} × 784`;
      const args = (engine: KMeansArgs['engine'], restarts: number): KMeansArgs => ({ engine, matrix: { fashion: true, limit }, k: s.fashionK, restarts });
      const ours = await bench.measure<KMeansTiming>('k-means: lloyd on Fashion-MNIST', 'kmeans', args('lloyd', s.fashionRestarts));
      let ref: KMeansTiming | null = null;
      if (bench.options.fashionMlKMeans || bench.options.quick) {
        const ml = await bench.measure<KMeansTiming>('k-means: ml-kmeans on Fashion-MNIST', 'kmeans', args('ml-kmeans', 1));
        ref = ml.ok ? ml.value : null;
        rows.push(kmeansRow(label, ml, 'ml-kmeans', ref));
      } else {
        rows.push(
          kmeansRow(
            label,
            null,
            'ml-kmeans',
            null,
            'skipped: about 115 s for one restart here (15× lloyd per restart, measured once while writing this bench); pass --fashion-ml-kmeans to run it',
          ),
        );
      }
      rows.push(kmeansRow(label, ours, 'lloyd', ref));
      const source = { idx: join(FASHION, 'train-images-idx3-ubyte.gz'), limit };
      const peer = sklearnRow(bench, label, source, s.fashionK, s.fashionRestarts, ref);
      rows.push(peer.row);
      if (peer.timing && ours.ok) targets.push(targetLine(label, ours.value, peer.timing));
      const started = await fromStarts(bench, label, { fashion: true, limit }, source, s.fashionK, s.fashionRestarts, join(dir, 'fashion-starts.f64'));
      if (started) same.push(started);
    } else {
      notes.push(`No ${FASHION}: the Fashion-MNIST rows are left out.`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (targets.length)
    notes.unshift(
      `**Target: lloyd no slower than scikit-learn's Lloyd k-means at the same k and restarts, inertia within 0.1 %.** With independent restarts (each engine its own k-means++ seeds, so the best inertia also depends on where the starts fell; section 2b runs both from the same starts): ${targets.join('; ')}.`,
    );
  notes.push(
    'Both engines through `fitKMeans` of src/signatures/kmeans.ts, as the pipeline calls it: k-means++ initialisation, restart r seeded with 1 + r, the lowest inertia kept, clusters then sorted by size. Both run on one thread: ml-kmeans in JavaScript; lloyd in JavaScript around dot products in WebAssembly SIMD (src/signatures/dots.c). "Speed-up" is CPU time per restart, against ml-kmeans on the same matrix; "inertia / ml-kmeans" below 1 means lloyd found tighter clusters.',
    "scikit-learn: `KMeans(algorithm='lloyd', init='k-means++', n_init=restarts, random_state=1)` with its default tolerance, in a Python process pinned to one thread (threadpoolctl); its own seeds, so its restarts start elsewhere than ours. Its inertia is recomputed in float64 from its labels and centres, as ours is.",
  );
  const kmeans = {
    title: '2. k-means',
    headers: [
      'Matrix',
      'Engine',
      'k',
      'Restarts',
      'Wall time',
      'CPU time',
      'CPU per restart',
      'Speed-up',
      'Inertia',
      'Inertia / ml-kmeans',
      'Iterations (best run)',
    ],
    rows,
    notes,
  };
  const compared = same.flatMap((r) => (r.comparison ? [r.comparison] : []));
  const fromSameStarts = {
    title: '2b. k-means from the same starts',
    headers: STARTS_HEADERS,
    rows: same.length ? same.map((r) => r.row) : [['all', '', '', bench.options.quick ? 'skipped (--quick)' : 'scikit-learn not installed', '', '', '', '']],
    notes: [
      ...[startsTarget(compared)].filter((t): t is string => t !== null),
      "Independent restarts (section 2) start from different centres, so their best inertias differ by the luck of the starts. Here scikit-learn's `kmeans_plusplus` (restart r seeded with 1 + r) picks each restart's starting centres, and both run Lloyd's iterations from them: scikit-learn's `KMeans(init=centres, n_init=1, algorithm='lloyd')` and lloyd.ts's (`starts` option), each on one thread, timed per fit (the initialisation is not timed). Equal inertias and iteration counts mean the same clustering; lloyd's float32 dot products (as scikit-learn's on float32 data) can move a row that sits on a tie.",
    ],
  };
  return [kmeans, fromSameStarts];
}
