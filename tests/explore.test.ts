import { describe, expect, it } from 'vitest';
import { Inputs, SeedView } from '../src/explore/model.ts';
import { crossings, type Flow, layoutFlows } from '../src/figures/flow-layout.ts';
import { defaultState, formatHash, parseHash, type StateSpace } from '../src/explore/state.ts';
import type { InputsIndex, SeedInputs } from '../src/results/inputs.ts';
import { inputsCsv } from '../src/site/inputs.ts';

// The explorer's state in the URL and its data model, on a hand-made
// artifact: 2 training inputs, 2 test inputs, 2 probes; two hidden layers.

const space: StateSpace = { seeds: [1, 2], layers: ['input', 'hidden1', 'hidden2', 'output'], defaultLayer: 'hidden1', labels: [1, 7, 3] };

const index: InputsIndex = {
  format: 'chemins-inputs',
  version: 1,
  id: 'toy',
  hash: 'h',
  ranges: { train: [0, 2], test: [2, 4], probe: [4, 6] },
  scored: [2, 6],
  ids: ['mnist:1:0', 'mnist:7:0', 'mnist:1:1', 'mnist:7:1', 'mnist:3:0', 'mnist:3:1'],
  labels: [1, 7, 1, 7, 3, 3],
  layers: [
    { name: 'input', kind: 'input', k: 2 },
    { name: 'hidden1', kind: 'hidden', k: 2 },
    { name: 'hidden2', kind: 'hidden', k: 3 },
    { name: 'output', kind: 'output', k: 2 },
  ],
  classes: [1, 7],
  probes: [3],
  names: { '3': 'three, "quoted"' },
  seeds: [1],
  scores: ['mahalanobis', 'relative-mahalanobis', 'knn', 'centroid'],
  neighbours: 1,
  reference: 2,
  image: { width: 28, height: 28 },
  projection: { sample: [2, 3, 4, 5], umapNeighbours: 15, umapEpochs: 200, minDist: 0.1 },
  coverage: 0.5,
};

const four = (v: number[]) => [v, v.map((x) => x * 2), v, v];
const seed: SeedInputs = {
  seed: 1,
  prediction: [0, 1, 0, 0, 1, 0],
  probabilities: [0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.6, 0.4, 0.3, 0.7, 0.5, 0.5],
  clusters: [
    [0, 1, 0, 1, 0, 1],
    [0, 1, 0, 1, 1, 1],
    [2, 0, 2, 1, 0, 0],
    [0, 1, 0, 0, 1, 0],
  ],
  pca: Array.from({ length: 4 }, () => ({ x: [0, 1, 2, 3, 4, 5], y: [5, 4, 3, 2, 1, 0], explained: [0.5, 0.2] as [number, number] })),
  umap: [null, { x: [0, 1, 2, 3, 4, 5], y: [0, 0, 0, 0, 0, 0] }, null, null],
  scores: Array.from({ length: 4 }, () => four([1, 2, 5, 9])),
  baselines: { msp: [0.3, 0.4, 0.3, 0.5], energy: null, rarity: [1, 1, 2, 3] },
  neighbours: Array.from({ length: 4 }, () => [0, 1, 1, 0]),
  specific: [{ layer: 'hidden1', nearest: [1, 7, 1, 1, 7, 7], jaccard: [1, 1, 0.5, 0.4, 0.3, 0.2], own: [1, 1, 0.5, 0.1, null, null] }],
};

describe('the explorer state in the URL', () => {
  it('round-trips every part of a view, writing only what differs from the default', () => {
    expect(formatHash(defaultState(space), space)).toBe('#seed=1');
    const state = {
      ...defaultState(space),
      seed: 2,
      layer: 'hidden2',
      proj: 'umap' as const,
      input: 'mnist:7:12',
      sel: { kind: 'band' as const, layer: 'hidden1', from: 0, to: 3, label: 7 },
      hide: [3],
      probesOnly: true,
      wrongOnly: true,
      split: 'held-out' as const,
    };
    const hash = formatHash(state, space);
    expect(hash).toBe('#seed=2&layer=hidden2&proj=umap&input=mnist:7:12&sel=band:hidden1:0:3:7&hide=3&probes=1&wrong=1&split=held-out');
    expect(parseHash(hash, space)).toEqual(state);
    const brush = { ...defaultState(space), sel: { kind: 'brush' as const, layer: 'hidden1', proj: 'pca' as const, x0: -1.5, x1: 2.25, y0: 0, y1: 3 } };
    expect(parseHash(formatHash(brush, space), space)).toEqual(brush);
    expect(parseHash('#seed=1&sel=node:hidden2:4', space).sel).toEqual({ kind: 'node', layer: 'hidden2', cluster: 4 });
  });

  it('falls back to the default for whatever names nothing that exists', () => {
    const s = parseHash('#seed=9&layer=nope&proj=tsne&sel=band:hidden1:x:1:2&hide=1,abc,42&split=odd', space);
    expect(s).toEqual({ ...defaultState(space), hide: [1] });
    expect(parseHash('#sel=node:hidden9:1', space).sel).toBeNull();
    expect(parseHash('', space)).toEqual(defaultState(space));
  });
});

describe('the explorer data model', () => {
  const inputs = new Inputs(index);
  const view = new SeedView(inputs, seed);

  it('filters by class, split, probes and mistakes', () => {
    const all = defaultState(space);
    expect(Array.from(view.visible(all))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(view.visible({ ...all, hide: [7] }))).toEqual([0, 2, 4, 5]);
    expect(Array.from(view.visible({ ...all, probesOnly: true }))).toEqual([4, 5]);
    // Row 3 is a 7 predicted 1; probes are never wrong.
    expect(Array.from(view.visible({ ...all, wrongOnly: true }))).toEqual([3]);
    expect(Array.from(view.visible({ ...all, split: 'train' }))).toEqual([0, 1]);
    expect(Array.from(view.visible({ ...all, split: 'held-out' }))).toEqual([2, 3, 4, 5]);
  });

  it('counts flows as the paths-flow figure, and a band selects exactly its count', () => {
    const rows = view.visible(defaultState(space));
    const flows = view.flows(rows);
    expect(flows.reduce((s, f) => s + f.count, 0)).toBe(6);
    for (const f of flows) {
      const sel = view.select({ kind: 'band', layer: 'hidden1', from: f.from, to: f.to, label: f.label }, rows);
      expect(sel.length).toBe(f.count);
      for (const r of sel) expect(inputs.labels[r]).toBe(f.label);
    }
    expect(Array.from(view.select({ kind: 'node', layer: 'hidden2', cluster: 0 }, rows))).toEqual([1, 4, 5]);
    expect(Array.from(view.select({ kind: 'brush', layer: 'hidden1', proj: 'pca', x0: 1, x1: 3, y0: 0, y1: 10 }, rows))).toEqual([1, 2, 3]);
    expect(Array.from(view.select({ kind: 'brush', layer: 'hidden2', proj: 'umap', x0: 0, x1: 9, y0: 0, y1: 9 }, rows))).toEqual([]);
  });

  it('gives paths, most common paths, scores, percentiles and neighbours', () => {
    expect(view.path(3)).toEqual([1, 1]);
    expect(view.topPath(1)).toEqual({ path: [0, 2], count: 2, total: 2 });
    expect(view.score(0, 1, 0)).toBeNull();
    expect(view.score(4, 1, 2)).toBe(5);
    // Among the trained test inputs' Mahalanobis (1 and 2): 5 is above both, 1.5 between.
    expect(view.percentile(1, 0, 5)).toBe(1);
    expect(view.percentile(1, 0, 1.5)).toBe(0.5);
    expect(view.percentile(1, 0, 1)).toBe(0.25);
    expect(view.neighbours(0, 1)).toEqual([]);
    expect(view.neighbours(3, 1)).toEqual([1]);
    expect(view.predicted[3]).toBe(1);
    expect(view.wrong(3)).toBe(true);
    expect(view.wrong(4)).toBe(false);
  });

  it('writes inputs.csv with one row per input and seed, empty cells where a value is not defined, and quoted names', () => {
    const csv = inputsCsv(index, [seed, { ...seed, seed: 2 }]);
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(1 + 12);
    const header = lines[0].split(',');
    expect(header.slice(0, 9)).toEqual(['id', 'split', 'label', 'class', 'figure_sample', 'seed', 'predicted', 'predicted_class', 'correct']);
    expect(header).toContain('cluster_hidden2');
    expect(header).toContain('umap_x_hidden1');
    expect(header).toContain('relative_mahalanobis_output');
    expect(header).toContain('specific_own_hidden1');
    const row = (i: number) => Object.fromEntries(header.map((h, j) => [h, lines[1 + i].split(',')[j]]));
    expect(row(0)).toMatchObject({
      id: 'mnist:1:0',
      split: 'train',
      seed: '1',
      correct: 'true',
      path: '0-2',
      mahalanobis_hidden1: '',
      msp: '',
      figure_sample: 'false',
    });
    expect(row(3)).toMatchObject({
      id: 'mnist:7:1',
      split: 'test',
      predicted: '1',
      correct: 'false',
      mahalanobis_hidden1: '2',
      knn_hidden1: '2',
      msp: '0.4',
      energy: '',
      figure_sample: 'true',
    });
    expect(lines[5]).toContain('"three, ""quoted"""');
    expect(row(6)).toMatchObject({ id: 'mnist:1:0', seed: '2' });
  });
});

describe('the paths layout the figure and the explorer share', () => {
  it('counts weighted band crossings as the pairwise definition does', () => {
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let trial = 0; trial < 20; trial++) {
      const layers = 2 + Math.floor(random() * 3);
      const k = 2 + Math.floor(random() * 5);
      const flows: Flow[] = [];
      for (let l = 0; l + 1 < layers; l++)
        for (let a = 0; a < k; a++)
          for (let b = 0; b < k; b++)
            for (const label of [1, 7]) if (random() < 0.4) flows.push({ layer: l, from: a, to: b, label, count: 1 + Math.floor(random() * 50) });
      const layout = layoutFlows(layers, flows);
      const rank = new Map(layout.nodes.map((n) => [`${n.layer} ${n.cluster}`, n.rank]));
      let naive = 0;
      for (const a of layout.links)
        for (const b of layout.links) {
          if (a === b || a.layer !== b.layer) continue;
          const da = rank.get(`${a.layer} ${a.from}`)! - rank.get(`${b.layer} ${b.from}`)!;
          const db = rank.get(`${a.layer + 1} ${a.to}`)! - rank.get(`${b.layer + 1} ${b.to}`)!;
          if (da * db < 0) naive += a.count * b.count;
        }
      expect(crossings(layout)).toBe(naive / 2);
    }
  });
});
