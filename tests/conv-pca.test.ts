import { describe, expect, it } from 'vitest';
import { activationOptions, recordActivations } from '../src/activations/index.ts';
import { statisticsTable } from '../src/analysis/catalogue.ts';
import { signaturesAnswer } from '../src/analysis/answers.ts';
import { analyse } from '../src/analysis/index.ts';
import { loadData } from '../src/data/index.ts';
import { selectEngine } from '../src/engine/index.ts';
import { outgoingWeights } from '../src/model/build.ts';
import { figuresFor } from '../src/figures/index.ts';
import { renderSvg } from '../src/figures/render.ts';
import { describeConvSignature } from '../src/model/describe.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import { Result } from '../src/results/schema.ts';
import { trainModel } from '../src/model/train.ts';
import { computeSignatures, signatureOptions } from '../src/signatures/index.ts';
import { convSignatureOf } from '../src/spec/schema.ts';
import { tempDir, tinySpec } from './helpers.ts';

describe('conv signatures by PCA', () => {
  it('defaults to the spatial mean, and fills in the components of a pca choice', () => {
    expect(tinySpec().signatures.conv).toBeUndefined();
    expect(convSignatureOf(tinySpec())).toEqual({ kind: 'mean' });
    const spec = tinySpec({ model: { type: 'cnn', conv: [{ filters: 2 }], hidden: [4] }, signatures: { conv: { kind: 'pca' } } });
    expect(convSignatureOf(spec)).toEqual({ kind: 'pca', components: 16 });
  });

  it('reads a small CNN through the pipeline with conv signatures of the requested width', async () => {
    const spec = tinySpec({
      dataset: { classes: [1, 7], probes: [3], samplesPerClass: 80, outliers: 'none' },
      model: { type: 'cnn', conv: [{ filters: 3 }, { filters: 4, pool: false }], hidden: [6] },
      training: { epochs: 2, batchSize: 32, learningRate: 0.01 },
      signatures: { k: 3, restarts: 2, conv: { kind: 'pca', components: 5 } },
      analysis: { permutations: 20 },
    });
    const { tf } = await selectEngine('wasm');
    const data = loadData(spec.dataset);
    const trained = await trainModel(tf, spec, data, 1);
    const acts = await recordActivations(tf, trained.model, trained.hiddenLayers, data, undefined, activationOptions(spec));
    expect(acts.layers.map((l) => [l.name, l.units])).toEqual([
      ['input', 784],
      ['conv1', 5],
      ['conv2', 5],
      ['hidden1', 6],
      ['output', 2],
    ]);
    // conv1 is read before its pooling (28 × 28 × 3), conv2 on the pooled map (14 × 14 × 4).
    expect(acts.layers[1].reduction).toMatchObject({ method: 'pca', mapUnits: 28 * 28 * 3, fitRows: data.train.count });
    expect(acts.layers[2].reduction!.mapUnits).toBe(14 * 14 * 4);
    expect(acts.layers[3].reduction).toBeUndefined();
    // Fitted on the training rows: their scores are centred there, and the same seed gives the same numbers.
    const conv1 = acts.layers[1];
    for (let c = 0; c < 5; c++) {
      let s = 0;
      for (let r = 0; r < data.train.count; r++) s += conv1.values[r * 5 + c];
      expect(Math.abs(s / data.train.count)).toBeLessThan(1e-3);
    }
    const again = await recordActivations(tf, trained.model, trained.hiddenLayers, data, undefined, activationOptions(spec));
    expect(again.layers[1].values).toEqual(conv1.values);

    const sigs = computeSignatures(acts, signatureOptions(spec));
    const kernels = await Promise.all(trained.hiddenLayers.map((n) => outgoingWeights(trained.model, n)));
    const a = analyse(spec, data, acts, sigs, kernels, { curves: false });
    trained.model.dispose();
    // A component has no outgoing weight of its own: no specific path, said so; the dense layer keeps its own.
    const layer = (name: string) => a.layers.find((l) => l.name === name)!;
    for (const name of ['conv1', 'conv2']) {
      expect(layer(name).noSpecificPath).toMatch(/principal components/);
      expect(layer(name).classes.every((c) => c.specific.length === 0 && c.mean.length === 5)).toBe(true);
      expect(layer(name).pairs[0].jaccard).toBeNull();
      expect(layer(name).reduction).toEqual(acts.layers.find((l) => l.name === name)!.reduction);
    }
    expect(layer('hidden1').noSpecificPath).toBeUndefined();
    expect(layer('hidden1').reduction).toBeUndefined();
    expect(layer('hidden1').classes[0].specific.length).toBeGreaterThan(0);
    expect(a.paths.specificMatch).not.toBeNull();

    const run = { seed: 1, training: { history: [], samplesPerSecond: 0, testAccuracy: 0, confusion: [] }, ...a };
    const statistics = statisticsTable([run], { test: data.test.count, probe: () => 0 }, data.classes, []);
    const answer = signaturesAnswer({ spec, runs: [run], statistics, dataset: { names: {}, counts: [] } as never });
    // The headline is a whole-path share: it belongs to no layer.
    expect(answer.layer).toBeNull();
    expect(answer.statement).toMatch(/Their specific paths \(conv1, conv2, read by PCA, have none: a component is not a neuron\) overlap least at hidden1/);
    const shown = describeConvSignature(spec, [{ layers: acts.layers }]);
    expect(shown).toMatch(
      /top 5 principal components, fitted for each model on \d+ training inputs; they keep \d+ % of conv1's 2,352 values and \d+ % of conv2's 784 values of variance/,
    );
  });

  it('stores the reduction in the result, and every figure draws with the PCA layers marked', async () => {
    const spec = tinySpec({
      dataset: { classes: [1, 7], probes: [3], samplesPerClass: 60, outliers: 'none' },
      model: { type: 'cnn', conv: [{ filters: 2 }], hidden: [4] },
      training: { epochs: 1, batchSize: 32, learningRate: 0.01 },
      signatures: { k: 2, restarts: 1, conv: { kind: 'pca', components: 3 } },
      analysis: { permutations: 10 },
    });
    const { result } = await runExperiment({ id: 'pca', file: 'x', spec }, { resultsDir: tempDir(), backend: 'wasm' });
    expect(Result.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
    const conv1 = result.runs[0].layers.find((l) => l.name === 'conv1')!;
    expect(conv1).toMatchObject({ units: 3, reduction: { method: 'pca', mapUnits: 28 * 28 * 2 }, noSpecificPath: expect.any(String) });
    for (const def of figuresFor(result)) expect(renderSvg(def, result).startsWith('<svg'), def.name).toBe(true);
    const caption = (name: string) =>
      figuresFor(result)
        .find((f) => f.name === name)!
        .caption(result, 'en');
    expect(caption('specific-network')).toMatch(/Not drawn: conv1/);
    expect(caption('specific-overlap')).toMatch(/conv1: no Jaccard overlap/);
    expect(caption('signatures')).toMatch(/conv1: none, its 3 columns are principal components/);
  });
});
