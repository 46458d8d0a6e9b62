import { readFileSync } from 'node:fs';

// k-means' dot products in WebAssembly SIMD (dots.c): the rows are copied in
// once per fit, the centres each time they move, and results are read from a
// view of the kernel's memory.

/** Identifies the kernel in result hashes: a rebuilt kernel can move a row on a tie, so its clusterings are another result. */
export const DOTS_VERSION = `dots.wasm@${JSON.parse(readFileSync(new URL('./dots.wasm.json', import.meta.url), 'utf8')).wasmSha256.slice(0, 12)}`;

let compiled: WebAssembly.Module | null = null;

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  dots(x: number, count: number, width: number, c: number, k: number, out: number): void;
}

export class DotKernel {
  private readonly k: Exports;
  private readonly width: number;
  private readonly x: number;
  private readonly centres: number;
  private readonly out: number;
  private readonly maxCentres: number;
  private readonly centreView: Float32Array;
  private readonly outView: Float32Array;

  /** `x`: `n × width` rows; at most `maxCentres` centres at a time. */
  constructor(x: Float32Array, width: number, maxCentres: number) {
    compiled ??= new WebAssembly.Module(readFileSync(new URL('./dots.wasm', import.meta.url)));
    this.k = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
    const n = x.length / width;
    const at = (bytes: number) => {
      const p = this.k.alloc(Math.max(16, bytes));
      if (!p) throw new Error(`k-means: the dot-product kernel could not allocate ${bytes} bytes (wasm32 holds at most 4 GiB)`);
      return p;
    };
    this.width = width;
    this.maxCentres = maxCentres;
    this.x = at(x.length * 4);
    this.centres = at(maxCentres * width * 4);
    this.out = at(n * maxCentres * 4);
    // Views made after the last allocation stay valid: the memory no longer grows.
    new Float32Array(this.k.memory.buffer, this.x, x.length).set(x);
    this.centreView = new Float32Array(this.k.memory.buffer, this.centres, maxCentres * width);
    this.outView = new Float32Array(this.k.memory.buffer, this.out, n * maxCentres);
  }

  /** Sets the centres, `k × width` (rounded to float32). */
  setCentres(c: ArrayLike<number>, k: number): void {
    if (k > this.maxCentres) throw new Error(`k-means: ${k} centres, the kernel was sized for ${this.maxCentres}`);
    for (let i = 0; i < k * this.width; i++) this.centreView[i] = c[i];
  }

  /**
   * Dot products of rows `first…first+count` with centres `from…from+k`, in
   * the first `count × k` values of the returned view (row-major), valid
   * until the next call. One view for every call: no allocation per row.
   */
  dots(first: number, count: number, from: number, k: number): Float32Array {
    this.k.dots(this.x + first * this.width * 4, count, this.width, this.centres + from * this.width * 4, k, this.out);
    return this.outView;
  }
}
