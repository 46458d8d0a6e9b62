import { measureInChild, type Measured } from './child.ts';
import { describeMachine, type Machine } from './machine.ts';
import { parts, type PartName } from './parts.ts';

// What every section of the benchmark shares: its options, the sizes of a
// full and a quick run, and the Bench that measures each part (in a child
// process, for its peak memory) and keeps the memory records.

export const SECTIONS = ['training', 'webgpu', 'kmeans', 'analysis', 'build', 'explorer'] as const;
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
export const SIZES = {
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

export const QUICK = { ...SIZES, activationsRestarts: 2, fashionRestarts: 1, fashionLimit: 2000, cnnSteps: 2, cnnCpuSteps: 1 };

/** Every part measured, for the peak-memory section. */
export interface MemoryRecord {
  part: string;
  maxRssMiB: number | null;
}

export class Bench {
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

export const failed = (m: { error: string }): string => `failed: ${m.error}`;
