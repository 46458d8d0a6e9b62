import { selectEngine } from '../../src/engine/index.ts';
import { trainModel } from '../../src/model/train.ts';
import type { Workload } from './datasets.ts';

// Inside the fused kernel: the time of each phase of its steps (mlp.c times
// them when asked), and the training loop's wall time around them.

export interface FusedProfile {
  /** Milliseconds by phase (mlp.c's PHASES). */
  phases: Record<string, number>;
  trainMs: number;
  steps: number;
  samples: number;
}

export async function profileFused({ spec, data }: Workload): Promise<FusedProfile> {
  const { tf } = await selectEngine('wasm');
  let phases: Record<string, number> = {};
  const fused = { ...spec, training: { ...spec.training, loop: 'fused' as const } };
  const trained = await trainModel(tf, fused, data, spec.training.seed, { onKernelProfile: (p) => (phases = p) });
  trained.model.dispose();
  const { epochs, batchSize } = spec.training;
  return { phases, trainMs: trained.trainMs, steps: epochs * Math.ceil(data.train.count / batchSize), samples: epochs * data.train.count };
}
