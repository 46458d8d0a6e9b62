import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FASHION } from '../scripts/bench/datasets.ts';
import { runBench } from '../scripts/bench/run.ts';

// A smoke test of `npm run bench`: the quick sizes, in this process, without
// PyTorch or the site build. It checks that every part runs and that the
// report has its sections and rows; it asserts nothing about speed.

const cells = (markdown: string, title: string): string[][] => {
  const section = markdown.split('\n## ').find((s) => s.startsWith(title));
  expect(section, `section "${title}"`).toBeDefined();
  return section!
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .slice(1)
    .map((l) => l.slice(2, -2).split(' | '));
};

describe('npm run bench -- --quick', () => {
  it('reports every section with the expected rows', async () => {
    const markdown = await runBench({ quick: true, inProcess: true, sections: ['training', 'kmeans', 'build'], cnn: false, fashionMlKMeans: false, log: () => {} });
    const fashion = existsSync(FASHION);

    expect(markdown).toMatch(/^# Chemins benchmark/);
    expect(markdown).toMatch(/- CPU: .+, \d+ cores/);
    expect(markdown).toMatch(/- Node v\d+/);

    const training = cells(markdown, '1. Training throughput');
    for (const dataset of ['MNIST 1 vs 7', ...(fashion ? ['Fashion 0 vs 6'] : [])]) {
      for (const engine of ['wasm', 'cpu']) {
        for (const loop of ['model.fit', 'trainModel']) {
          const row = training.find((r) => r[0].startsWith(dataset) && r[1] === engine && r[2] === loop);
          expect(row, `${dataset} ${engine} ${loop}`).toBeDefined();
          expect(row![3], `${dataset} ${engine} ${loop}`).not.toMatch(/failed/);
          expect(row![6]).toMatch(loop === 'model.fit' ? /^1\.00×$/ : /×$/);
        }
      }
    }
    expect(training.find((r) => r[1] === 'PyTorch')?.[3]).toBe('skipped (--quick)');
    expect(training.some((r) => r[1] === 'tensorflow')).toBe(true);

    const kmeans = cells(markdown, '2. k-means');
    const activations = kmeans.filter((r) => r[0].includes('activations'));
    expect(activations.map((r) => r[1]).sort()).toEqual(['lloyd', 'ml-kmeans']);
    for (const r of activations) expect(Number(r[7].replace(/,/g, ''))).toBeGreaterThan(0);
    if (fashion) expect(kmeans.some((r) => r[0].startsWith('Fashion-MNIST') && r[1] === 'lloyd')).toBe(true);

    expect(cells(markdown, '3. Build time')[0][1]).toBe('skipped (--quick)');
    const memory = cells(markdown, '4. Peak memory');
    expect(memory.length).toBeGreaterThanOrEqual(training.filter((r) => r[2] !== 'plain loop' && r[1] !== 'tensorflow').length);
  });
});
