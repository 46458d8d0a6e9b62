import type { SeedRun } from '../results/schema.ts';
import { pca, type Pca } from '../stats/pca.ts';
import { nearestRows } from '../stats/knn.ts';
import { umapLayout } from '../stats/umap.ts';
import { seededRandom, shuffle } from '../util/random.ts';
import { gather, type Context } from './context.ts';

// Every layer's activations mapped to two dimensions, for the figures: a
// seeded sample of inputs, each layer by PCA (a linear view: distances and
// variances mean something) and by UMAP (a non-linear one: neighbourhoods do,
// sizes and gaps do not). The first seed only: the result stays small.

export type Projections = NonNullable<SeedRun['projections']>;

/** Inputs drawn per trained class (test split) and per probe label, at most… */
export const PROJECTION_PER_CLASS = 150;
/** …and fewer per class when there are many classes, to keep near this many points in all (figures of thousands of points weigh on the page). */
export const PROJECTION_TOTAL = 1000;
/** UMAP settings: 15 neighbours and min_dist 0.1 are the reference defaults; 200 epochs keep a layer to a fraction of a second. */
export const UMAP_SETTINGS = { neighbours: 15, epochs: 200, minDist: 0.1 };

/**
 * Seeded rows of each trained class's test inputs and of each probe label, in
 * row order: up to `perClass` of each, fewer when the groups are many (see
 * PROJECTION_TOTAL), never fewer than 30.
 */
export function projectionRows(ctx: Context, perClass = PROJECTION_PER_CLASS): number[] {
  const random = seededRandom(ctx.spec.analysis.seed * 7919 + 211);
  const byLabel = new Map<string, number[]>();
  for (const [split, rows] of [
    ['test', ctx.rows.test],
    ['probe', ctx.rows.probe],
  ] as const)
    for (const r of rows) {
      const key = `${split} ${ctx.labels[r]}`;
      if (!byLabel.has(key)) byLabel.set(key, []);
      byLabel.get(key)!.push(r);
    }
  // Keys in a fixed order, so that the draws do not depend on the data's order of labels.
  const keys = [...byLabel.keys()].sort();
  const each = Math.min(perClass, Math.max(30, Math.floor(PROJECTION_TOTAL / Math.max(1, keys.length))));
  return keys.flatMap((key) => (shuffle(byLabel.get(key)!, random) as number[]).slice(0, each)).sort((a, b) => a - b);
}

/** One layer's 2-D maps of the projection rows: the PCA fit, and the UMAP layout (null when there are too few rows or it failed). */
export interface LayerProjection {
  pca: Pca;
  /** PCA coordinates of the rows (zero where the layer has fewer than two components). */
  coordinates: [number[], number[]];
  umap: number[][] | null;
  /** UMAP's neighbours per row. */
  neighbours: number;
}

// The figures (first seed) and the per-input export (every seed) both ask for
// the same maps: each is computed once per layer's activations and rows.
const computed = new WeakMap<Float32Array, Map<string, LayerProjection>>();

/** PCA and UMAP of layer `li` at `rows` (projectionRows), computed once for whoever asks first. */
export function layerProjection(ctx: Context, li: number, rows: number[]): LayerProjection {
  const layer = ctx.acts.layers[li];
  const key = `${ctx.spec.analysis.seed} ${li} ${rows.join(',')}`;
  const byRows = computed.get(layer.values) ?? new Map<string, LayerProjection>();
  computed.set(layer.values, byRows);
  const hit = byRows.get(key);
  if (hit) return hit;
  const n = rows.length;
  const values = gather(layer, rows);
  const d = layer.units;
  // A looser tolerance than the default: a figure needs no more, and it bounds the time when the top variances nearly tie.
  const p = pca(values, n, d, 2, { seed: ctx.spec.analysis.seed, tolerance: 1e-6, maxIterations: 100 });
  const m = p.components.length;
  const coordinate = (c: number) => Array.from({ length: n }, (_, i) => (c < m ? p.scores[i * m + c] : 0));
  const coordinates: [number[], number[]] = [coordinate(0), coordinate(1)];
  const neighbours = Math.min(UMAP_SETTINGS.neighbours, n - 1);
  // UMAP needs a handful of inputs around each; too few and the layer has its PCA view only.
  let embedding: number[][] | null = null;
  if (neighbours >= 2) {
    embedding = umap(values, n, d, neighbours, coordinates, ctx.spec.analysis.seed * 7919 + 307 + li);
    if (!embedding.every((e) => Number.isFinite(e[0]) && Number.isFinite(e[1]))) embedding = null;
  }
  const out = { pca: p, coordinates, umap: embedding, neighbours };
  byRows.set(key, out);
  return out;
}

export function projections(ctx: Context, perClass = PROJECTION_PER_CLASS): Projections {
  const rows = projectionRows(ctx, perClass);
  const n = rows.length;
  const [testStart, testEnd] = ctx.acts.ranges.test;
  const layers: Projections['layers'] = [];
  const neighbours = Math.min(UMAP_SETTINGS.neighbours, n - 1);
  ctx.acts.layers.forEach((layer, li) => {
    const { pca: p, coordinates, umap: embedding } = layerProjection(ctx, li, rows);
    const [px, py] = rounded(coordinates[0], coordinates[1]);
    layers.push({ layer: layer.name, method: 'pca', x: px, y: py, explained: [p.explained[0] ?? 0, p.explained[1] ?? 0] });
    if (embedding) {
      const [ux, uy] = rounded(
        embedding.map((e) => e[0]),
        embedding.map((e) => e[1]),
      );
      layers.push({ layer: layer.name, method: 'umap', x: ux, y: uy });
    }
  });
  return {
    rows: rows.map((r) => ({ label: ctx.labels[r], split: r >= testStart && r < testEnd ? ('test' as const) : ('probe' as const) })),
    umap: { neighbours, epochs: UMAP_SETTINGS.epochs, minDist: UMAP_SETTINGS.minDist },
    layers,
  };
}

/**
 * A seeded 2-D UMAP of `n × d` rows. The neighbours are found exactly here
 * (ties by row), rather than by umap-js's approximate, randomised search:
 * exact is cheap at a few hundred rows and leaves only the layout to the seed.
 *
 * The layout starts from the PCA coordinates (`start`), scaled to ±10 with a
 * little seeded noise, as umap-learn's `init="pca"` does, rather than from
 * umap-js's uniform random start: from a random start, a few hundred epochs
 * leave one-dimensional layers (a two-class output) cut into many strands.
 */
function umap(values: Float32Array, n: number, d: number, neighbours: number, start: [number[], number[]], seed: number): number[][] {
  const { indices, distances } = exactNeighbours(values, n, d, neighbours);
  const random = seededRandom(seed);
  const largest = Math.max(1e-12, ...start[0].map(Math.abs), ...start[1].map(Math.abs));
  const y = umapLayout(indices, distances, {
    epochs: UMAP_SETTINGS.epochs,
    minDist: UMAP_SETTINGS.minDist,
    random,
    start: (i, c) => (10 * start[c][i]) / largest + 1e-4 * (random() * 2 - 1),
  });
  return Array.from({ length: n }, (_, i) => [y[2 * i], y[2 * i + 1]]);
}

/**
 * Each row's `k` nearest rows by Euclidean distance, itself first, as UMAP
 * expects: the k − 1 others with the smallest (squared distance, row), found
 * by the exact k-NN search of stats/knn.ts (a screened, then direct, double
 * precision search; the brute-force double loop it replaces took 5 % of a
 * nine-digit experiment's build).
 */
export function exactNeighbours(values: Float32Array, n: number, d: number, k: number): { indices: number[][]; distances: number[][] } {
  // Each row's own k nearest include itself, unless k rows before it duplicate it: then those k are the others.
  const near = nearestRows(values, n, values, n, d, k);
  const kk = near.k;
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let a = 0; a < n; a++) {
    const rows = [a];
    const dist = [0];
    for (let r = 0; r < kk && rows.length < k; r++) {
      const b = near.indices[a * kk + r];
      if (b === a) continue;
      rows.push(b);
      dist.push(near.distances[a * kk + r]);
    }
    indices.push(rows);
    distances.push(dist);
  }
  return { indices, distances };
}

/**
 * Coordinates to four significant digits of the layer's largest coordinate:
 * a point's place on a figure a few hundred pixels wide needs no more, and the
 * result stays small.
 */
export function rounded(x: number[], y: number[]): [number[], number[]] {
  const largest = Math.max(0, ...x.map(Math.abs), ...y.map(Math.abs));
  const digits = largest > 0 ? Math.max(0, Math.min(15, 3 - Math.floor(Math.log10(largest)))) : 0;
  const scale = 10 ** digits;
  const round = (v: number) => Math.round(v * scale) / scale + 0;
  return [x.map(round), y.map(round)];
}
