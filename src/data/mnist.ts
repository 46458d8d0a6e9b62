import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

export function loadDigit(digit: number): DigitImages {
  const hit = cache.get(digit);
  if (hit) return hit;
  const text = readFileSync(join(root, 'src', 'digits', `${digit}.json`), 'utf8');
  const data: number[] = JSON.parse(text).data;
  const images: DigitImages = { digit, pixels: Float32Array.from(data), count: Math.floor(data.length / PIXELS), digest: sha256(text).slice(0, 16) };
  cache.set(digit, images);
  return images;
}

export function mnistIdentity(digits: number[]): string {
  const parts = [...digits].sort((a, b) => a - b).map((d) => `${d}:${loadDigit(d).digest}`);
  return `mnist@${version} ${parts.join(' ')}`;
}
