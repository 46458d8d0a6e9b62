import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileDigest } from '../util/file-digest.ts';
import { sha256 } from '../util/hash.ts';

// Reader for the IDX format of MNIST, Fashion-MNIST and EMNIST: a big-endian
// header (magic 0x000008NN, where 08 says unsigned bytes and NN the number of
// dimensions, then one uint32 per dimension) followed by the raw bytes.
// Files may be gzipped, as they are distributed; that is told by the gzip
// magic bytes, not by the name. Note that EMNIST stores its images transposed.

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** `count × rows × cols` bytes, row-major. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

export interface IdxSplit {
  images: IdxImages;
  labels: IdxLabels;
  /** Names of the two files read, and their digests (see `idxDigest`). */
  files: { images: string; labels: string };
  digests: { images: string; labels: string };
}

export interface IdxFolder {
  dir: string;
  train: IdxSplit;
  test: IdxSplit;
  /** Names and digests of the four files: changes whenever the data does. */
  identity: string;
}

/**
 * Identity of a dataset file: the first 16 hex digits of the sha256 of its
 * bytes as stored (compressed when gzipped), so that it is cheap to recompute
 * and does not depend on how the file is decompressed.
 */
export function idxDigest(bytes: Uint8Array): string {
  return sha256(bytes).slice(0, 16);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function decompress(raw: Uint8Array, name: string): Uint8Array {
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new Error(`${name}: cannot decompress gzip data (${(e as Error).message})`);
  }
}

function header(bytes: Uint8Array, name: string, magic: number, kind: string, dims: number): number[] {
  const size = 4 + 4 * dims;
  if (bytes.length < 4) throw new Error(`${name}: file of ${bytes.length} bytes is too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magic) throw new Error(`${name}: magic number ${hex(found)} is not an IDX ${kind} file (expected ${hex(magic)})`);
  if (bytes.length < size) throw new Error(`${name}: truncated header (${bytes.length} bytes, expected at least ${size})`);
  return Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
}

function checkLength(bytes: Uint8Array, name: string, headerSize: number, payload: number, what: string): void {
  const expected = headerSize + payload;
  if (bytes.length < expected) throw new Error(`${name}: truncated: ${bytes.length} bytes, expected ${expected} for ${what}`);
  if (bytes.length > expected) throw new Error(`${name}: ${bytes.length - expected} unexpected bytes after ${what}`);
}

function parseImages(raw: Uint8Array, name: string): IdxImages {
  const bytes = decompress(raw, name);
  const [count, rows, cols] = header(bytes, name, IMAGES_MAGIC, 'image', 3);
  if (rows === 0 || cols === 0) throw new Error(`${name}: image size ${rows}×${cols} is empty`);
  checkLength(bytes, name, 16, count * rows * cols, `${count} images of ${rows}×${cols}`);
  // A copy, so that the result is a plain Uint8Array that does not keep the
  // decompression buffer (or a Buffer pool) alive.
  return { count, rows, cols, pixels: bytes.slice(16) };
}

function parseLabels(raw: Uint8Array, name: string): IdxLabels {
  const bytes = decompress(raw, name);
  const [count] = header(bytes, name, LABELS_MAGIC, 'label', 1);
  checkLength(bytes, name, 8, count, `${count} labels`);
  return { count, labels: bytes.slice(8) };
}

function read(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`${basename(path)}: cannot read ${path} (${(e as Error).message})`);
  }
}

export function readIdxImages(path: string): IdxImages {
  return parseImages(read(path), basename(path));
}

export function readIdxLabels(path: string): IdxLabels {
  return parseLabels(read(path), basename(path));
}

/** The file of `dir` among `stems` (each with or without `.gz`), uncompressed first. */
function find(dir: string, stems: string[]): string {
  for (const stem of stems) {
    for (const name of [stem, `${stem}.gz`]) if (existsSync(join(dir, name))) return name;
  }
  throw new Error(`${dir}: no ${stems.map((s) => `${s}[.gz]`).join(' or ')}`);
}

function loadSplit(dir: string, imageStems: string[], labelStems: string[]): IdxSplit {
  const files = { images: find(dir, imageStems), labels: find(dir, labelStems) };
  const rawImages = read(join(dir, files.images));
  const rawLabels = read(join(dir, files.labels));
  const images = parseImages(rawImages, files.images);
  const labels = parseLabels(rawLabels, files.labels);
  if (images.count !== labels.count) {
    throw new Error(`${files.labels}: ${labels.count} labels for ${images.count} images in ${files.images}`);
  }
  return { images, labels, files, digests: { images: idxDigest(rawImages), labels: idxDigest(rawLabels) } };
}

const folderStems = (prefix: string) => {
  const stems = (split: string[], kind: string) => split.map((s) => `${prefix}${s}-${kind}`);
  return {
    train: [stems(['train'], 'images-idx3-ubyte'), stems(['train'], 'labels-idx1-ubyte')],
    test: [stems(['t10k', 'test'], 'images-idx3-ubyte'), stems(['t10k', 'test'], 'labels-idx1-ubyte')],
  };
};

/**
 * The identity `loadIdxFolder` gives a folder, from its files' bytes alone:
 * what a result's hash needs, without decompressing or parsing them.
 */
export function idxFolderIdentity(dir: string, prefix = ''): string {
  const { train, test } = folderStems(prefix);
  return [train, test]
    .flatMap(([images, labels]) => [find(dir, images), find(dir, labels)])
    .map((name) => `${name}:${digestOf(join(dir, name))}`)
    .join(' ');
}

/** `idxDigest` of a file's bytes, read again only when the file changed (see file-digest.ts); a file that cannot be read throws `read`'s error. */
function digestOf(path: string): string {
  const digest = fileDigest(path);
  return digest === 'none' ? idxDigest(read(path)) : digest.slice(0, 16);
}

/**
 * Reads the train and test splits of an IDX dataset folder under their usual
 * names (`train-images-idx3-ubyte`, `t10k-…`; EMNIST's `test-…` too, after
 * `prefix`, e.g. `emnist-balanced-`).
 */
export function loadIdxFolder(dir: string, prefix = ''): IdxFolder {
  const stems = folderStems(prefix);
  const train = loadSplit(dir, ...(stems.train as [string[], string[]]));
  const test = loadSplit(dir, ...(stems.test as [string[], string[]]));
  if (test.images.rows !== train.images.rows || test.images.cols !== train.images.cols) {
    throw new Error(
      `${test.files.images}: images of ${test.images.rows}×${test.images.cols}, but ${train.images.rows}×${train.images.cols} in ${train.files.images}`,
    );
  }
  const identity = [train, test].flatMap((s) => [`${s.files.images}:${s.digests.images}`, `${s.files.labels}:${s.digests.labels}`]).join(' ');
  return { dir, train, test, identity };
}

/** The images at `rows`, one after another, each pixel scaled to [0, 1]. */
export function unitRows(images: IdxImages, rows: readonly number[]): Float32Array {
  const features = images.rows * images.cols;
  const x = new Float32Array(rows.length * features);
  rows.forEach((src, i) => {
    for (let j = 0; j < features; j++) x[i * features + j] = images.pixels[src * features + j] / 255;
  });
  return x;
}

/** Pixels scaled to [0, 1], as the rest of the pipeline expects. */
export function idxToUnit(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}
