import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/pipeline/run.ts';
import { writeFailure } from '../src/results/store.ts';
import { runFailure } from '../src/spec/errors.ts';
import { tempDir, tinySpec } from './helpers.ts';

// An experiment whose data is not installed is the same study everywhere:
// never quietly built without it, but a "needs data" card naming the package.
describe('an experiment whose data is not installed here', () => {
  it('stops before training, and the site shows a "needs data" card naming what to install', async () => {
    const saved = process.env.CHEMINS_FASHION_MNIST;
    process.env.CHEMINS_FASHION_MNIST = '/nonexistent/fashion';
    const results = tempDir();
    const exps = tempDir();
    try {
      const spec = tinySpec({ dataset: { classes: [1, 7], probes: [3], outliers: 'fashion-mnist', samplesPerClass: 60 } });
      writeFileSync(join(exps, 'far.yaml'), JSON.stringify(spec));
      const err = await runExperiment({ id: 'far', file: 'experiments/far.yaml', spec }, { resultsDir: results, backend: 'wasm' }).catch((e) => e);
      const failure = runFailure('far', 'experiments/far.yaml', err);
      expect(failure).toMatchObject({ name: 'NeedsData', problems: [{ path: 'dataset.outliers' }] });
      expect(failure.hint).toMatch(/apt-get install dataset-fashion-mnist/);
      writeFailure(results, failure);
      process.env.CHEMINS_EXPERIMENTS = exps;
      process.env.CHEMINS_RESULTS = results;
      const { loadFailures, loadResults } = await import('../src/site/results.ts');
      expect(loadResults()).toEqual([]);
      expect(loadFailures()).toMatchObject([{ id: 'far', kind: 'needs-data', name: 'NeedsData' }]);
    } finally {
      if (saved === undefined) delete process.env.CHEMINS_FASHION_MNIST;
      else process.env.CHEMINS_FASHION_MNIST = saved;
    }
  });
});
