import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { membership } from '../src/analysis/inputs.ts';
import { loadData } from '../src/data/index.ts';
import { inputIds } from '../src/data/ids.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import { readInputs, type InputsIndex, type SeedInputs } from '../src/results/inputs.ts';
import type { Result } from '../src/results/schema.ts';
import { rocAuc } from '../src/stats/auc.ts';
import { tempDir, tinySpec } from './helpers.ts';

// The per-input export: every stored input once, under an id that names its
// image, with the clusters, predictions, maps and scores the analysis
// computed, so that each summary in the result can be recomputed from it.

const spec = tinySpec({ seeds: [1, 2], dataset: { classes: [1, 7], probes: [3], samplesPerClass: 120 } });
const dir = tempDir();
let result: Result;
let index: InputsIndex;
let seeds: SeedInputs[];

beforeAll(async () => {
  result = (await runExperiment({ id: 'tiny', file: 'x', spec }, { resultsDir: dir, backend: 'wasm' })).result;
  const read = readInputs(dir, 'tiny', result.hash, result.seeds);
  if (!read.ok) throw new Error(read.reason);
  ({ index, seeds } = read);
});

describe('the per-input export', () => {
  it('holds every stored input once, train, test and probe, under an id naming its image', () => {
    const total = result.dataset.counts.reduce((s, c) => s + c.count, 0);
    expect(index.ids).toHaveLength(total);
    expect(new Set(index.ids).size).toBe(total);
    for (const split of ['train', 'test', 'probe'] as const) {
      const [a, b] = index.ranges[split];
      expect(b - a).toBe(result.dataset.counts.filter((c) => c.split === split).reduce((s, c) => s + c.count, 0));
    }
    for (const [i, id] of index.ids.entries()) {
      const [source, digit] = id.split(':');
      expect(source).toBe('mnist');
      expect(Number(digit)).toBe(index.labels[i]);
    }
    // The image an id names is the image stored for that row.
    const pixels = new Float32Array(readFileSync(join(dir, 'tiny', 'input.f32')).buffer.slice(0));
    const mnist = createRequire(import.meta.url)('mnist');
    for (const row of [0, index.ranges.test[0], index.ranges.probe[0], index.ids.length - 1]) {
      const [, digit, at] = index.ids[row].split(':').map(Number);
      const expected: number[] = mnist[digit].get(at);
      const stored = Array.from(pixels.subarray(row * 784, (row + 1) * 784));
      expect(stored.map((v) => Math.round(v * 255))).toEqual(expected.map((v) => Math.round(v * 255)));
    }
    expect(index.seeds).toEqual([1, 2]);
    expect(seeds.map((s) => s.seed)).toEqual([1, 2]);
  });

  it('gives the same ids on every build and for every seed list', async () => {
    expect(inputIds(loadData(spec.dataset))).toEqual(index.ids);
    const again = tempDir();
    const other = await runExperiment({ id: 'tiny', file: 'x', spec: { ...spec, seeds: [3] } }, { resultsDir: again, backend: 'wasm' });
    const read = readInputs(again, 'tiny', other.result.hash, [3]);
    expect(read.ok && read.index.ids).toEqual(index.ids);
  });

  it("recomputes the result's path flows and confusion matrix from the per-input clusters and predictions", () => {
    const hidden = index.layers.map((l, i) => [l, i] as const).filter(([l]) => l.kind === 'hidden');
    for (const [s, run] of result.runs.entries()) {
      const flows = new Map<string, number>();
      for (let i = 0; i < index.ids.length; i++)
        for (let h = 0; h + 1 < hidden.length; h++) {
          const key = `${h} ${seeds[s].clusters[hidden[h][1]][i]} ${seeds[s].clusters[hidden[h + 1][1]][i]} ${index.labels[i]}`;
          flows.set(key, (flows.get(key) ?? 0) + 1);
        }
      expect(Object.fromEntries(flows)).toEqual(Object.fromEntries(run.paths.flows.map((f) => [`${f.layer} ${f.from} ${f.to} ${f.label}`, f.count])));
      const [a, b] = index.ranges.test;
      for (const cell of run.training.confusion) {
        let n = 0;
        for (let i = a; i < b; i++) if (index.labels[i] === cell.actual && index.classes[seeds[s].prediction[i]] === cell.predicted) n++;
        expect(n, `${cell.actual} → ${cell.predicted}`).toBe(cell.count);
      }
    }
  });

  it('recomputes every stored out-of-distribution AUC from the per-input scores', () => {
    const [from] = index.scored;
    for (const [s, run] of result.runs.entries())
      for (const [li, layer] of run.layers.entries())
        for (const o of layer.ood) {
          const rows = Array.from({ length: index.ids.length - from }, (_, q) => q).filter((q) => {
            const r = from + q;
            return r < index.ranges.test[1] || index.labels[r] === o.probe;
          });
          const values = rows.map((q) => seeds[s].scores[li][index.scores.indexOf(o.score)][q] ?? NaN);
          const auc = rocAuc(
            values,
            rows.map((q) => from + q >= index.ranges.probe[0]),
          );
          // Scores are kept to five significant digits: a tie or two may move.
          expect(Math.abs(auc - o.auc), `${layer.name} ${o.score}`).toBeLessThan(2e-3);
        }
  });

  it("keeps each scored input's nearest training inputs, the k-th at its k-NN distance", () => {
    const k = index.neighbours;
    expect(k).toBe(spec.analysis.neighbours);
    const knn = index.scores.indexOf('knn');
    const pixels = new Float32Array(readFileSync(join(dir, 'tiny', 'input.f32')).buffer.slice(0));
    const s = seeds[0];
    for (const q of [0, 7, index.ids.length - index.scored[0] - 1]) {
      const near = s.neighbours[0].slice(q * k, (q + 1) * k);
      for (const r of near) expect(r).toBeLessThan(index.ranges.train[1]);
      const row = index.scored[0] + q;
      const dist = (t: number) => Math.hypot(...Array.from({ length: 784 }, (_, j) => pixels[row * 784 + j] - pixels[t * 784 + j]));
      const distances = near.map(dist);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      expect(distances[k - 1]).toBeCloseTo(s.scores[0][knn][q]!, 3);
    }
  });

  it("maps every input in 2-D, the figures' sample where the figure has it", () => {
    const figure = result.runs[0].projections!;
    const sample = index.projection.sample;
    expect(sample).toHaveLength(figure.rows.length);
    for (const [li, layer] of index.layers.entries()) {
      for (const method of ['pca', 'umap'] as const) {
        const mine = method === 'pca' ? seeds[0].pca[li] : seeds[0].umap[li];
        const theirs = figure.layers.find((l) => l.layer === layer.name && l.method === method);
        expect(Boolean(mine), `${layer.name} ${method}`).toBe(Boolean(theirs));
        if (!mine || !theirs) continue;
        expect(mine.x).toHaveLength(index.ids.length);
        for (const v of [...mine.x, ...mine.y]) expect(Number.isFinite(v)).toBe(true);
        const scale = Math.max(...theirs.x.map(Math.abs), ...theirs.y.map(Math.abs));
        sample.forEach((r, i) => {
          expect(Math.abs(mine.x[r] - theirs.x[i])).toBeLessThanOrEqual(scale * 2e-3);
          expect(Math.abs(mine.y[r] - theirs.y[i])).toBeLessThanOrEqual(scale * 2e-3);
        });
      }
    }
  });

  it('weighs UMAP neighbours as umap-learn does: strengths summing to log2 k, the nearest at 1', () => {
    const w = membership([0.5, 0.7, 0.9, 1.4, 2.0], Math.log2(5));
    expect(w[0]).toBe(1);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.log2(5), 4);
    for (let j = 1; j < w.length; j++) expect(w[j]).toBeLessThan(w[j - 1]);
    expect(Array.from(membership([1, 1, 1], Math.log2(3)))).toEqual([1, 1, 1]);
  });

  it('refuses an artifact of another result, or with a column of the wrong length, in one line', () => {
    expect(readInputs(dir, 'tiny', 'another-hash', result.seeds)).toMatchObject({ ok: false, reason: expect.stringContaining('another result') });
    expect(readInputs(dir, 'tiny', result.hash, [1])).toMatchObject({ ok: false });
    expect(readInputs(tempDir(), 'tiny', result.hash, [1])).toMatchObject({ ok: false, reason: expect.stringContaining('no per-input data') });
  });
});
