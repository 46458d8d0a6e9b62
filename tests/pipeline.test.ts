import { beforeAll, describe, expect, it } from 'vitest';
import { recordActivations, type Activations } from '../src/activations/index.ts';
import { loadData } from '../src/data/index.ts';
import type { Dataset } from '../src/data/types.ts';
import { selectEngine } from '../src/engine/index.ts';
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
  acts = recordActivations(tf, trained.model, trained.hiddenLayers, data);
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
    expect(acts.hidden.map((l) => [l.name, l.units])).toEqual([['hidden1', 32], ['hidden2', 16]]);
    for (const l of acts.hidden) expect(l.values.length).toBe(acts.count * l.units);
    // ReLU outputs are never negative; probabilities sum to one.
    expect(Math.min(...acts.hidden[0].values)).toBeGreaterThanOrEqual(0);
    const p = acts.probabilities.values;
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
    expect(sigs.layers.map((l) => l.k)).toEqual([3, 3]);
  });

  it('numbers clusters by decreasing size on the training inputs', () => {
    for (const layer of sigs.layers) {
      const sizes = [0, 0, 0];
      for (let i = acts.ranges.train[0]; i < acts.ranges.train[1]; i++) sizes[layer.assignments[i]]++;
      expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    }
  });
});

describe('analysis stage', () => {
  it('answers the three questions from the numbers', () => {
    const a = analyse(spec, data, acts, sigs);
    expect(a.layers.map((l) => l.name)).toEqual(['input', 'hidden1', 'hidden2']);
    expect(a.answers.map((x) => x.question)).toEqual(['separation', 'signatures', 'unseen']);
    for (const x of a.answers) {
      expect(x.interval[0]).toBeLessThanOrEqual(x.value);
      expect(x.interval[1]).toBeGreaterThanOrEqual(x.value);
    }
    const probe = a.probes[0];
    expect(probe.count).toBe(400);
    expect(probe.predicted.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 10);
    const classPaths = a.paths.byClass.find((c) => c.label === 1)!;
    expect(classPaths.top.reduce((s, t) => s + t.count, 0)).toBeLessThanOrEqual(classPaths.total);
    // Flows out of the first layer account for every input once.
    expect(a.paths.flows.filter((f) => f.layer === 0).reduce((s, f) => s + f.count, 0)).toBe(acts.count);
  });
});
