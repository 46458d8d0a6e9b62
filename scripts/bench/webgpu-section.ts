import { adapterLine } from '../../src/engine/adapter.ts';
import { resolveBackend } from '../../src/engine/index.ts';
import type { Measured } from './child.ts';
import { fashionAvailable, FASHION } from './datasets.ts';
import { failed, type Bench } from './harness.ts';
import { num, percent, ratio, seconds, type Section } from './table.ts';
import type { GpuSize, GpuTrainArgs, GpuTrainResult, GpuWorkload } from './webgpu.ts';

// Section 1e: training on WebGPU, labelled with its adapter, against the
// wasm engine on the same workloads in the same run. On a GPU the targets
// are the issue's: the CNN at least 20× wasm, the Fashion-MNIST MLP faster
// than the fused wasm kernel.

const TITLE = '1e. Training on WebGPU';
const HEADERS = [
  'Workload',
  'Engine',
  'Loop',
  'Epochs × train',
  'First epoch',
  'Later epochs',
  'Samples per s (wall)',
  'ms per step',
  '× wasm tfjs loop',
  '× fused wasm',
  'Test accuracy',
];

/** The issue's targets on a GPU (scripts/gpu-bench.sh runs this section there). */
export const GPU_TARGETS = { cnnOverWasm: 20, fashionOverFused: 1 };

export async function webgpuSection(bench: Bench): Promise<Section> {
  const resolved = resolveBackend('webgpu');
  if (!resolved.adapter) {
    return {
      title: TITLE,
      headers: HEADERS,
      rows: [['all', 'webgpu', 'tfjs', `no adapter: ${resolved.missing?.reason ?? 'unknown'}`, '', '', '', '', '', '', '']],
      notes: [resolved.missing?.hint ?? '', 'scripts/gpu-bench.sh runs this section on a GPU machine.'].filter(Boolean),
    };
  }
  const adapter = resolved.adapter;
  const size: GpuSize = bench.options.quick ? 'quick' : adapter.software ? 'small' : 'full';
  const workloads: GpuWorkload[] = ['mnist', ...(fashionAvailable() ? (['fashion'] as const) : []), ...(bench.options.cnn ? (['cnn'] as const) : [])];
  const rows: string[][] = [];
  type Run = 'webgpu' | 'wasm' | 'fused' | 'webgpu batch 512';
  const speeds: Partial<Record<GpuWorkload, Partial<Record<Run, number>>>> = {};
  for (const workload of workloads) {
    const runs: [Run, GpuTrainArgs][] = [
      ['webgpu', { engine: 'webgpu', loop: 'tfjs', workload, size }],
      ['wasm', { engine: 'wasm', loop: 'tfjs', workload, size }],
    ];
    // The fused kernel trains MLPs only.
    if (workload !== 'cnn') runs.push(['fused', { engine: 'wasm', loop: 'fused', workload, size }]);
    // On a GPU: the same MLP at 8× the batch, to see how much of a step is dispatch overhead (the experiments keep their batch size).
    if (workload !== 'cnn' && !adapter.software && !bench.options.quick)
      runs.push(['webgpu batch 512', { engine: 'webgpu', loop: 'tfjs', workload, size, batchSize: 512 }]);
    const measured: [string, Measured<GpuTrainResult>][] = [];
    for (const [key, args] of runs) {
      const r = await bench.measure<GpuTrainResult>(`webgpu section: ${workload} ${key}`, 'gpuTrain', args);
      measured.push([key, r]);
      if (r.ok) (speeds[workload] ??= {})[key] = r.value.samplesPerSecond;
    }
    const s = speeds[workload] ?? {};
    for (const [key, r] of measured) {
      if (!r.ok) {
        rows.push([workload, key, '', failed(r), '', '', '', '', '', '', '']);
        continue;
      }
      const t = r.value;
      rows.push([
        t.workload,
        key.startsWith('webgpu') ? `webgpu: ${t.adapter}` : t.engine,
        t.batchSize === 64 ? t.loop : `${t.loop}, batch ${t.batchSize}`,
        `${t.epochs} × ${num(t.trainRows, 0)}`,
        seconds(t.firstEpochSeconds),
        seconds(t.steadySeconds),
        num(t.samplesPerSecond, 0),
        num(t.msPerStep, 2),
        ratio(s.wasm ? t.samplesPerSecond / s.wasm : null),
        ratio(s.fused ? t.samplesPerSecond / s.fused : null),
        percent(t.testAccuracy, 1),
      ]);
    }
  }
  const notes = [
    `Adapter: ${adapterLine(adapter)}.${adapter.software ? " A software adapter computes on the CPU: these rows test the engine, they do not measure a GPU. Smaller workloads than the experiments' (lavapipe trains a few hundred samples a second); the wasm rows run the same ones." : ''}`,
    'Every row is `trainModel` as an experiment runs it, in a fresh process: the training inputs uploaded once, the batch order once per epoch, one read-back per epoch, and the evaluation of the whole train and test splits every epoch. "First epoch" includes, on WebGPU, compiling every shader the step and the evaluation use; speeds and ms per step are over the later epochs, in wall time (a GPU computes while the CPU waits, so CPU time would not measure it).',
    "Batch 64 and Adam, as the experiments train: a step of the default MLP is some 200 small kernels, so on a GPU it is bound by dispatching them, not by arithmetic. On a GPU the MLPs also run at batch 512 (not an experiment's setting): where ms per step hardly grows with 8× the batch, the step is dispatch overhead, which a fused WebGPU step (a few kernels per step, as src/model/fused/mlp.c is one call) would remove.",
  ];
  if (!adapter.software && !bench.options.quick) {
    const cnn = speeds.cnn?.webgpu && speeds.cnn?.wasm ? speeds.cnn.webgpu / speeds.cnn.wasm : null;
    const fashion = speeds.fashion?.webgpu && speeds.fashion?.fused ? speeds.fashion.webgpu / speeds.fashion.fused : null;
    notes.unshift(
      `**Targets on a GPU: the CNN ≥ ${GPU_TARGETS.cnnOverWasm}× wasm, the Fashion-MNIST MLP faster than the fused wasm kernel.** CNN: ${ratio(cnn)} (${cnn === null ? 'not measured' : cnn >= GPU_TARGETS.cnnOverWasm ? 'met' : 'not met'}); Fashion-MNIST MLP: ${ratio(fashion)} (${fashion === null ? `not measured${fashionAvailable() ? '' : `: no ${FASHION}`}` : fashion > GPU_TARGETS.fashionOverFused ? 'met' : 'not met'}).`,
    );
  }
  if (!fashionAvailable()) notes.push(`No ${FASHION}: the Fashion-MNIST rows are left out.`);
  return { title: TITLE, headers: HEADERS, rows, notes };
}
