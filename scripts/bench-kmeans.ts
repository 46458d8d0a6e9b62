// k-means speed and quality: the typed-array Lloyd (src/signatures/lloyd.ts)
// against ml-kmeans through fitKMeans, on a seeded Gaussian mixture and, when
// the Debian package is installed, on Fashion-MNIST's 60,000 training images.
//   node scripts/bench-kmeans.ts [--restarts 10] [--large-ml-restarts 1] [--skip-large]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { idxToUnit, loadIdxFolder } from '../src/data/idx.ts';
import { fitKMeans } from '../src/signatures/kmeans.ts';
import { lloyd } from '../src/signatures/lloyd.ts';
import { seededRandom } from '../src/util/random.ts';

const FASHION = '/usr/share/datasets/fashion-mnist';

/**
 * `n × width` rows from `components` Gaussians of unit spread whose means are
 * drawn with spread `separation`: more components than clusters, so that
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

export interface KMeansTiming {
  name: string;
  restarts: number;
  seconds: number;
  inertia: number;
  iterations: number;
}

function time(name: string, restarts: number, fit: () => { inertia: number; iterations: number }): KMeansTiming {
  const start = performance.now();
  const { inertia, iterations } = fit();
  return { name, restarts, seconds: (performance.now() - start) / 1000, inertia, iterations };
}

function report(title: string, runs: KMeansTiming[]): void {
  console.log(title);
  for (const r of runs) {
    const perRestart = (r.seconds / r.restarts).toFixed(3);
    console.log(`  ${r.name.padEnd(9)} ${r.restarts} restarts  ${r.seconds.toFixed(2).padStart(7)} s (${perRestart} s each)  inertia ${r.inertia.toPrecision(8)}  iterations of best ${r.iterations}`);
  }
  const [ml, ours] = [runs.find((r) => r.name === 'ml-kmeans'), runs.find((r) => r.name === 'lloyd')];
  if (ml && ours) {
    const speed = ml.seconds / ml.restarts / (ours.seconds / ours.restarts);
    console.log(`  per restart, lloyd is ${speed.toFixed(1)}× faster; inertia lloyd / ml-kmeans = ${(ours.inertia / ml.inertia).toFixed(5)}`);
  }
}

export function benchMatrix(x: Float32Array, width: number, k: number, restarts: number, mlRestarts: number, seed = 1): KMeansTiming[] {
  const runs = [time('lloyd', restarts, () => lloyd(x, width, null, k, { restarts, seed }))];
  if (mlRestarts > 0) {
    const all = Int32Array.from({ length: x.length / width }, (_, i) => i);
    runs.push(time('ml-kmeans', mlRestarts, () => fitKMeans(x, width, all, k, mlRestarts, seed, 'ml-kmeans')));
  }
  return runs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      restarts: { type: 'string', default: '10' },
      'large-ml-restarts': { type: 'string', default: '1' },
      'skip-large': { type: 'boolean', default: false },
    },
  });
  const restarts = Number(values.restarts);
  const x = gaussianMixture(10_000, 128, 12, 0.6, 42);
  report(`Gaussian mixture 10,000 × 128, k = 8:`, benchMatrix(x, 128, 8, restarts, restarts));
  if (!values['skip-large'] && existsSync(FASHION)) {
    const start = performance.now();
    const { images } = loadIdxFolder(FASHION).train;
    const pixels = idxToUnit(images.pixels);
    console.log(`(read and scaled Fashion-MNIST in ${((performance.now() - start) / 1000).toFixed(2)} s)`);
    const mlRestarts = Number(values['large-ml-restarts']);
    report(`Fashion-MNIST train 60,000 × 784, k = 10 (ml-kmeans: ${mlRestarts} restart${mlRestarts === 1 ? '' : 's'}, for time):`,
      benchMatrix(pixels, 784, 10, restarts, mlRestarts));
  } else if (!values['skip-large']) {
    console.log(`(no ${FASHION}: Fashion-MNIST part skipped)`);
  }
}
