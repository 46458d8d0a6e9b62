import { beforeAll, describe, expect, it } from 'vitest';
import { recordActivations, type Activations } from '../src/activations/index.ts';
import { loadData } from '../src/data/index.ts';
import type { Dataset } from '../src/data/types.ts';
import { selectEngine } from '../src/engine/index.ts';
import { outgoingWeights } from '../src/model/build.ts';
import { trainModel, type TrainedModel } from '../src/model/train.ts';
import { computeSignatures, signatureOptions, type Signatures } from '../src/signatures/index.ts';
import { analyse } from '../src/analysis/index.ts';
import { tinySpec } from './helpers.ts';

const spec = tinySpec({ dataset: { classes: [1, 7], probes: [3], samplesPerClass: 400 }, training: { epochs: 5, batchSize: 32 } });
let data: Dataset;
let trained: TrainedModel;
let acts: Activations;
let sigs: Signatures;

beforeAll(async () => {
  const { tf } = await selectEngine('wasm');
  data = loadData(spec.dataset);
  trained = await trainModel(tf, spec, data, spec.training.seed);
  acts = await recordActivations(tf, trained.model, trained.hiddenLayers, data);
  sigs = computeSignatures(acts, signatureOptions(spec));
});

describe('model stage', () => {
  it('learns 1 vs 7 past 95 % test accuracy on a small subset', () => {
    expect(trained.history).toHaveLength(5);
    expect(trained.history.at(-1)!.testAccuracy).toBeGreaterThan(0.95);
    expect(trained.history.at(-1)!.loss).toBeLessThan(trained.history[0].loss);
  });

  it('trains the same network again from the same seed', async () => {
    const { tf } = await selectEngine('wasm');
    const again = await trainModel(tf, spec, data, spec.training.seed);
    expect(again.history.map((h) => h.loss)).toEqual(trained.history.map((h) => h.loss));
    again.model.dispose();
  });
});

describe('activations stage', () => {
  it('records every hidden layer for every input, in train, test, probe order', () => {
    expect(acts.count).toBe(data.train.count + data.test.count + data.probe.count);
    expect(acts.ranges.probe).toEqual([data.train.count + data.test.count, acts.count]);
    expect(acts.layers.map((l) => [l.name, l.kind, l.units])).toEqual([
      ['input', 'input', 784],
      ['hidden1', 'hidden', 32],
      ['hidden2', 'hidden', 16],
      ['output', 'output', 2],
    ]);
    for (const l of acts.layers) expect(l.values.length).toBe(acts.count * l.units);
    // ReLU outputs are never negative; the output layer's probabilities sum to one.
    expect(Math.min(...acts.layers[1].values)).toBeGreaterThanOrEqual(0);
    const p = acts.layers[3].values;
    expect(p[0] + p[1]).toBeCloseTo(1, 5);
  });
});

describe('signatures stage', () => {
  it('gives every input, probes included, one cluster per hidden layer', () => {
    expect(sigs.paths).toHaveLength(acts.count);
    for (const path of sigs.paths) {
      expect(path).toHaveLength(2);
      for (const c of path) expect(c).toBeGreaterThanOrEqual(0);
      for (const c of path) expect(c).toBeLessThan(3);
    }
    // Input and output are clustered too, for reference, at the first hidden layer's k.
    expect(sigs.layers.map((l) => l.k)).toEqual([3, 3, 3, 3]);
    for (const l of sigs.layers) expect(new Set(l.atClasses).size).toBe(2);
  });

  it('numbers clusters by decreasing size on the training inputs', () => {
    for (const layer of sigs.layers.filter((l) => l.kind === 'hidden')) {
      const sizes = [0, 0, 0];
      for (let i = acts.ranges.train[0]; i < acts.ranges.train[1]; i++) sizes[layer.assignments[i]]++;
      expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    }
  });
});

describe('analysis stage', () => {
  it('measures every layer, the paths and the probes of one seed', async () => {
    const kernels = await Promise.all(trained.hiddenLayers.map((name) => outgoingWeights(trained.model, name)));
    const a = analyse(spec, data, acts, sigs, kernels, { curves: true });
    expect(a.layers.map((l) => l.name)).toEqual(['input', 'hidden1', 'hidden2', 'output']);
    for (const l of a.layers) {
      expect(l.probeAccuracy).toBeGreaterThan(0.9);
      expect(l.nmi).toBeGreaterThanOrEqual(0);
      expect(l.nmi).toBeLessThanOrEqual(1);
    }
    // Q2 statistics exist for hidden layers only, one signature per trained class.
    for (const l of a.layers) expect(l.classes.length).toBe(l.kind === 'hidden' ? 2 : 0);
    const hidden = a.layers[1];
    expect(hidden.classes[0].mean).toHaveLength(32);
    expect(hidden.permutation!.p).toBeLessThan(0.05);
    // CKA of a layer with itself is 1.
    a.cka.forEach((row, i) => expect(row[i]).toBeCloseTo(1, 6));
    const probe = a.probes.find((p) => p.label === 3)!;
    expect(probe.count).toBe(400);
    expect(probe.predicted.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 10);
    // An unseen digit is told from the trained classes far better than chance somewhere.
    expect(Math.max(...a.layers.flatMap((l) => l.ood.filter((o) => o.probe === 3).map((o) => o.auc)))).toBeGreaterThan(0.8);
    const classPaths = a.paths.byClass.find((c) => c.label === 1)!;
    expect(classPaths.top.reduce((s, t) => s + t.count, 0)).toBeLessThanOrEqual(classPaths.total);
    // Flows out of the first layer account for every input once.
    expect(a.paths.flows.filter((f) => f.layer === 0).reduce((s, f) => s + f.count, 0)).toBe(acts.count);
    expect(a.oodCurves.length).toBeGreaterThan(0);
  });
});
