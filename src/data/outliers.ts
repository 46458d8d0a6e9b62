import { MissingData } from '../spec/errors.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, shuffle } from '../util/random.ts';
import { idxDigest, readIdxImages, unitRows, type IdxImages } from './idx.ts';

// Far out-of-distribution probes: Fashion-MNIST's test images, clothes the
// size and scale of MNIST digits. They carry the label -1 so that they never
// collide with a class of the dataset.

export const OUTLIER_LABEL = -1;
export const OUTLIER_NAME = 'Fashion-MNIST';

/** Where Debian's `dataset-fashion-mnist` installs its files; overridable for tests. */
export function fashionDir(): string {
  return process.env.CHEMINS_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist';
}

export type OutlierChoice = 'none' | 'fashion-mnist';

/** The folder the outliers come from, or null when there are none; never a choice that depends on what is installed. */
export function outlierFolder(choice: OutlierChoice): string | null {
  if (choice === 'none') return null;
  const dir = fashionDir();
  const present = existsSync(join(dir, 't10k-images-idx3-ubyte.gz')) || existsSync(join(dir, 't10k-images-idx3-ubyte'));
  if (present) return dir;
  throw new MissingData(
    'dataset.outliers',
    `Fashion-MNIST is not installed in ${dir}`,
    'Install it with `apt-get install dataset-fashion-mnist` (Debian), or set CHEMINS_FASHION_MNIST to a folder holding t10k-images-idx3-ubyte[.gz]; or set dataset.outliers: none for a study without far outliers.',
  );
}

const IMAGES = 't10k-images-idx3-ubyte';

function imagesFile(dir: string): string {
  return existsSync(join(dir, `${IMAGES}.gz`)) ? `${IMAGES}.gz` : IMAGES;
}

const identities = new Map<string, string>();
const images = new Map<string, IdxImages>();

/** The digest of the one file the outliers come from: cheap, for the result's hash. */
export function outlierIdentity(dir: string): string {
  let id = identities.get(dir);
  if (!id) {
    const file = imagesFile(dir);
    id = `fashion-mnist ${file}:${idxDigest(readFileSync(join(dir, file)))}`;
    identities.set(dir, id);
  }
  return id;
}

function testImages(dir: string): IdxImages {
  let found = images.get(dir);
  if (!found) {
    found = readIdxImages(join(dir, imagesFile(dir)));
    images.set(dir, found);
  }
  return found;
}

/** `count` seeded test images of Fashion-MNIST, as unit-scaled rows with their index in the file. */
export function loadOutliers(dir: string, count: number, seed: number): { x: Float32Array; sourceIndex: Int32Array } {
  const images = testImages(dir);
  const total = images.count;
  const order = shuffle(
    Array.from({ length: total }, (_, i) => i),
    seededRandom(seed * 7919 + 13),
  ) as number[];
  const chosen = order.slice(0, Math.min(count, total));
  return { x: unitRows(images, chosen), sourceIndex: Int32Array.from(chosen) };
}
