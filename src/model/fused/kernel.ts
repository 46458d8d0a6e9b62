import { readFileSync } from 'node:fs';

// The compiled kernel of mlp.c, one instance per training run: its memory
// holds that run's data, weights and optimizer state, and goes with it.

export const ACTIVATIONS = { linear: 0, relu: 1, tanh: 2, sigmoid: 3, elu: 4, selu: 5 } as const;
export const OPTIMIZERS = { sgd: 0, adam: 1, rmsprop: 2 } as const;
/** The largest batch the kernel's fixed buffers take. */
export const MAX_BATCH = 8192;

/** Identifies the kernel in result hashes: a rebuilt kernel is another engine. */
export const KERNEL_VERSION = `mlp.wasm@${JSON.parse(readFileSync(new URL('./mlp.wasm.json', import.meta.url), 'utf8')).wasmSha256.slice(0, 12)}`;

let compiled: WebAssembly.Module | null = null;

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  weights(layer: number): number;
  biases(layer: number): number;
  setup(layers: number, sizes: number, activations: number, maxBatch: number): number;
  reset(): void;
  step(x: number, labels: number, order: number, rows: number, optimizer: number, lr: number): number;
  evaluate(x: number, labels: number, count: number, out: number): void;
  profile(on: number): number;
}

/** The phases mlp.c times when profiling, in its order. */
export const PHASES = ['gather batch', 'forward', 'softmax loss', 'weight gradients', 'input gradients', 'optimizer update', 'evaluation'] as const;

export class MlpKernel {
  private readonly k: Exports;
  readonly sizes: number[];
  constructor(sizes: number[], activations: number[], maxBatch: number) {
    this.sizes = sizes;
    if (maxBatch > MAX_BATCH) throw new Error(`the MLP kernel takes batches of at most ${MAX_BATCH} rows (asked for ${maxBatch})`);
    compiled ??= new WebAssembly.Module(readFileSync(new URL('./mlp.wasm', import.meta.url)));
    const instance = new WebAssembly.Instance(compiled, { env: { js_exp: Math.exp, js_log: Math.log, js_now: () => performance.now() } });
    this.k = instance.exports as unknown as Exports;
    const s = this.int32(sizes);
    const a = this.int32([0, ...activations]);
    if (!this.k.setup(sizes.length - 1, s, a, maxBatch)) throw new Error('the MLP kernel ran out of memory (wasm32 holds at most 4 GiB)');
  }

  /** Copies values into the kernel's memory; returns their address. */
  float32(values: Float32Array): number {
    const at = this.allocate(values.length * 4);
    new Float32Array(this.k.memory.buffer, at, values.length).set(values);
    return at;
  }

  int32(values: ArrayLike<number>): number {
    const at = this.allocate(values.length * 4);
    new Int32Array(this.k.memory.buffer, at, values.length).set(values);
    return at;
  }

  /** A live view of `length` int32s at `at` (valid until the next allocation). */
  int32View(at: number, length: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, at, length);
  }

  private allocate(bytes: number): number {
    const at = this.k.alloc(Math.max(4, bytes));
    if (!at) throw new Error(`the MLP kernel could not allocate ${bytes} bytes (wasm32 holds at most 4 GiB)`);
    return at;
  }

  /** Layer l's weights ([in × out], row-major) and biases, as live views. */
  layer(l: number): { weights: Float32Array; biases: Float32Array } {
    const [inputs, outputs] = [this.sizes[l - 1], this.sizes[l]];
    return {
      weights: new Float32Array(this.k.memory.buffer, this.k.weights(l), inputs * outputs),
      biases: new Float32Array(this.k.memory.buffer, this.k.biases(l), outputs),
    };
  }

  reset(): void {
    this.k.reset();
  }

  /** Starts timing each phase (from zero); `phases()` reads the sums. */
  startProfile(): void {
    this.profileAt = this.k.profile(1);
  }

  /** Milliseconds spent in each phase since startProfile. */
  phases(): Record<(typeof PHASES)[number], number> {
    const ms = new Float64Array(this.k.memory.buffer, this.profileAt, PHASES.length);
    return Object.fromEntries(PHASES.map((p, i) => [p, ms[i]])) as Record<(typeof PHASES)[number], number>;
  }

  private profileAt = 0;

  step(x: number, labels: number, order: number, rows: number, optimizer: number, lr: number): number {
    return this.k.step(x, labels, order, rows, optimizer, lr);
  }

  /** Summed loss and hits over `count` rows. */
  evaluate(x: number, labels: number, count: number): { loss: number; hits: number } {
    const out = this.allocateScratch();
    this.k.evaluate(x, labels, count, out);
    const [loss, hits] = new Float32Array(this.k.memory.buffer, out, 2);
    return { loss, hits };
  }

  private scratch = 0;
  private allocateScratch(): number {
    this.scratch ||= this.allocate(8);
    return this.scratch;
  }
}
