import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { idxDigest, idxFolderIdentity, loadIdxFolder, readIdxImages, readIdxLabels } from '../src/data/idx.ts';

const dir = mkdtempSync(join(tmpdir(), 'chemins-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idx(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

const images = (count: number, rows: number, cols: number) => Uint8Array.from({ length: count * rows * cols }, (_, i) => (i * 37 + 11) % 256);
const labels = (count: number) => Uint8Array.from({ length: count }, (_, i) => (i * 3) % 10);

function write(folder: string, name: string, bytes: Uint8Array, gzip: boolean): string {
  const path = join(folder, gzip ? `${name}.gz` : name);
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

function dataset(name: string, gzip: boolean, counts = { train: 5, test: 3, trainLabels: 5 }): string {
  const f = mkdtempSync(join(dir, name));
  write(f, 'train-images-idx3-ubyte', idx(0x803, [counts.train, 4, 3], images(counts.train, 4, 3)), gzip);
  write(f, 'train-labels-idx1-ubyte', idx(0x801, [counts.trainLabels], labels(counts.trainLabels)), gzip);
  write(f, 't10k-images-idx3-ubyte', idx(0x803, [counts.test, 4, 3], images(counts.test, 4, 3)), gzip);
  write(f, 't10k-labels-idx1-ubyte', idx(0x801, [counts.test], labels(counts.test)), gzip);
  return f;
}

describe('IDX reader', () => {
  for (const gzip of [false, true]) {
    it(`reads back synthetic ${gzip ? 'gzipped' : 'plain'} files exactly`, () => {
      const p = write(dir, `one-${gzip}-images`, idx(0x803, [7, 5, 6], images(7, 5, 6)), gzip);
      const l = write(dir, `one-${gzip}-labels`, idx(0x801, [7], labels(7)), gzip);
      const im = readIdxImages(p);
      expect({ count: im.count, rows: im.rows, cols: im.cols }).toEqual({ count: 7, rows: 5, cols: 6 });
      expect(Array.from(im.pixels)).toEqual(Array.from(images(7, 5, 6)));
      const lb = readIdxLabels(l);
      expect(lb.count).toBe(7);
      expect(Array.from(lb.labels)).toEqual(Array.from(labels(7)));
    });

    it(`loads a ${gzip ? 'gzipped' : 'plain'} folder by the usual names`, () => {
      const folder = dataset(`folder-${gzip}-`, gzip);
      const d = loadIdxFolder(folder);
      expect(d.train.images.count).toBe(5);
      expect(d.test.labels.count).toBe(3);
      expect(Array.from(d.train.labels.labels)).toEqual(Array.from(labels(5)));
      expect(d.train.files.images).toBe(gzip ? 'train-images-idx3-ubyte.gz' : 'train-images-idx3-ubyte');
      expect(d.identity).toMatch(/^train-images-idx3-ubyte(\.gz)?:[0-9a-f]{16} /);
      // A stored result is checked against the same identity, read from the files' bytes alone.
      expect(idxFolderIdentity(folder)).toBe(d.identity);
    });
  }

  it('digests the stored bytes: 16 hex digits, different for different files', () => {
    const a = idxDigest(idx(0x801, [2], labels(2)));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(idxDigest(idx(0x801, [3], labels(3)))).not.toBe(a);
  });

  it('names the file and the problem for a wrong magic number', () => {
    const p = write(dir, 'train-labels-idx1-ubyte', idx(0x803, [2, 1, 1], labels(2)), true);
    expect(() => readIdxLabels(p)).toThrow('train-labels-idx1-ubyte.gz: magic number 0x00000803 is not an IDX label file (expected 0x00000801)');
    const q = write(dir, 'not-images', idx(0x801, [2], labels(2)), false);
    expect(() => readIdxImages(q)).toThrow('not-images: magic number 0x00000801 is not an IDX image file (expected 0x00000803)');
  });

  it('names the file and the problem for truncated or overlong data', () => {
    const full = idx(0x803, [4, 5, 5], images(4, 5, 5));
    const cut = write(dir, 'cut-images', full.subarray(0, full.length - 10), false);
    expect(() => readIdxImages(cut)).toThrow('cut-images: truncated: 106 bytes, expected 116 for 4 images of 5×5');
    const head = write(dir, 'head-images', full.subarray(0, 10), false);
    expect(() => readIdxImages(head)).toThrow('head-images: truncated header (10 bytes, expected at least 16)');
    const long = write(dir, 'long-labels', idx(0x801, [2], labels(3)), false);
    expect(() => readIdxLabels(long)).toThrow('long-labels: 1 unexpected bytes after 2 labels');
    // A gzip stream cut short is reported as such, not as an IDX problem.
    const gz = gzipSync(full);
    const path = join(dir, 'cut-gz-images.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 8));
    expect(() => readIdxImages(path)).toThrow(/^cut-gz-images\.gz: cannot decompress gzip data/);
  });

  it('rejects a folder whose image and label counts disagree, or that lacks a file', () => {
    const d = dataset('mismatch-', true, { train: 5, test: 3, trainLabels: 4 });
    expect(() => loadIdxFolder(d)).toThrow('train-labels-idx1-ubyte.gz: 4 labels for 5 images in train-images-idx3-ubyte.gz');
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(() => loadIdxFolder(empty)).toThrow(`${empty}: no train-images-idx3-ubyte[.gz]`);
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const hasFashion = existsSync(FASHION);

describe('Fashion-MNIST (Debian package)', () => {
  if (!hasFashion) console.warn(`skipping the Fashion-MNIST test: ${FASHION} is absent (install the Debian package dataset-fashion-mnist to run it)`);

  it.skipIf(!hasFashion)(`reads ${FASHION} as 60,000 + 10,000 images of 28×28 with balanced labels`, () => {
    const d = loadIdxFolder(FASHION);
    expect([d.train.images.count, d.train.images.rows, d.train.images.cols]).toEqual([60000, 28, 28]);
    expect([d.test.images.count, d.test.labels.count]).toEqual([10000, 10000]);
    for (const [split, each] of [
      [d.train, 6000],
      [d.test, 1000],
    ] as const) {
      const counts = new Array(10).fill(0);
      for (const l of split.labels.labels) counts[l]++;
      expect(counts).toEqual(new Array(10).fill(each));
    }
    expect(d.identity.split(' ')).toHaveLength(4);
  });
});
