import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measured } from './child.ts';
import type { CnnBenchResult } from './cnn.ts';
import type { FusedProfile } from './fused.ts';
import { defaultSpec, FASHION, FASHION_CLASSES, fashionAvailable, fashionWorkload, mnistWorkload } from './datasets.ts';
import { failed, type Bench } from './harness.ts';
import type { TrainArgs, TrainResult } from './parts.ts';
import type { TrainProfile } from './profile.ts';
import { num, percent, ratio, seconds, type Section } from './table.ts';
import { benchTorch, findTorch } from './torch.ts';
import { availableEngines, type Loop } from './training.ts';

// Sections 1 to 1d: training throughput against its peers, where a TF.js
// step's time goes, the fused kernel's phases, and the fused kernel by batch size.

function trainRow(
  bench: Bench,
  workload: string,
  r: Measured<TrainResult> | null,
  engine: string,
  loop: Loop,
  baseline: number | null,
  skipped?: string,
): string[] {
  if (skipped) return [workload, engine, loop, skipped, '', '', '', '', '', '', '', ''];
  if (!r?.ok) return [workload, engine, loop, r ? failed(r) : '—', '', '', '', '', '', '', '', ''];
  const t = r.value;
  return [
    workload,
    t.engine,
    loop,
    num(t.samples, 0),
    seconds(t.seconds),
    seconds(t.cpuSeconds),
    num(t.samplesPerSecond, 0),
    ratio(baseline ? t.samplesPerSecond / baseline : null),
    num(t.gflopPerSecond, 2),
    percent(t.gflopPerSecond / bench.corePeak, 2),
    percent(t.evalShare, 0),
    percent(t.testAccuracy, 1),
  ];
}

export async function trainingSection(bench: Bench): Promise<Section> {
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
      const fit = await bench.measure<TrainResult>(`train ${dataset} ${engine} model.fit`, 'train', {
        engine,
        loop: 'model.fit',
        dataset,
        epochs,
      } satisfies TrainArgs);
      const own = await bench.measure<TrainResult>(`train ${dataset} ${engine} tfjs loop`, 'train', {
        engine,
        loop: 'tfjs loop',
        dataset,
        epochs,
      } satisfies TrainArgs);
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
  if (!engines.includes('tensorflow'))
    rows.push(trainRow(bench, 'all', null, 'tensorflow', 'model.fit', null, 'not importable (@tensorflow/tfjs-node is not installed)'));
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
    "Loops: `model.fit` is TF.js's own; `tfjs loop` is `trainModel` with `training.loop: tfjs` (TF.js ops on the engine, about 220 engine calls a step); `fused` is `trainModel` with the default `training.loop: auto`, which trains an MLP in Chemins' kernel (src/model/fused/mlp.c): one WebAssembly SIMD call a step for the forward pass, the loss, the backward pass and the optimizer, skipping products by exact zeros.",
    "Baseline (1.00×): TF.js `model.fit` on the same engine, model, data, batch size and optimizer, with the test split as validation data, since `trainModel` also evaluates every epoch. The fused and PyTorch rows are relative to TF.js `model.fit` on wasm. PyTorch's loop is the textbook one (randperm, zero_grad, backward, step) and evaluates the train and test splits every epoch as `trainModel` does. Timed: building the model, uploading the data and training; not reading the data from disk (PyTorch's timer includes reading its copy, a few milliseconds).",
    "Speeds are per CPU second of the process (user + system): every engine here computes on one thread, so on an idle machine CPU and wall time agree, and on a shared one CPU time leaves out the time other processes held the core. TF.js's wasm backend loads its single-threaded SIMD build in Node; the cpu backend is plain JavaScript; PyTorch is pinned with `torch.set_num_threads(1)`.",
    '"Eval share": the share of `trainModel` wall time spent outside the training steps (its per-epoch loss read-back and evaluation of the whole train and test sets).',
    `GFLOP/s credits every loop with the dense count below, though the fused kernel skips products by exact zeros (${
      datasets
        .filter((d) => d in density)
        .map((d) => `${percent(density[d], 0)} of the ${d === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} input values are non-zero`)
        .join(', ') || 'input density not measured'
    }, and hidden ReLU outputs that are zero are skipped too): its arithmetic rate is lower than its column says; compare samples per second.`,
    `GFLOP/s counts 6 × ${num(params, 0)} parameters × samples (dense forward 2·P, backward 4·P per sample; biases, activations and the optimizer not counted). Peak: ${num(m.peakGflops, 0)} GFLOP/s for the machine, ${num(bench.corePeak, 0)} per core, from ${m.peakAssumption}; the % column is against one core, since every engine uses one. Wasm SIMD is 128 bits wide with no fused multiply-add, a quarter of an AVX-512 register, so the wasm engine could not reach that peak even on large matrices.`,
  );
  return {
    title: '1. Training throughput',
    headers: [
      'Workload',
      'Engine',
      'Loop',
      'Samples',
      'Wall time',
      'CPU time',
      'Samples per CPU s',
      '× baseline',
      'GFLOP/s',
      '% of 1-core peak',
      'Eval share',
      'Test accuracy',
    ],
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
        outcome.rows.push(
          trainRow(
            bench,
            names[dataset] ?? dataset,
            { ok: true, value: { ...t, trainRows: 0, testRows: 0, inputDensity: NaN }, maxRssMiB: t.maxRssMiB },
            'PyTorch',
            'plain loop',
            wasmFit[dataset] ?? null,
          ),
        );
      } catch (e) {
        outcome.rows.push(
          trainRow(bench, names[dataset] ?? dataset, { ok: false, error: (e as Error).message, maxRssMiB: null }, 'PyTorch', 'plain loop', null),
        );
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
      ? [
          num(c.steps * c.batchSize, 0),
          seconds((c.steps * c.msPerStep) / 1000),
          seconds(c.cpuSeconds),
          num(c.samplesPerSecond, 0),
          ratio(cpu ? c.samplesPerSecond / cpu.value.samplesPerSecond : null),
        ]
      : [failed(r as { error: string }), '', '', '', ''];
    return ['CNN conv8-pool-conv16-pool-dense10, batch 64', engine, 'minimize() steps', ...cells, '', '', '', ''];
  });
  const note = `CNN rows: the model of scripts/bench/cnn.ts (two 3×3 conv layers of 8 and 16 channels, each with 2×2 max pooling, a dense layer of 10), on random 28×28 inputs, Adam steps (${engines.map((e) => `${stepsOf(e)} on ${e}`).join(', ')}) after 3 warm-up steps, each the minimize() step src/model/train.ts takes. The wasm engine trains it through Chemins' convolution gradient kernels (src/engine/wasm-kernels.ts; TF.js's wasm backend has none); the baseline is the cpu engine, plain JavaScript. No fused loop: the kernel of mlp.c trains MLPs only. Skip these rows with --no-cnn.`;
  return { rows, note };
}

export async function profileSection(bench: Bench): Promise<Section> {
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
  const row = (kernel: string, shapes: string, calls: number | null, ms: number, gflops: number | null): string[] => [
    kernel,
    shapes,
    calls === null ? '' : num(calls, 0),
    `${num(ms, 0)} ms`,
    percent(ms / p.wallMs),
    gflops === null ? '' : num(gflops, 2),
  ];
  const rows = [
    ...top.map((k) => row(k.kernel, k.shapes, k.calls, k.ms, k.gflopPerSecond)),
    row(
      `${rest.length} other kernel/shape pairs`,
      '',
      rest.reduce((s, k) => s + k.calls, 0),
      sum(rest),
      null,
    ),
    row('outside kernels', 'TF.js JavaScript: op dispatch, gradient tape, tensor bookkeeping, profiling itself', null, p.wallMs - inKernels, null),
  ];
  return {
    title,
    headers,
    rows,
    notes: [
      `\`trainModel\` with \`training.loop: tfjs\` on the default experiment's MNIST data, ${epochs} epoch${epochs === 1 ? '' : 's'} (${num(p.steps, 0)} steps) on ${p.engine}, under \`tf.profile\`: ${num(p.kernels.reduce((s, k) => s + k.calls, 0) / p.steps, 0)} kernel calls per training step (the per-epoch evaluation's included). Kernel times are summed by kernel and input shapes; the wall time includes the profiler's own overhead, which falls in "outside kernels".`,
      "Reading the matrix products: [64×784] · [784×128] is hidden1's forward product, [64×784] · [64×128] the gradient of its weights (xᵀ·dy, first operand transposed); the same 12.8 MFLOP each. GFLOP/s is 2·m·n·k per call over the kernel time.",
    ],
  };
}

export async function fusedSection(bench: Bench): Promise<Section> {
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
    for (const [phase, ms] of Object.entries(p.phases))
      rows.push([name, phase, `${num(ms, 0)} ms`, `${num((1000 * ms) / p.steps, 1)} µs`, percent(ms / p.trainMs)]);
    rows.push([
      name,
      'outside the kernel: JavaScript loop, shuffling, copies of the batch order, the clock itself',
      `${num(p.trainMs - inKernel, 0)} ms`,
      `${num((1000 * (p.trainMs - inKernel)) / p.steps, 1)} µs`,
      percent((p.trainMs - inKernel) / p.trainMs),
    ]);
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

export async function batchSection(bench: Bench): Promise<Section> {
  const sizes = bench.options.quick ? [32, 64] : [16, 32, 64, 128, 256];
  const rows: string[][] = [];
  let base: number | null = null;
  const results: [number, Measured<TrainResult>][] = [];
  for (const batchSize of sizes) {
    const r = await bench.measure<TrainResult>(`fused kernel, batch ${batchSize}`, 'train', {
      engine: 'wasm',
      loop: 'fused',
      dataset: 'mnist',
      epochs: bench.sizes.mnistEpochs,
      batchSize,
    } satisfies TrainArgs);
    results.push([batchSize, r]);
    if (batchSize === 64 && r.ok) base = r.value.samplesPerSecond;
  }
  for (const [batchSize, r] of results) {
    if (!r.ok) rows.push([String(batchSize), failed(r), '', '']);
    else
      rows.push([String(batchSize), num(r.value.samplesPerSecond, 0), ratio(base ? r.value.samplesPerSecond / base : null), percent(r.value.testAccuracy, 1)]);
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
