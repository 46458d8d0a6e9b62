import { FieldError } from '../spec/errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, shuffle } from '../util/random.ts';
import { loadIdxFolder, type IdxSplit } from './idx.ts';

// Far out-of-distribution probes: Fashion-MNIST's test images, clothes the
// size and scale of MNIST digits. They carry the label -1 so that they never
// collide with a class of the dataset.

export const OUTLIER_LABEL = -1;
export const OUTLIER_NAME = 'Fashion-MNIST';

/** Where Debian's `dataset-fashion-mnist` installs its files; overridable for tests. */
export function fashionDir(): string {
  return process.env.CHEMINS_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist';
}

export type OutlierChoice = 'auto' | 'none' | 'fashion-mnist';

/** The folder the outliers come from, or null when there are none; `fashion-mnist` insists the folder is there. */
export function outlierFolder(choice: OutlierChoice): string | null {
  if (choice === 'none') return null;
  const dir = fashionDir();
  const present = existsSync(join(dir, 't10k-images-idx3-ubyte.gz')) || existsSync(join(dir, 't10k-images-idx3-ubyte'));
  if (present) return dir;
  if (choice === 'auto') return null;
  throw new FieldError('dataset.outliers', `Fashion-MNIST is not installed in ${dir}`, "Install Debian's dataset-fashion-mnist, or set dataset.outliers to auto (used when installed) or none.");
}

const cache = new Map<string, { split: IdxSplit; identity: string }>();

function testSplit(dir: string): { split: IdxSplit; identity: string } {
  const hit = cache.get(dir);
  if (hit) return hit;
  const folder = loadIdxFolder(dir);
  const entry = { split: folder.test, identity: `fashion-mnist ${folder.test.files.images}:${folder.test.digests.images}` };
  cache.set(dir, entry);
  return entry;
}

export function outlierIdentity(dir: string): string {
  return testSplit(dir).identity;
}

/** `count` seeded test images of Fashion-MNIST, as unit-scaled rows with their index in the file. */
export function loadOutliers(dir: string, count: number, seed: number): { x: Float32Array; sourceIndex: Int32Array } {
  const { split } = testSplit(dir);
  const { rows, cols, pixels } = split.images;
  const features = rows * cols;
  const order = shuffle(Array.from({ length: split.images.count }, (_, i) => i), seededRandom(seed * 7919 + 13)) as number[];
  const chosen = order.slice(0, Math.min(count, split.images.count));
  const x = new Float32Array(chosen.length * features);
  chosen.forEach((src, i) => {
    for (let j = 0; j < features; j++) x[i * features + j] = pixels[src * features + j] / 255;
  });
  return { x, sourceIndex: Int32Array.from(chosen) };
}
