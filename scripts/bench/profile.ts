import type { BackendChoice } from '../../src/engine/index.ts';
import { selectEngine } from '../../src/engine/index.ts';
import { trainTfjs } from '../../src/model/train.ts';
import type { Workload } from './datasets.ts';

// Where the TF.js loop's time goes (training.loop: tfjs; the fused kernel
// makes no engine calls to profile): the whole loop under tf.profile, each
// kernel's time summed by kernel and input shapes, and the rest of the wall
// time (TF.js's JavaScript: op dispatch, the gradient tape, tensor
// bookkeeping) as "outside kernels".

export interface KernelShare {
  kernel: string;
  shapes: string;
  calls: number;
  ms: number;
  /** For matrix products: 2·m·n·k per call over the kernel time. */
  gflopPerSecond: number | null;
}

export interface TrainProfile {
  engine: string;
  wallMs: number;
  steps: number;
  kernels: KernelShare[];
}

/** FLOPs of a 2-D product from its input shapes, whichever operand is transposed. */
function matMulFlops(shapes: number[][]): number | null {
  const [a, b] = shapes.map((s) => s.slice(-2));
  if (!a || !b || a.length !== 2 || b.length !== 2) return null;
  const [p, q] = a;
  const [r, s] = b;
  if (q === r) return 2 * p * q * s;
  if (p === r) return 2 * q * p * s;
  if (q === s) return 2 * p * q * r;
  return null;
}

export async function profileTraining(backend: BackendChoice, { spec, data }: Workload): Promise<TrainProfile> {
  const { tf, backend: engine } = await selectEngine(backend);
  let model: { dispose(): void } | null = null;
  const start = performance.now();
  const info = await tf.profile(async () => {
    model = (await trainTfjs(tf, spec, data, spec.training.seed)).model;
    return tf.scalar(0);
  });
  const wallMs = performance.now() - start;
  (model as { dispose(): void } | null)?.dispose();
  const groups = new Map<string, KernelShare & { flops: number | null }>();
  for (const k of info.kernels) {
    // Ops made of other kernels ("…__op") are listed beside those kernels: counting both would count twice.
    if (k.name.endsWith('__op')) continue;
    const ms = await k.kernelTimeMs;
    const shapes = k.inputShapes.filter((s) => s !== null) as number[][];
    const key = `${k.name} ${JSON.stringify(shapes)}`;
    const flops = k.name === 'BatchMatMul' || k.name === '_FusedMatMul' ? matMulFlops(shapes) : null;
    const g = groups.get(key) ?? { kernel: k.name, shapes: shapes.map((s) => `[${s.join('×')}]`).join(' · '), calls: 0, ms: 0, gflopPerSecond: null, flops };
    g.calls++;
    g.ms += typeof ms === 'number' ? ms : 0;
    groups.set(key, g);
  }
  const kernels = [...groups.values()]
    .map(({ flops, ...g }) => ({ ...g, gflopPerSecond: flops && g.ms > 0 ? (flops * g.calls) / (g.ms / 1000) / 1e9 : null }))
    .sort((a, b) => b.ms - a.ms);
  return { engine, wallMs, steps: spec.training.epochs * Math.ceil(data.train.count / spec.training.batchSize), kernels };
}
