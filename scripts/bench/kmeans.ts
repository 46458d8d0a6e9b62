import { readFileSync } from 'node:fs';
import { idxToUnit, loadIdxFolder } from '../../src/data/idx.ts';
import { fitKMeans, type KMeansEngine } from '../../src/signatures/kmeans.ts';
import { lloyd } from '../../src/signatures/lloyd.ts';
import { seededRandom } from '../../src/util/random.ts';
import { clocks } from './clock.ts';

const FASHION = process.env.CHEMINS_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist';

// k-means speed and quality: the typed-array Lloyd (src/signatures/lloyd.ts)
// against ml-kmeans, both through fitKMeans as the pipeline calls them, on
// the matrices the pipeline clusters (hidden activations) and on the largest
// one it could meet (Fashion-MNIST's 60,000 training images).

export interface KMeansTiming {
  engine: KMeansEngine;
  rows: number;
  width: number;
  k: number;
  restarts: number;
  seconds: number;
  cpuSeconds: number;
  inertia: number;
  iterations: number;
}

/** A matrix passed between processes: raw float32 bytes in `path`, `rows × width`. */
export interface MatrixFile {
  path: string;
  rows: number;
  width: number;
  source: string;
}

/**
 * `n × width` rows from `components` Gaussians of unit-ish spread whose means
 * are drawn with spread `separation`: more components than clusters, so that
 * k-means has to choose how to merge them and restarts matter.
 */
export function gaussianMixture(n: number, width: number, components: number, separation: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const means = Float64Array.from({ length: components * width }, () => separation * normal());
  const spreads = Float64Array.from({ length: components }, () => 0.5 + random());
  const x = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * components);
    for (let d = 0; d < width; d++) x[i * width + d] = means[c * width + d] + spreads[c] * normal();
  }
  return x;
}

export function readMatrix(file: MatrixFile): Float32Array {
  const bytes = readFileSync(file.path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Fashion-MNIST train images scaled to [0, 1]: 60,000 × 784, or the first `limit` rows. */
export function fashionPixels(limit = Infinity): { x: Float32Array; rows: number; width: number } {
  const { images } = loadIdxFolder(FASHION).train;
  const width = images.rows * images.cols;
  const rows = Math.min(images.count, limit);
  return { x: idxToUnit(images.pixels.subarray(0, rows * width)), rows, width };
}

export function timeKMeans(engine: KMeansEngine, x: Float32Array, width: number, k: number, restarts: number, seed = 1): KMeansTiming {
  const rows = x.length / width;
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  const stop = clocks();
  const { inertia, iterations } = fitKMeans(x, width, all, k, restarts, seed, engine);
  return { engine, rows, width, k, restarts, ...stop(), inertia, iterations };
}

/** lloyd from the starts scikit-learn wrote (float64, restarts × k × width), one restart each, as sklearnFromStarts runs them. */
export function lloydFromStarts(
  x: Float32Array,
  width: number,
  k: number,
  startsPath: string,
): { cpuSeconds: number; runs: { inertia: number; iterations: number }[] } {
  const bytes = readFileSync(startsPath);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const starts = Array.from({ length: all.length / (k * width) }, (_, r) => all.subarray(r * k * width, (r + 1) * k * width));
  const runs = [];
  let cpuSeconds = 0;
  for (const start of starts) {
    const stop = clocks();
    const { inertia, iterations } = lloyd(x, width, null, k, { restarts: 1, seed: 1, starts: [start] });
    cpuSeconds += stop().cpuSeconds;
    runs.push({ inertia, iterations });
  }
  return { cpuSeconds, runs };
}
