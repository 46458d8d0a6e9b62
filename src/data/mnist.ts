import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileDigest } from '../util/file-digest.ts';
import { sha256 } from '../util/hash.ts';

// The embedded dataset: the `mnist` package ships about 1,000 real MNIST
// digits per class as JSON. Its files are read directly (not through its
// entry point, which parses all ten classes) and cached per process.

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('mnist/package.json'));
const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

export interface DigitImages {
  digit: number;
  pixels: Float32Array;
  count: number;
  digest: string;
}

const cache = new Map<number, DigitImages>();
const digests = new Map<number, string>();

const digitFile = (digit: number) => join(root, 'src', 'digits', `${digit}.json`);

/** The digest `loadDigit` gives a digit's file, without parsing it (a stored result's check needs no more). */
export function digitDigest(digit: number): string {
  const loaded = cache.get(digit);
  if (loaded) return loaded.digest;
  let digest = digests.get(digit);
  if (!digest) {
    // The file's bytes (ASCII JSON) are its text's: the digest `loadDigit` gives, read again only when the file changed.
    digest = fileDigest(digitFile(digit)).slice(0, 16);
    digests.set(digit, digest);
  }
  return digest;
}

export function loadDigit(digit: number): DigitImages {
  const hit = cache.get(digit);
  if (hit) return hit;
  const text = readFileSync(digitFile(digit), 'utf8');
  const data: number[] = JSON.parse(text).data;
  const images: DigitImages = { digit, pixels: Float32Array.from(data), count: Math.floor(data.length / PIXELS), digest: sha256(text).slice(0, 16) };
  cache.set(digit, images);
  return images;
}

export function mnistIdentity(digits: number[]): string {
  const parts = [...digits].sort((a, b) => a - b).map((d) => `${d}:${digitDigest(d)}`);
  return `mnist@${version} ${parts.join(' ')}`;
}
