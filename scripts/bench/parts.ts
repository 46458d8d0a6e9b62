import type { BackendChoice } from '../../src/engine/index.ts';
import type { KMeansEngine } from '../../src/signatures/kmeans.ts';
import type { CnnBenchResult } from './cnn.ts';
import type { FusedProfile } from './fused.ts';
import type { KMeansTiming, MatrixFile } from './kmeans.ts';
import type { TrainProfile } from './profile.ts';
import type { Loop, TrainTiming } from './training.ts';
import type { GpuTrainArgs, GpuTrainResult } from './webgpu.ts';

// The measured parts, by name: what a child process runs for
// `scripts/bench.ts --part <name> --args <json>`, or what the bench calls
// directly with --in-process. Arguments and results are plain JSON. Modules
// are imported inside each part, so that a k-means child's peak memory does
// not include TensorFlow.js.

export interface TrainArgs {
  engine: BackendChoice;
  loop: Loop;
  dataset: 'mnist' | 'fashion';
  epochs: number;
  /** Overrides the spec's batch size (the fused kernel's sweep). */
  batchSize?: number;
}

export interface TrainResult extends TrainTiming {
  trainRows: number;
  testRows: number;
  /** Share of the training inputs' values that are not exactly zero: the fused kernel skips products by the others. */
  inputDensity: number;
}

export interface KMeansArgs {
  engine: KMeansEngine;
  /** A matrix written by the `activations` part, or Fashion-MNIST's train images (at most `limit` rows). */
  matrix: MatrixFile | { fashion: true; limit: number | null };
  k: number;
  restarts: number;
}

export const parts = {
  async train(args: TrainArgs, quick: boolean): Promise<TrainResult> {
    const { fashionWorkload, mnistWorkload } = await import('./datasets.ts');
    const { benchTraining } = await import('./training.ts');
    const loaded = args.dataset === 'mnist' ? mnistWorkload(quick, args.epochs) : fashionWorkload(quick, args.epochs);
    const workload = args.batchSize ? { ...loaded, spec: { ...loaded.spec, training: { ...loaded.spec.training, batchSize: args.batchSize } } } : loaded;
    const timing = await benchTraining(args.engine, args.loop, workload);
    const x = workload.data.train.x;
    const nonZero = x.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    return { ...timing, trainRows: workload.data.train.count, testRows: workload.data.test.count, inputDensity: nonZero / x.length };
  },
  async profile(args: { engine: BackendChoice; epochs: number }, quick: boolean): Promise<TrainProfile> {
    const { mnistWorkload } = await import('./datasets.ts');
    const { profileTraining } = await import('./profile.ts');
    return profileTraining(args.engine, mnistWorkload(quick, args.epochs));
  },
  async fusedProfile(args: { dataset: 'mnist' | 'fashion'; epochs: number }, quick: boolean): Promise<FusedProfile> {
    const { fashionWorkload, mnistWorkload } = await import('./datasets.ts');
    const { profileFused } = await import('./fused.ts');
    return profileFused(args.dataset === 'mnist' ? mnistWorkload(quick, args.epochs) : fashionWorkload(quick, args.epochs));
  },
  async activations(args: { path: string }, quick: boolean): Promise<MatrixFile> {
    const { activationMatrix } = await import('./activations.ts');
    return activationMatrix(args.path, quick);
  },
  async kmeans(args: KMeansArgs): Promise<KMeansTiming> {
    const { fashionPixels, readMatrix, timeKMeans } = await import('./kmeans.ts');
    if ('fashion' in args.matrix) {
      const { x, width } = fashionPixels(args.matrix.limit ?? Infinity);
      return timeKMeans(args.engine, x, width, args.k, args.restarts);
    }
    return timeKMeans(args.engine, readMatrix(args.matrix), args.matrix.width, args.k, args.restarts);
  },
  /** lloyd from the starts scikit-learn wrote to `starts` (section 2b). */
  async kmeansFromStarts(args: { matrix: KMeansArgs['matrix']; k: number; starts: string }) {
    const { fashionPixels, lloydFromStarts, readMatrix } = await import('./kmeans.ts');
    if ('fashion' in args.matrix) {
      const { x, width } = fashionPixels(args.matrix.limit ?? Infinity);
      return lloydFromStarts(x, width, args.k, args.starts);
    }
    return lloydFromStarts(readMatrix(args.matrix), args.matrix.width, args.k, args.starts);
  },
  async gpuTrain(args: GpuTrainArgs): Promise<GpuTrainResult> {
    const { benchGpuTraining } = await import('./webgpu.ts');
    return benchGpuTraining(args);
  },
  async cnn(args: { engine: BackendChoice; steps: number }): Promise<CnnBenchResult> {
    const { benchCnn } = await import('./cnn.ts');
    return benchCnn(args.engine, { steps: args.steps });
  },
};

export type PartName = keyof typeof parts;
