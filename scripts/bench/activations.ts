import { writeFileSync } from 'node:fs';
import { recordActivations } from '../../src/activations/index.ts';
import { loadData } from '../../src/data/index.ts';
import { loadDigit, MNIST_SIZE } from '../../src/data/mnist.ts';
import { selectEngine } from '../../src/engine/index.ts';
import { trainModel } from '../../src/model/train.ts';
import { defaultSpec } from './datasets.ts';
import { gaussianMixture, type MatrixFile } from './kmeans.ts';

// The activation-like matrix that the k-means section clusters, made once in
// its own process and handed to the k-means parts as a file.

/** All 10,000 digits of the embedded MNIST set, every class, as the trained model's inputs. */
function allDigits(): Float32Array {
  const parts = Array.from({ length: 10 }, (_, d) => loadDigit(d).pixels);
  const x = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    x.set(p, offset);
    offset += p.length;
  }
  return x;
}

/**
 * Real activations to cluster: hidden1 (128 units) of the default
 * experiment's model, trained as the pipeline trains it (first seed, wasm),
 * recorded on all ten digit classes so the clusters are not trivially two.
 * In quick mode a seeded Gaussian mixture of the same width stands in.
 */
export async function activationMatrix(path: string, quick: boolean): Promise<MatrixFile> {
  if (quick) {
    const width = 128;
    const x = gaussianMixture(1000, width, 12, 0.6, 42);
    writeFileSync(path, x);
    return { path, rows: 1000, width, source: 'seeded Gaussian mixture (12 components; --quick)' };
  }
  const spec = defaultSpec();
  const { tf, backend } = await selectEngine('wasm');
  const features = MNIST_SIZE * MNIST_SIZE;
  const data = loadData(spec.dataset);
  const seed = spec.seeds?.[0] ?? spec.training.seed;
  const trained = await trainModel(tf, spec, data, seed);
  const x = allDigits();
  const rows = x.length / features;
  const acts = await recordActivations(
    tf,
    trained.model,
    trained.hiddenLayers,
    { ...data, train: { ...data.train, count: rows }, test: { ...data.test, count: 0 }, probe: { ...data.probe, count: 0 } },
    x,
  );
  const hidden1 = acts.layers.find((l) => l.name === 'hidden1')!;
  writeFileSync(path, hidden1.values);
  trained.model.dispose();
  return {
    path,
    rows,
    width: hidden1.units,
    source: `hidden1 of the default model (seed ${seed}, ${spec.training.epochs} epochs, fused training loop; activations read on ${backend}) on all ${rows.toLocaleString('en')} embedded MNIST digits`,
  };
}
