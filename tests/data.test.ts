import { describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { datasetIdentity, loadData } from '../src/data/index.ts';
import { fashionDir, OUTLIER_LABEL } from '../src/data/outliers.ts';
import { MissingData } from '../src/spec/errors.ts';
import { DatasetSpec } from '../src/spec/schema.ts';

const input = DatasetSpec.parse({ classes: [1, 7], probes: [3], samplesPerClass: 300, testFraction: 0.2, seed: 5, outliers: 'none', outlierCount: 50 });

describe('data stage', () => {
  it('gives the same split for the same seed, another for another seed', () => {
    const a = loadData(input);
    const b = loadData(input);
    const c = loadData({ ...input, seed: 6 });
    expect(Array.from(a.train.sourceIndex)).toEqual(Array.from(b.train.sourceIndex));
    expect(Array.from(a.test.labels)).toEqual(Array.from(b.test.labels));
    expect(a.train.x).toEqual(b.train.x);
    expect(Array.from(c.train.sourceIndex)).not.toEqual(Array.from(a.train.sourceIndex));
  });

  it('stratifies: each class keeps its share in test, with no input in both splits', () => {
    const d = loadData(input);
    for (const cls of input.classes) {
      const test = d.test.labels.filter((l) => l === cls).length;
      const train = d.train.labels.filter((l) => l === cls).length;
      expect(test).toBe(60);
      expect(train).toBe(240);
      const key = (s: typeof d.train, i: number) => `${s.labels[i]}:${s.sourceIndex[i]}`;
      const trainKeys = new Set(Array.from({ length: d.train.count }, (_, i) => key(d.train, i)));
      for (let i = 0; i < d.test.count; i++) expect(trainKeys.has(key(d.test, i))).toBe(false);
    }
  });

  it('keeps the probes out of training, and the pixels in [0, 1]', () => {
    const d = loadData(input);
    expect(new Set(d.train.labels)).toEqual(new Set([1, 7]));
    expect(new Set(d.probe.labels)).toEqual(new Set([3]));
    expect(d.probe.count).toBe(300);
    expect(d.features).toBe(784);
    expect(Math.max(...d.train.x.subarray(0, 784 * 20))).toBeLessThanOrEqual(1);
    expect(Math.min(...d.train.x.subarray(0, 784 * 20))).toBeGreaterThanOrEqual(0);
    expect(d.identity).toMatch(/^mnist@\S+ 1:[0-9a-f]{16} 3:[0-9a-f]{16} 7:[0-9a-f]{16}$/);
  });

  it('gives a stored result the identity loading gives, without parsing the digits', async () => {
    const loaded = loadData(input).identity;
    // A fresh copy of the module, which has parsed no digit yet.
    vi.resetModules();
    const fresh = await import('../src/data/index.ts');
    expect(fresh.datasetIdentity(input)).toBe(loaded);
  });
});

describe.skipIf(!existsSync(fashionDir()))('far outliers (Fashion-MNIST installed)', () => {
  it('appends seeded Fashion-MNIST test images to the probes under label -1', () => {
    const d = loadData({ ...input, outliers: 'fashion-mnist' });
    expect(d.probes).toEqual([3, OUTLIER_LABEL]);
    expect(d.names).toEqual({ '-1': 'Fashion-MNIST' });
    expect(d.probe.count).toBe(350);
    expect(Array.from(d.probe.labels.subarray(300))).toEqual(new Array(50).fill(-1));
    const again = loadData({ ...input, outliers: 'fashion-mnist' });
    expect(Array.from(again.probe.sourceIndex)).toEqual(Array.from(d.probe.sourceIndex));
    expect(Math.max(...d.probe.x.subarray(300 * 784))).toBeLessThanOrEqual(1);
    // The outliers are part of what identifies the data, hence of the result's hash.
    expect(datasetIdentity({ ...input, outliers: 'fashion-mnist' })).toMatch(/fashion-mnist t10k-images-idx3-ubyte\.gz:[0-9a-f]{16}$/);
    expect(datasetIdentity(input)).not.toMatch(/fashion/);
  });
});

describe('outliers that are asked for but absent', () => {
  it('are missing data that names what to install; no choice depends on what is installed', () => {
    const saved = process.env.CHEMINS_FASHION_MNIST;
    process.env.CHEMINS_FASHION_MNIST = '/nonexistent/fashion';
    try {
      expect(DatasetSpec.safeParse({ ...input, outliers: 'auto' }).success).toBe(false);
      expect(DatasetSpec.parse({ classes: [1, 7] }).outliers).toBe('none');
      expect(loadData(input).probes).toEqual([3]);
      expect(() => loadData({ ...input, outliers: 'fashion-mnist' })).toThrow(MissingData);
      expect(() => loadData({ ...input, outliers: 'fashion-mnist' })).toThrow(/dataset\.outliers: Fashion-MNIST is not installed in \/nonexistent\/fashion/);
      try {
        loadData({ ...input, outliers: 'fashion-mnist' });
      } catch (e) {
        expect((e as MissingData).hint).toMatch(/apt-get install dataset-fashion-mnist/);
      }
    } finally {
      if (saved === undefined) delete process.env.CHEMINS_FASHION_MNIST;
      else process.env.CHEMINS_FASHION_MNIST = saved;
    }
  });
});

describe.skipIf(!existsSync(fashionDir()))('an IDX dataset at full size (Fashion-MNIST installed)', () => {
  const fashion = DatasetSpec.parse({
    name: 'idx',
    folder: fashionDir(),
    names: { 5: 'Sandal', 7: 'Sneaker', 9: 'Ankle boot' },
    classes: [7, 9],
    probes: [5],
    samplesPerClass: 100,
    seed: 2,
  });

  it('takes training inputs from the train file and test inputs and probes from the test file, capped per class', () => {
    const d = loadData(fashion);
    expect([d.train.count, d.test.count, d.probe.count]).toEqual([200, 200, 100]);
    expect(new Set(d.train.labels)).toEqual(new Set([7, 9]));
    expect(new Set(d.probe.labels)).toEqual(new Set([5]));
    expect(d.names['7']).toBe('Sneaker');
    expect([d.width, d.height, d.features]).toEqual([28, 28, 784]);
    expect(d.identity).toMatch(/^idx train-images-idx3-ubyte\.gz:[0-9a-f]{16} .* t10k-labels-idx1-ubyte\.gz:[0-9a-f]{16}$/);
    expect(Array.from(loadData(fashion).train.sourceIndex)).toEqual(Array.from(d.train.sourceIndex));
  });

  it('reads the whole class when the cap allows: 6,000 per class in train and 1,000 in test', () => {
    const d = loadData({ ...fashion, samplesPerClass: 100000 });
    expect([d.train.count, d.test.count, d.probe.count]).toEqual([12000, 2000, 1000]);
  });

  it('names the field when the folder is missing or a class is absent', () => {
    expect(() => loadData({ ...fashion, folder: 'no-such-folder' }, '/tmp')).toThrow(MissingData);
    expect(() => loadData({ ...fashion, folder: 'no-such-folder' }, '/tmp')).toThrow(
      /^dataset\.folder: the folder \/tmp\/no-such-folder does not exist on this machine/,
    );
    // A folder that is there but holds no IDX files is the file's fault, not missing data.
    expect(() => loadData({ ...fashion, folder: '.' }, '/tmp')).toThrow(/^dataset\.folder: \/tmp: no train-images-idx3-ubyte/);
    expect(() => loadData({ ...fashion, classes: [7, 42] })).toThrow(/dataset\.classes: class 42 has no input in the train file/);
  });
});
