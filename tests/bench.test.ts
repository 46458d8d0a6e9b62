import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FASHION } from '../scripts/bench/datasets.ts';
import { runBench } from '../scripts/bench/run.ts';

// A smoke test of `npm run bench`: the quick sizes, in this process, without
// PyTorch or the site build. It checks that every part runs and that the
// report has its sections and rows; it asserts nothing about speed.

/** The rows of a section's table, each cell under its header's name. */
const cells = (markdown: string, title: string): Record<string, string>[] => {
  const section = markdown.split('\n## ').find((s) => s.startsWith(title));
  expect(section, `section "${title}"`).toBeDefined();
  const [headers, ...rows] = section!
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .map((l) => l.slice(2, -2).split(' | '));
  return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
};

describe('npm run bench -- --quick', () => {
  it('reports every section with the expected rows', async () => {
    const markdown = await runBench({
      quick: true,
      inProcess: true,
      sections: ['training', 'kmeans', 'build', 'explorer'],
      cnn: false,
      fashionMlKMeans: false,
      log: () => {},
    });
    const fashion = existsSync(FASHION);

    expect(markdown).toMatch(/^# Chemins benchmark/);
    expect(markdown).toMatch(/- CPU: .+, \d+ cores/);
    expect(markdown).toMatch(/- Node v\d+/);

    const training = cells(markdown, '1. Training throughput');
    for (const dataset of ['MNIST 1 vs 7', ...(fashion ? ['Fashion 0 vs 6'] : [])]) {
      // Fashion-MNIST runs on the engine the pipeline picks, whichever it is here.
      for (const engine of dataset.startsWith('MNIST') ? ['wasm', 'cpu'] : [null]) {
        for (const loop of ['model.fit', 'tfjs loop', 'fused']) {
          const row = training.find((r) => r.Workload.startsWith(dataset) && (loop === 'fused' || engine === null || r.Engine === engine) && r.Loop === loop);
          expect(row, `${dataset} ${engine} ${loop}`).toBeDefined();
          expect(row!.Samples, `${dataset} ${engine} ${loop}`).toMatch(/^[\d,]+$/);
          expect(row!['× baseline']).toMatch(loop === 'model.fit' ? /^1\.00×$/ : /×$/);
        }
      }
    }
    expect(training.find((r) => r.Engine === 'PyTorch')?.Samples).toBe('skipped (--quick)');
    expect(training.some((r) => r.Engine === 'tensorflow')).toBe(true);

    const profile = cells(markdown, '1b. Where the training time goes');
    expect(profile.some((r) => r.Kernel === 'BatchMatMul')).toBe(true);
    expect(profile.at(-1)?.Kernel).toBe('outside kernels');

    const inside = cells(markdown, '1c. Inside the fused kernel');
    for (const phase of ['forward', 'weight gradients', 'optimizer update', 'evaluation'])
      expect(inside.find((r) => r.Workload === 'MNIST' && r.Phase === phase)?.Time).toMatch(/^[\d,]+ ms$/);
    expect(cells(markdown, '1d. Fused kernel by batch size').map((r) => r['Batch size'])).toEqual(['32', '64']);

    const kmeans = cells(markdown, '2. k-means');
    const activations = kmeans.filter((r) => r.Matrix.includes('activations'));
    expect(activations.map((r) => r.Engine).sort()).toEqual(['lloyd', 'ml-kmeans', 'scikit-learn']);
    expect(activations.find((r) => r.Engine === 'scikit-learn')?.k).toBe('skipped (--quick)');
    for (const r of activations.filter((r) => r.Engine !== 'scikit-learn')) expect(Number(r.Inertia.replace(/,/g, ''))).toBeGreaterThan(0);
    if (fashion) expect(kmeans.some((r) => r.Matrix.startsWith('Fashion-MNIST') && r.Engine === 'lloyd')).toBe(true);

    expect(cells(markdown, '3. Build time')[0].What).toBe('skipped (--quick)');
    expect(cells(markdown, '4. The explorer')[0].Measured).toBe('skipped (--quick)');
    const memory = cells(markdown, '5. Peak memory');
    expect(memory.map((r) => r.Part)).toContain('train mnist wasm tfjs loop');
    expect(memory.map((r) => r.Part)).toContain('train mnist fused');
    expect(memory.map((r) => r.Part)).toContain('k-means: lloyd on activations');
  });
});
