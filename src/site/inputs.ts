import { statSync } from 'node:fs';
import { join } from 'node:path';
import { greyPng } from '../figures/png.ts';
import { pathKey } from '../analysis/paths.ts';
import { INPUT_PIXELS_FILE, readInputPixels, readInputs, type InputsIndex, type InputsRead, type SeedInputs } from '../results/inputs.ts';
import type { Result } from '../results/schema.ts';
import { cachedJson } from '../util/cache-store.ts';
import { treeDigest } from '../util/file-digest.ts';
import { nameOf } from '../util/format.ts';
import { inputsKey } from './cache-key.ts';
import { resultsDir } from './stored.ts';

// The site's side of the per-input artifact: read once per result, published
// as is for the explorer (/experiments/<id>/inputs/*.json), as one CSV with a
// seed column (/experiments/<id>/inputs.csv), and the inputs' images as one
// sprite sheet (/experiments/<id>/inputs.png).

const cache = new Map<string, InputsRead>();

/** The result's per-input data, or why there is none (one line). */
export function inputsOf(result: Result): InputsRead {
  let read = cache.get(result.id);
  if (!read) {
    read = readInputs(resultsDir(), result.id, result.hash, result.seeds);
    if (!read.ok) console.warn(`[chemins] ${result.id}: no explorer (${read.reason})`);
    cache.set(result.id, read);
  }
  return read;
}

/** Whether the result has its inputs' pixels for a sprite sheet (the size checked, not the bytes read). */
function hasInputPixels(result: Result, index: InputsIndex): boolean {
  try {
    const st = statSync(join(resultsDir(), result.id, INPUT_PIXELS_FILE));
    return st.isFile() && st.size === index.ids.length * index.image.width * index.image.height * 4;
  } catch {
    return false;
  }
}

export interface InputsCheck {
  ok: boolean;
  /** Why there is no per-input data (one line), when not ok. */
  reason?: string;
  /** Whether the inputs' pixels are there for a sprite sheet. */
  pixels: boolean;
}

let sources: string | undefined;

/**
 * Whether the result's per-input data can be published, without parsing it
 * where it was checked before: what `inputsOf` found is kept in the store
 * (src/util/cache-store.ts) under the digests of the files it read, of the
 * result and of every source file (which holds the checking code), so a page
 * that only links to the explorer, and a build that renders none of its
 * files, never parse the per-input files again.
 */
export function inputsAvailable(result: Result): InputsCheck {
  sources ??= treeDigest('src');
  const check = (): InputsCheck => {
    const read = inputsOf(result);
    return read.ok ? { ok: true, pixels: hasInputPixels(result, read.index) } : { ok: false, reason: read.reason, pixels: false };
  };
  return sources === 'none' ? check() : cachedJson('inputs-check', [sources, inputsKey(result), result.id, result.hash, JSON.stringify(result.seeds)], check);
}

/** The per-input data of a result that `inputsAvailable` found publishable (read now, once per build). */
export function publishedInputs(result: Result): { index: InputsIndex; seeds: SeedInputs[] } {
  const read = inputsOf(result);
  if (!read.ok) throw new Error(`[InputsChanged] ${result.id}: its per-input data changed during the build (${read.reason})`);
  return read;
}

/** Thumbnails per row of the sprite sheet. */
export const SPRITE_COLUMNS = 100;

/** Where input `row`'s thumbnail lies in the sprite sheet, in thumbnails. */
export const spriteCell = (row: number) => ({ column: row % SPRITE_COLUMNS, row: Math.floor(row / SPRITE_COLUMNS) });

/**
 * Every input's image as one grey PNG: `SPRITE_COLUMNS` per row, in the
 * inputs' order (row r at column r mod 100, line ⌊r / 100⌋), dark on light as
 * in the report's figures. Null when the stored pixels are missing.
 */
export function spriteSheet(result: Result, index: InputsIndex): Buffer | null {
  const { width, height } = index.image;
  const n = index.ids.length;
  const features = width * height;
  const pixels = readInputPixels(resultsDir(), result.id, n, features);
  if (!pixels) return null;
  const columns = Math.min(SPRITE_COLUMNS, Math.max(1, n));
  const lines = Math.max(1, Math.ceil(n / SPRITE_COLUMNS));
  const W = columns * width;
  const out = new Uint8Array(W * lines * height);
  for (let r = 0; r < n; r++) {
    const cell = spriteCell(r);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const v = pixels[r * features + y * width + x];
        out[(cell.row * height + y) * W + cell.column * width + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
  }
  return greyPng(out, W, lines * height);
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A column name from a layer or score name: letters, digits and underscores. */
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_');

/**
 * Every input, every seed, one row each (a `seed` column; the same `id` in
 * every seed's rows). Columns: id, split, label, class, figure_sample, seed,
 * predicted, predicted_class, correct, p_<class>, path, cluster_<layer>,
 * pca_x_<layer>, pca_y_<layer>, umap_x_<layer>, umap_y_<layer>,
 * <score>_<layer>, msp, energy, path_rarity, and per hidden layer with
 * specific paths specific_nearest_<layer>, specific_jaccard_<layer>,
 * specific_own_<layer>. Empty cells: not defined for that input (a training
 * input has no out-of-distribution score, a probe no correct class).
 */
export function inputsCsv(index: InputsIndex, seeds: SeedInputs[]): string {
  const name = (label: number) => nameOf(index.names, label);
  const layers = index.layers.map((l) => slug(l.name));
  const hidden = index.layers.flatMap((l, i) => (l.kind === 'hidden' ? [i] : []));
  const specific = seeds[0]?.specific.map((s) => slug(s.layer)) ?? [];
  const columns = [
    'id',
    'split',
    'label',
    'class',
    'figure_sample',
    'seed',
    'predicted',
    'predicted_class',
    'correct',
    ...index.classes.map((c) => `p_${slug(String(c))}`),
    'path',
    ...layers.map((l) => `cluster_${l}`),
    ...layers.flatMap((l) => [`pca_x_${l}`, `pca_y_${l}`, `umap_x_${l}`, `umap_y_${l}`]),
    ...layers.flatMap((l) => index.scores.map((s) => `${slug(s)}_${l}`)),
    'msp',
    'energy',
    'path_rarity',
    ...specific.flatMap((l) => [`specific_nearest_${l}`, `specific_jaccard_${l}`, `specific_own_${l}`]),
  ];
  const lines = [columns.join(',')];
  const n = index.ids.length;
  const C = index.classes.length;
  const split = (r: number) => (r < index.ranges.train[1] ? 'train' : r < index.ranges.test[1] ? 'test' : 'probe');
  const inSample = new Set(index.projection.sample);
  const [from] = index.scored;
  for (const s of seeds) {
    for (let r = 0; r < n; r++) {
      const label = index.labels[r];
      const predicted = index.classes[s.prediction[r]];
      const trained = index.classes.includes(label);
      const q = r - from;
      const scored = q >= 0;
      const row: unknown[] = [
        index.ids[r],
        split(r),
        label,
        name(label),
        inSample.has(r),
        s.seed,
        predicted,
        name(predicted),
        trained ? predicted === label : null,
        ...Array.from({ length: C }, (_, c) => s.probabilities[r * C + c]),
        pathKey(hidden.map((l) => s.clusters[l][r])),
        ...s.clusters.map((c) => c[r]),
        ...index.layers.flatMap((_, l) => [s.pca[l].x[r], s.pca[l].y[r], s.umap[l]?.x[r] ?? null, s.umap[l]?.y[r] ?? null]),
        ...s.scores.flatMap((layer) => layer.map((values) => (scored ? values[q] : null))),
        scored ? s.baselines.msp[q] : null,
        scored ? (s.baselines.energy?.[q] ?? null) : null,
        scored ? s.baselines.rarity[q] : null,
        ...s.specific.flatMap((sp) => [sp.nearest[r], sp.jaccard[r], sp.own[r]]),
      ];
      lines.push(row.map(cell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
