import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBuild, type BuildRow, type Step } from './build.ts';
import { measureInChild, type Measured } from './child.ts';
import type { CnnBenchResult } from './cnn.ts';
import type { FusedProfile } from './fused.ts';
import { defaultSpec, FASHION, FASHION_CLASSES, fashionAvailable, fashionWorkload, mnistWorkload } from './datasets.ts';
import type { KMeansTiming, MatrixFile } from './kmeans.ts';
import { describeMachine, type Machine } from './machine.ts';
import { parts, type KMeansArgs, type PartName, type TrainArgs, type TrainResult } from './parts.ts';
import { mib, num, percent, ratio, renderSection, seconds, type Section } from './table.ts';
import type { TrainProfile } from './profile.ts';
import { benchSklearn, findSklearn, sklearnFromStarts, type SklearnSource, type StartedRuns } from './sklearn.ts';
import { benchTorch, findTorch } from './torch.ts';
import { availableEngines, type Loop } from './training.ts';

export const SECTIONS = ['training', 'kmeans', 'build'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Tiny sizes, no PyTorch, no build: for the smoke test. */
  quick: boolean;
  /** Run the parts in this process (no peak memory per part). */
  inProcess: boolean;
  sections: readonly SectionName[];
  /** Time the small CNN of scripts/bench/cnn.ts on each engine (on unless --no-cnn). */
  cnn: boolean;
  /** Also run ml-kmeans on the 60,000 × 784 Fashion-MNIST matrix (about two minutes a restart here). */
  fashionMlKMeans: boolean;
  /** Cold build from an empty store for every experiment, not only the default one (several minutes more). */
  coldAll?: boolean;
  log: (line: string) => void;
}

/**
 * Sizes of the full run: enough work per measurement to be read (seconds, not
 * milliseconds) and little enough that the measured parts other than the site
 * build take about two minutes on two shared cores; the four site builds take
 * the rest.
 */
const SIZES = {
  // Enough steps that one-time costs (PyTorch's first epoch runs at about a
  // quarter of its speed; the kernel's data upload) do not decide the ratio.
  mnistEpochs: 10,
  fashionEpochs: 3,
  activationsK: 8,
  /** The pipeline's default (signatures.restarts), for both engines. */
  activationsRestarts: 10,
  fashionK: 10,
  fashionRestarts: 2,
  cnnSteps: 100,
  /** The cpu engine takes about 2 s a CNN step here. */
  cnnCpuSteps: 5,
};

const QUICK = { ...SIZES, activationsRestarts: 2, fashionRestarts: 1, fashionLimit: 2000, cnnSteps: 2, cnnCpuSteps: 1 };

/** Every part measured, for the peak-memory section. */
interface MemoryRecord {
  part: string;
  maxRssMiB: number | null;
}

class Bench {
  readonly memory: MemoryRecord[] = [];
  readonly machine: Machine = describeMachine();
  readonly sizes: typeof QUICK;
  readonly options: BenchOptions;

  constructor(options: BenchOptions) {
    this.options = options;
    this.sizes = options.quick ? QUICK : { ...SIZES, fashionLimit: Infinity };
  }

  async measure<T>(label: string, part: PartName, args: unknown): Promise<Measured<T>> {
    this.options.log(`  ${label}`);
    let result: Measured<T>;
    if (this.options.inProcess) {
      try {
        const run = parts[part] as (a: unknown, quick: boolean) => Promise<T>;
        result = { ok: true, value: await run(args, this.options.quick), maxRssMiB: null };
      } catch (e) {
        result = { ok: false, error: (e as Error).message.split('\n')[0], maxRssMiB: null };
      }
    } else {
      result = measureInChild<T>(part, args, this.options.quick);
    }
    this.memory.push({ part: label, maxRssMiB: result.maxRssMiB });
    return result;
  }

  get corePeak(): number {
    return this.machine.peakGflops / this.machine.cores;
  }
}

const failed = (m: { error: string }): string => `failed: ${m.error}`;

function trainRow(bench: Bench, workload: string, r: Measured<TrainResult> | null, engine: string, loop: Loop, baseline: number | null, skipped?: string): string[] {
  if (skipped) return [workload, engine, loop, skipped, '', '', '', '', '', '', '', ''];
  if (!r || !r.ok) return [workload, engine, loop, r ? failed(r) : '—', '', '', '', '', '', '', '', ''];
  const t = r.value;
  return [
    workload, t.engine, loop, num(t.samples, 0), seconds(t.seconds), seconds(t.cpuSeconds), num(t.samplesPerSecond, 0),
    ratio(baseline ? t.samplesPerSecond / baseline : null), num(t.gflopPerSecond, 2), percent(t.gflopPerSecond / bench.corePeak, 2),
    percent(t.evalShare, 0), percent(t.testAccuracy, 1),
  ];
}

async function trainingSection(bench: Bench): Promise<Section> {
  const { quick } = bench.options;
  const engines = await availableEngines();
  const datasets: TrainArgs['dataset'][] = ['mnist', ...(fashionAvailable() ? (['fashion'] as const) : [])];
  const rows: string[][] = [];
  const notes: string[] = [];
  const names: Record<string, string> = {};
  const wasmFit: Record<string, number> = {};
  const fusedSpeed: Record<string, number> = {};
  const density: Record<string, number> = {};
  const results: Measured<TrainResult>[] = [];
  for (const dataset of datasets) {
    const epochs = dataset === 'mnist' ? bench.sizes.mnistEpochs : bench.sizes.fashionEpochs;
    // Fashion-MNIST on the engine the pipeline would choose only: the cpu
    // engine's ~35 s there would buy no information the MNIST rows lack.
    for (const engine of dataset === 'mnist' ? engines : engines.slice(0, 1)) {
      const fit = await bench.measure<TrainResult>(`train ${dataset} ${engine} model.fit`, 'train', { engine, loop: 'model.fit', dataset, epochs } satisfies TrainArgs);
      const own = await bench.measure<TrainResult>(`train ${dataset} ${engine} tfjs loop`, 'train', { engine, loop: 'tfjs loop', dataset, epochs } satisfies TrainArgs);
      results.push(fit, own);
      const ok = [fit, own].find((m) => m.ok) as { value: TrainResult } | undefined;
      const classes = dataset === 'mnist' ? `MNIST ${defaultSpec().dataset.classes.join(' vs ')}` : `Fashion ${FASHION_CLASSES.join(' vs ')}`;
      const name = ok ? `${classes} (${num(ok.value.trainRows, 0)} train)` : classes;
      names[dataset] ??= name;
      const base = fit.ok ? fit.value.samplesPerSecond : null;
      if (engine === 'wasm' && base) wasmFit[dataset] = base;
      rows.push(trainRow(bench, name, fit, engine, 'model.fit', base), trainRow(bench, name, own, engine, 'tfjs loop', base));
    }
    // The fused kernel runs no TF.js engine: one row per dataset, against model.fit on wasm.
    const fused = await bench.measure<TrainResult>(`train ${dataset} fused`, 'train', { engine: 'wasm', loop: 'fused', dataset, epochs } satisfies TrainArgs);
    results.push(fused);
    if (fused.ok) {
      fusedSpeed[dataset] = fused.value.samplesPerSecond;
      density[dataset] = fused.value.inputDensity;
    }
    rows.push(trainRow(bench, names[dataset] ?? dataset, fused, 'fused kernel (wasm SIMD)', 'fused', wasmFit[dataset] ?? null));
  }
  if (!engines.includes('tensorflow')) rows.push(trainRow(bench, 'all', null, 'tensorflow', 'model.fit', null, 'not importable (@tensorflow/tfjs-node is not installed)'));
  const torch = torchRows(bench, datasets, names, wasmFit);
  rows.push(...torch.rows);
  const against = datasets.filter((d) => fusedSpeed[d] && torch.speeds[d]);
  if (against.length) {
    notes.push(
      `**Target: the fused kernel at ≥ 0.5× PyTorch's throughput.** Fused / PyTorch: ${against.map((d) => `${names[d]} ${ratio(fusedSpeed[d] / torch.speeds[d])}`).join('; ')}. PyTorch's matrix products go through the BLAS the system provides (loaded here: ${torch.blas.join(', ') || 'none found'}); with Debian's reference BLAS (libblas3 alone, no OpenBLAS) it runs about 20× slower, so install libopenblas0 for a fair peer.`,
    );
  }
  if (!fashionAvailable()) notes.push(`No ${FASHION}: the Fashion-MNIST rows are left out.`);
  if (bench.options.cnn) {
    const cnn = await cnnRows(bench, engines);
    rows.push(...cnn.rows);
    notes.push(cnn.note);
  }
  const m = bench.machine;
  const spec = defaultSpec();
  const shape = [784, ...spec.model.hidden, spec.dataset.classes.length].join('-');
  const params = results.find((r) => r.ok)?.value.params ?? NaN;
  const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
  notes.push(
    `MLP ${shape} (${spec.model.activation}, the defaults of src/spec/schema.ts), ${spec.training.optimizer} at ${spec.training.learningRate}, batch ${spec.training.batchSize}, seed 1. MNIST: the default experiment's data as the pipeline loads it (experiments/mnist-1-vs-7.yaml${quick ? ', capped at 100 per class by --quick' : ''}) for ${epochs(quick ? 1 : bench.sizes.mnistEpochs)} (the experiment itself trains ${spec.training.epochs} per seed). Fashion-MNIST: classes ${FASHION_CLASSES.join(' (T-shirt/top) vs ')} (shirt) through the pipeline's IDX loader, ${quick ? 'capped at 256 per class by --quick' : 'the full train split of those two classes'}, ${epochs(quick ? 1 : bench.sizes.fashionEpochs)}, on the engine the pipeline picks here (${engines[0]}); tested on the test split of the same classes.`,
    'Each row is one run in a fresh process. On this shared machine, the same row varies by about ±20 % from run to run (the tfjs loop / model.fit on wasm measured 0.77× to 1.20× while this bench was written): read ratios near 1 as "the same".',
    'Loops: `model.fit` is TF.js\'s own; `tfjs loop` is `trainModel` with `training.loop: tfjs` (TF.js ops on the engine, about 220 engine calls a step); `fused` is `trainModel` with the default `training.loop: auto`, which trains an MLP in Chemins\' kernel (src/model/fused/mlp.c): one WebAssembly SIMD call a step for the forward pass, the loss, the backward pass and the optimizer, skipping products by exact zeros.',
    'Baseline (1.00×): TF.js `model.fit` on the same engine, model, data, batch size and optimizer, with the test split as validation data, since `trainModel` also evaluates every epoch. The fused and PyTorch rows are relative to TF.js `model.fit` on wasm. PyTorch\'s loop is the textbook one (randperm, zero_grad, backward, step) and evaluates the train and test splits every epoch as `trainModel` does. Timed: building the model, uploading the data and training; not reading the data from disk (PyTorch\'s timer includes reading its copy, a few milliseconds).',
    'Speeds are per CPU second of the process (user + system): every engine here computes on one thread, so on an idle machine CPU and wall time agree, and on a shared one CPU time leaves out the time other processes held the core. TF.js\'s wasm backend loads its single-threaded SIMD build in Node; the cpu backend is plain JavaScript; PyTorch is pinned with `torch.set_num_threads(1)`.',
    '"Eval share": the share of `trainModel` wall time spent outside the training steps (its per-epoch loss read-back and evaluation of the whole train and test sets).',
    `GFLOP/s credits every loop with the dense count below, though the fused kernel skips products by exact zeros (${datasets.filter((d) => d in density).map((d) => `${percent(density[d], 0)} of the ${d === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} input values are non-zero`).join(', ') || 'input density not measured'}, and hidden ReLU outputs that are zero are skipped too): its arithmetic rate is lower than its column says; compare samples per second.`,
    `GFLOP/s counts 6 × ${num(params, 0)} parameters × samples (dense forward 2·P, backward 4·P per sample; biases, activations and the optimizer not counted). Peak: ${num(m.peakGflops, 0)} GFLOP/s for the machine, ${num(bench.corePeak, 0)} per core, from ${m.peakAssumption}; the % column is against one core, since every engine uses one. Wasm SIMD is 128 bits wide with no fused multiply-add, a quarter of an AVX-512 register, so the wasm engine could not reach that peak even on large matrices.`,
  );
  return {
    title: '1. Training throughput',
    headers: ['Workload', 'Engine', 'Loop', 'Samples', 'Wall time', 'CPU time', 'Samples per CPU s', '× baseline', 'GFLOP/s', '% of 1-core peak', 'Eval share', 'Test accuracy'],
    rows,
    notes,
  };
}

interface TorchOutcome {
  rows: string[][];
  /** Samples per CPU second, by dataset. */
  speeds: Record<string, number>;
  blas: string[];
}

function torchRows(bench: Bench, datasets: TrainArgs['dataset'][], names: Record<string, string>, wasmFit: Record<string, number>): TorchOutcome {
  const skipped = (why: string): TorchOutcome => ({ rows: [trainRow(bench, 'all', null, 'PyTorch', 'plain loop', null, why)], speeds: {}, blas: [] });
  if (bench.options.quick) return skipped('skipped (--quick)');
  const torch = findTorch();
  if (!torch) return skipped('not installed (python3 -c "import torch" fails; Debian: apt-get install python3-torch)');
  const dir = mkdtempSync(join(tmpdir(), 'chemins-bench-torch-'));
  const outcome: TorchOutcome = { rows: [], speeds: {}, blas: [] };
  try {
    for (const dataset of datasets) {
      const label = `train ${dataset} PyTorch`;
      bench.options.log(`  ${label}`);
      const workload = dataset === 'mnist' ? mnistWorkload(false, bench.sizes.mnistEpochs) : fashionWorkload(false, bench.sizes.fashionEpochs);
      try {
        const t = benchTorch(torch.python, workload, join(dir, dataset));
        bench.memory.push({ part: label, maxRssMiB: t.maxRssMiB });
        outcome.speeds[dataset] = t.samplesPerSecond;
        outcome.blas = t.blas;
        outcome.rows.push(trainRow(bench, names[dataset] ?? dataset, { ok: true, value: { ...t, trainRows: 0, testRows: 0, inputDensity: NaN }, maxRssMiB: t.maxRssMiB }, 'PyTorch', 'plain loop', wasmFit[dataset] ?? null));
      } catch (e) {
        outcome.rows.push(trainRow(bench, names[dataset] ?? dataset, { ok: false, error: (e as Error).message, maxRssMiB: null }, 'PyTorch', 'plain loop', null));
      }
    }
    return outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CNN on each engine, against the cpu engine (the one that trained CNNs before wasm had their gradient kernels). */
async function cnnRows(bench: Bench, engines: string[]): Promise<{ rows: string[][]; note: string }> {
  const measured = [];
  const stepsOf = (engine: string) => (engine === 'cpu' ? bench.sizes.cnnCpuSteps : bench.sizes.cnnSteps);
  for (const engine of engines) measured.push({ engine, r: await bench.measure<CnnBenchResult>(`cnn ${engine}`, 'cnn', { engine, steps: stepsOf(engine) }) });
  const cpu = measured.find((m) => m.engine === 'cpu' && m.r.ok)?.r as { value: CnnBenchResult } | undefined;
  const rows = measured.map(({ engine, r }) => {
    const c = r.ok ? r.value : null;
    const cells = c
      ? [num(c.steps * c.batchSize, 0), seconds((c.steps * c.msPerStep) / 1000), seconds(c.cpuSeconds), num(c.samplesPerSecond, 0), ratio(cpu ? c.samplesPerSecond / cpu.value.samplesPerSecond : null)]
      : [failed(r as { error: string }), '', '', '', ''];
    return ['CNN conv8-pool-conv16-pool-dense10, batch 64', engine, 'minimize() steps', ...cells, '', '', '', ''];
  });
  const note = `CNN rows: the model of scripts/bench/cnn.ts (two 3×3 conv layers of 8 and 16 channels, each with 2×2 max pooling, a dense layer of 10), on random 28×28 inputs, Adam steps (${engines.map((e) => `${stepsOf(e)} on ${e}`).join(', ')}) after 3 warm-up steps, each the minimize() step src/model/train.ts takes. The wasm engine trains it through Chemins' convolution gradient kernels (src/engine/wasm-kernels.ts; TF.js's wasm backend has none); the baseline is the cpu engine, plain JavaScript. No fused loop: the kernel of mlp.c trains MLPs only. Skip these rows with --no-cnn.`;
  return { rows, note };
}

async function profileSection(bench: Bench): Promise<Section> {
  const epochs = bench.options.quick ? 1 : bench.sizes.mnistEpochs;
  const headers = ['Kernel', 'Input shapes', 'Calls', 'Time', 'Share of wall time', 'GFLOP/s'];
  const r = await bench.measure<TrainProfile>('profile mnist wasm tfjs loop', 'profile', { engine: 'wasm', epochs });
  const title = '1b. Where the training time goes';
  if (!r.ok) return { title, headers, rows: [[failed(r), '', '', '', '', '']], notes: [] };
  const p = r.value;
  const top = p.kernels.slice(0, 10);
  const rest = p.kernels.slice(10);
  const sum = (ks: typeof p.kernels) => ks.reduce((s, k) => s + k.ms, 0);
  const inKernels = sum(p.kernels);
  const row = (kernel: string, shapes: string, calls: number | null, ms: number, gflops: number | null): string[] =>
    [kernel, shapes, calls === null ? '' : num(calls, 0), `${num(ms, 0)} ms`, percent(ms / p.wallMs), gflops === null ? '' : num(gflops, 2)];
  const rows = [
    ...top.map((k) => row(k.kernel, k.shapes, k.calls, k.ms, k.gflopPerSecond)),
    row(`${rest.length} other kernel/shape pairs`, '', rest.reduce((s, k) => s + k.calls, 0), sum(rest), null),
    row('outside kernels', 'TF.js JavaScript: op dispatch, gradient tape, tensor bookkeeping, profiling itself', null, p.wallMs - inKernels, null),
  ];
  return {
    title,
    headers,
    rows,
    notes: [
      `\`trainModel\` with \`training.loop: tfjs\` on the default experiment's MNIST data, ${epochs} epoch${epochs === 1 ? '' : 's'} (${num(p.steps, 0)} steps) on ${p.engine}, under \`tf.profile\`: ${num(p.kernels.reduce((s, k) => s + k.calls, 0) / p.steps, 0)} kernel calls per training step (the per-epoch evaluation's included). Kernel times are summed by kernel and input shapes; the wall time includes the profiler's own overhead, which falls in "outside kernels".`,
      'Reading the matrix products: [64×784] · [784×128] is hidden1\'s forward product, [64×784] · [64×128] the gradient of its weights (xᵀ·dy, first operand transposed); the same 12.8 MFLOP each. GFLOP/s is 2·m·n·k per call over the kernel time.',
    ],
  };
}

async function fusedSection(bench: Bench): Promise<Section> {
  const datasets: TrainArgs['dataset'][] = ['mnist', ...(fashionAvailable() ? (['fashion'] as const) : [])];
  const rows: string[][] = [];
  for (const dataset of datasets) {
    const epochs = dataset === 'mnist' ? bench.sizes.mnistEpochs : bench.sizes.fashionEpochs;
    const r = await bench.measure<FusedProfile>(`fused kernel phases, ${dataset}`, 'fusedProfile', { dataset, epochs });
    const name = dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST';
    if (!r.ok) {
      rows.push([name, failed(r), '', '', '']);
      continue;
    }
    const p = r.value;
    const inKernel = Object.values(p.phases).reduce((a, b) => a + b, 0);
    for (const [phase, ms] of Object.entries(p.phases)) rows.push([name, phase, `${num(ms, 0)} ms`, `${num((1000 * ms) / p.steps, 1)} µs`, percent(ms / p.trainMs)]);
    rows.push([name, 'outside the kernel: JavaScript loop, shuffling, copies of the batch order, the clock itself', `${num(p.trainMs - inKernel, 0)} ms`, `${num((1000 * (p.trainMs - inKernel)) / p.steps, 1)} µs`, percent((p.trainMs - inKernel) / p.trainMs)]);
  }
  return {
    title: '1c. Inside the fused kernel',
    headers: ['Workload', 'Phase', 'Time', 'Per step', 'Share of training time'],
    rows,
    notes: [
      `The default MLP trained by the fused kernel (the workloads and epochs of section 1), with mlp.c timing each phase through a clock imported from JavaScript (two calls per phase per step, counted in the phases). "Evaluation" is the per-epoch pass over the whole train and test splits that trainModel records. Weight gradients are Aᵀ·G over the non-zero inputs only, gathered by column; input gradients are skipped where a ReLU was off.`,
      'Threads: the kernel runs on one thread. A step of the default MLP lasts about a millisecond, so splitting it across cores would spend much of that on synchronisation; the cores are used instead by running experiments, and seeds, in parallel (section 3 and `--jobs`).',
    ],
  };
}

async function batchSection(bench: Bench): Promise<Section> {
  const sizes = bench.options.quick ? [32, 64] : [16, 32, 64, 128, 256];
  const rows: string[][] = [];
  let base: number | null = null;
  const results: [number, Measured<TrainResult>][] = [];
  for (const batchSize of sizes) {
    const r = await bench.measure<TrainResult>(`fused kernel, batch ${batchSize}`, 'train', { engine: 'wasm', loop: 'fused', dataset: 'mnist', epochs: bench.sizes.mnistEpochs, batchSize } satisfies TrainArgs);
    results.push([batchSize, r]);
    if (batchSize === 64 && r.ok) base = r.value.samplesPerSecond;
  }
  for (const [batchSize, r] of results) {
    if (!r.ok) rows.push([String(batchSize), failed(r), '', '']);
    else rows.push([String(batchSize), num(r.value.samplesPerSecond, 0), ratio(base ? r.value.samplesPerSecond / base : null), percent(r.value.testAccuracy, 1)]);
  }
  return {
    title: '1d. Fused kernel by batch size',
    headers: ['Batch size', 'Samples per CPU s', '× batch 64', 'Test accuracy'],
    rows,
    notes: [
      `MNIST workload of section 1, ${bench.options.quick ? 1 : bench.sizes.mnistEpochs} epochs, Adam at the default rate. Larger batches amortise the optimizer's pass over every weight (110,882 of them) over more samples; the per-sample work (forward and backward over the non-zero inputs) does not shrink. The experiments keep their batch size (\`training.batchSize\`, 64 by default): it changes what is learnt, not only how fast.`,
    ],
  };
}

function kmeansRow(matrix: string, r: Measured<KMeansTiming> | null, engine: string, reference: KMeansTiming | null, skipped?: string): string[] {
  if (skipped) return [matrix, engine, skipped, '', '', '', '', '', '', '', ''];
  if (!r || !r.ok) return [matrix, engine, r ? failed(r) : '—', '', '', '', '', '', '', '', ''];
  const t = r.value;
  const per = t.cpuSeconds / t.restarts;
  const speedup = reference && t.engine !== reference.engine ? reference.cpuSeconds / reference.restarts / per : null;
  return [
    matrix, t.engine, String(t.k), String(t.restarts), seconds(t.seconds), seconds(t.cpuSeconds), seconds(per), reference && t.engine === reference.engine ? '1.00×' : ratio(speedup),
    num(t.inertia, 1), reference ? num(t.inertia / reference.inertia, 5) : '—', String(t.iterations),
  ];
}

/** scikit-learn on the same matrix, when it is installed (not with --quick). */
function sklearnRow(bench: Bench, label: string, source: SklearnSource, k: number, restarts: number, ref: KMeansTiming | null): { row: string[]; timing: KMeansTiming | null } {
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

const STARTS_HEADERS = ['Matrix', 'k', 'Restarts', 'lloyd CPU per restart', 'scikit-learn CPU per restart', 'lloyd speed / scikit-learn', 'Inertia, lloyd / scikit-learn (worst restart)', 'Restarts with the same iteration count'];

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
async function fromStartsRow(bench: Bench, label: string, matrix: KMeansArgs['matrix'], source: SklearnSource, k: number, restarts: number, dir: string, compared: StartsComparison[]): Promise<string[] | null> {
  const sk = bench.options.quick ? null : findSklearn();
  if (!sk) return null;
  const starts = join(dir, `starts-${k}-${restarts}-${label.length}.f64`);
  bench.options.log(`  k-means from the same starts: scikit-learn on ${label}`);
  let theirs: StartedRuns;
  try {
    theirs = sklearnFromStarts(sk.python, source, k, restarts, starts);
  } catch (e) {
    return [label, String(k), String(restarts), failed({ error: (e as Error).message }), '', '', '', ''];
  }
  const ours = await bench.measure<StartedRuns>(`k-means from the same starts: lloyd on ${label}`, 'kmeansFromStarts', { matrix, k, starts });
  if (!ours.ok) return [label, String(k), String(restarts), failed(ours), '', '', '', ''];
  const o = ours.value;
  const ratios = o.runs.map((r, i) => r.inertia / theirs.runs[i].inertia);
  const worst = ratios.reduce((w, r) => (Math.abs(r - 1) > Math.abs(w - 1) ? r : w), 1);
  const sameIterations = o.runs.filter((r, i) => r.iterations === theirs.runs[i].iterations).length;
  compared.push({ label, speed: theirs.cpuSeconds / o.cpuSeconds, worst });
  return [
    label, String(k), String(restarts), seconds(o.cpuSeconds / restarts), seconds(theirs.cpuSeconds / restarts),
    ratio(theirs.cpuSeconds / o.cpuSeconds), num(worst, 6), `${sameIterations} of ${restarts}`,
  ];
}

/** The target, from section 2b's comparisons. */
function startsTarget(compared: StartsComparison[]): string | null {
  if (!compared.length) return null;
  const verdict = (worst: number) => (Math.abs(worst - 1) <= 0.001 ? 'within 0.1 %' : 'beyond 0.1 %');
  return `**Target, from the same starts: lloyd no slower than scikit-learn, inertia within 0.1 %.** ${compared.map((c) => `${c.label}: lloyd ${ratio(c.speed)} scikit-learn's speed, worst inertia ratio ${num(c.worst, 6)} (${verdict(c.worst)})`).join('; ')}.`;
}

async function kmeansSection(bench: Bench): Promise<Section[]> {
  const s = bench.sizes;
  const targets: string[] = [];
  const notes: string[] = [];
  const rows: string[][] = [];
  const startRows: string[][] = [];
  const compared: StartsComparison[] = [];
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
      const same = await fromStartsRow(bench, label, matrix, matrix, s.activationsK, s.activationsRestarts, dir, compared);
      if (same) startRows.push(same);
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
        rows.push(kmeansRow(label, null, 'ml-kmeans', null, 'skipped: about 115 s for one restart here (15× lloyd per restart, measured once while writing this bench); pass --fashion-ml-kmeans to run it'));
      }
      rows.push(kmeansRow(label, ours, 'lloyd', ref));
      const source = { idx: join(FASHION, 'train-images-idx3-ubyte.gz'), limit };
      const peer = sklearnRow(bench, label, source, s.fashionK, s.fashionRestarts, ref);
      rows.push(peer.row);
      if (peer.timing && ours.ok) targets.push(targetLine(label, ours.value, peer.timing));
      const same = await fromStartsRow(bench, label, { fashion: true, limit }, source, s.fashionK, s.fashionRestarts, dir, compared);
      if (same) startRows.push(same);
    } else {
      notes.push(`No ${FASHION}: the Fashion-MNIST rows are left out.`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (targets.length) notes.unshift(`**Target: lloyd no slower than scikit-learn's Lloyd k-means at the same k and restarts, inertia within 0.1 %.** With independent restarts (each engine its own k-means++ seeds, so the best inertia also depends on where the starts fell; section 2b runs both from the same starts): ${targets.join('; ')}.`);
  notes.push(
    'Both engines through `fitKMeans` of src/signatures/kmeans.ts, as the pipeline calls it: k-means++ initialisation, restart r seeded with 1 + r, the lowest inertia kept, clusters then sorted by size. Both run on one thread: ml-kmeans in JavaScript; lloyd in JavaScript around dot products in WebAssembly SIMD (src/signatures/dots.c). "Speed-up" is CPU time per restart, against ml-kmeans on the same matrix; "inertia / ml-kmeans" below 1 means lloyd found tighter clusters.',
    "scikit-learn: `KMeans(algorithm='lloyd', init='k-means++', n_init=restarts, random_state=1)` with its default tolerance, in a Python process pinned to one thread (threadpoolctl); its own seeds, so its restarts start elsewhere than ours. Its inertia is recomputed in float64 from its labels and centres, as ours is.",
  );
  const kmeans = {
    title: '2. k-means',
    headers: ['Matrix', 'Engine', 'k', 'Restarts', 'Wall time', 'CPU time', 'CPU per restart', 'Speed-up', 'Inertia', 'Inertia / ml-kmeans', 'Iterations (best run)'],
    rows,
    notes,
  };
  const same = {
    title: '2b. k-means from the same starts',
    headers: STARTS_HEADERS,
    rows: startRows.length ? startRows : [['all', '', '', bench.options.quick ? 'skipped (--quick)' : 'scikit-learn not installed', '', '', '', '']],
    notes: [
      ...[startsTarget(compared)].filter((t): t is string => t !== null),
      "Independent restarts (section 2) start from different centres, so their best inertias differ by the luck of the starts. Here scikit-learn's `kmeans_plusplus` (restart r seeded with 1 + r) picks each restart's starting centres, and both run Lloyd's iterations from them: scikit-learn's `KMeans(init=centres, n_init=1, algorithm='lloyd')` and lloyd.ts's (`starts` option), each on one thread, timed per fit (the initialisation is not timed). Equal inertias and iteration counts mean the same clustering; lloyd's float32 dot products (as scikit-learn's on float32 data) can move a row that sits on a tie.",
    ],
  };
  return [kmeans, same];
}

function stepCell(s: Step | null): string {
  if (!s) return '—';
  return s.ok ? seconds(s.seconds) : failed(s);
}

/** A warm build that rebuilt something means the code changed under the bench: say so beside the numbers. */
function anomalies(rows: BuildRow[]): string[] {
  const warm = rows.find((r) => r.name === 'warm')?.experiments?.status ?? '';
  const built = Number(warm.match(/(\d+) built/)?.[1] ?? 0);
  return built ? [`The warm build rebuilt ${built} experiment${built === 1 ? '' : 's'} it should have reused: the pipeline's source changed while the bench ran (other work in the same tree), which changes every result's hash. Its row measures a rebuild, not a warm build; run the bench again on a quiet tree.`] : [];
}

function buildSection(bench: Bench): Section {
  const headers = ['Build', 'What', 'Experiments script', 'astro build', 'Total (wall)', '× bare astro build', 'CPU time'];
  if (bench.options.quick) return { title: '3. Build time', headers, rows: [['all', 'skipped (--quick)', '', '', '', '', '']], notes: [] };
  const { rows, experiments, seeded, primed } = benchBuild({ coldAll: bench.options.coldAll ?? false, log: bench.options.log });
  const spec = defaultSpec();
  const bare = rows.find((r) => r.experiments === null)?.astro;
  const baseline = bare?.ok ? bare.seconds : null;
  const cells = rows.map((r: BuildRow) => {
    const processes = (s: Step) => (s.processes > 1 ? ` (largest of ${s.processes} processes)` : '');
    if (r.experiments) bench.memory.push({ part: `build ${r.name}: experiments script${processes(r.experiments)}`, maxRssMiB: r.experiments.maxRssMiB });
    bench.memory.push({ part: `build ${r.name}: astro build${processes(r.astro)}`, maxRssMiB: r.astro.maxRssMiB });
    const steps = [r.experiments, r.astro].filter((s): s is Step => s !== null);
    const allOk = steps.every((s) => s.ok);
    const total = steps.reduce((sum, s) => sum + s.seconds, 0);
    const status = [r.experiments?.status, r.astro.ok && r.astro.status].filter(Boolean).join('; ');
    const cpu = steps.every((s) => s.cpuSeconds !== null) ? steps.reduce((sum, s) => sum + s.cpuSeconds!, 0) : null;
    return [r.name, `${r.what}${status ? ` (${status})` : ''}`, stepCell(r.experiments), stepCell(r.astro), allOk ? seconds(total) : '—', allOk && baseline ? ratio(total / baseline) : '—', seconds(cpu)];
  });
  return {
    title: '3. Build time',
    headers,
    rows: cells,
    notes: [
      `The site as \`npm run build\` makes it, in a temp tree: copies of the ${experiments.length} experiment files of experiments/ (the report cites every one, and the site refuses to build a report whose figures or answers have no result), a temp results store and a temp output folder, through CHEMINS_EXPERIMENTS, CHEMINS_RESULTS and CHEMINS_DIST; ASTRO_TELEMETRY_DISABLED=1.`,
      seeded.length
        ? `Cold means the default experiment (${(spec.seeds ?? [spec.training.seed]).length} seeds × ${spec.training.epochs} epochs and the full analysis) from nothing; building all ${experiments.length} from nothing takes several minutes here, so the stored results of the ${seeded.length} others (${seeded.join(', ')}) are first copied from the repository's results/, and checked by an untimed run of the experiments script (${primed?.rebuilt ? `which found ${primed.rebuilt} stale and rebuilt ${primed.rebuilt === 1 ? 'it' : 'them'} in ${seconds(primed.seconds)}` : 'all current'}); the timed builds reuse them. \`npm run bench -- --cold-all\` starts them all from nothing.`
        : 'Cold means every experiment from an empty results store.',
      'Each step is a fresh Node process (`node scripts/experiments.ts` with its default --jobs, as `npm run build` runs it; `node node_modules/astro/bin/astro.mjs build`). Times are wall clock, process start included, since a build is waited for; the CPU column (user + system of those processes and of the workers they fork; esbuild not counted) shows how much of it was work.',
      ...anomalies(rows),
      'The result store caches per experiment: a change to any field but title and description changes that experiment\'s result hash, and the others are reused. A change to `signatures` or `analysis` alone, as in the last row, keeps the training hash: the stored models are reloaded and reanalysed, not retrained.',
    ],
  };
}

function memorySection(bench: Bench): Section {
  return {
    title: '4. Peak memory',
    headers: ['Part', 'Max RSS'],
    rows: bench.memory.map((m) => [m.part, bench.options.inProcess && m.maxRssMiB === null ? 'n/a (in-process)' : mib(m.maxRssMiB)]),
    notes: [
      'Max resident set size of the process that ran the part, as the kernel counted it (`process.resourceUsage().maxRSS`, read by a hook preloaded with `node --import`; `ru_maxrss` for PyTorch). Each part runs in a fresh process, so the figure includes Node, TF.js and the data the part loads. Helper processes (esbuild under astro) are not included.',
    ],
  };
}

function header(bench: Bench, startLoad: number[], started: number): string {
  const m = bench.machine;
  const endLoad = loadavg();
  // The end reading includes the bench's own last process: only the start tells whether others were busy.
  const busy = startLoad[0] > 0.5 * m.cores;
  return [
    '# Chemins benchmark',
    '',
    `Generated by \`npm run bench${bench.options.quick ? ' -- --quick' : ''}\` (scripts/bench.ts) on ${m.date}, in ${num((performance.now() - started) / 1000, 0)} s. Every ratio is against a baseline measured in the same run on the same machine.`,
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores at ${num(m.ghz, 2)} GHz (cpu MHz of /proc/cpuinfo), ${m.simd}`,
    `- Memory: ${num(m.memoryGiB, 1)} GiB`,
    `- Node ${m.node}`,
    `- Load average (1 min): ${num(startLoad[0], 2)} at start, ${num(endLoad[0], 2)} at end.${busy ? ' Other processes were competing for the CPU during this run (other engineers building and testing on the same machine): absolute times are pessimistic and noisy, and ratios less so but not immune.' : ''}`,
  ].join('\n');
}

export async function runBench(options: BenchOptions): Promise<string> {
  const started = performance.now();
  const startLoad = loadavg();
  const bench = new Bench(options);
  const sections: Section[] = [];
  if (options.sections.includes('training')) {
    options.log('training throughput');
    sections.push(await trainingSection(bench));
  }
  if (options.sections.includes('training')) {
    options.log('where the training time goes');
    sections.push(await profileSection(bench));
  }
  if (options.sections.includes('training')) {
    options.log('inside the fused kernel');
    sections.push(await fusedSection(bench), await batchSection(bench));
  }
  if (options.sections.includes('kmeans')) {
    options.log('k-means');
    sections.push(...(await kmeansSection(bench)));
  }
  if (options.sections.includes('build')) {
    options.log('build time');
    sections.push(buildSection(bench));
  }
  sections.push(memorySection(bench));
  return `${header(bench, startLoad, started)}\n\n${sections.map(renderSection).join('\n\n')}\n`;
}
