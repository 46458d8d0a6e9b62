import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readTextFile } from '../util/read-file.ts';
import { OodScore } from './schema.ts';

// The per-input artifact: every stored input's id, split and label, and per
// seed its prediction, cluster at every layer, 2-D coordinates and
// out-of-distribution scores. Written by the pipeline beside the result
// (`results/<id>/inputs.json` and `results/<id>/seed-<n>/inputs.json`), in
// the same atomic swap as the other artifacts, and sealed to its result by
// the result's hash; the site publishes it (the explorer reads it as is) and
// turns it into `inputs.csv`. Columnar: one array per field, rows in the
// pipeline's order (train, test, probe), so that it stays a few bytes a value.

export const INPUTS_FORMAT = 'chemins-inputs';
export const INPUTS_VERSION = 1;

export const INPUTS_INDEX_FILE = 'inputs.json';
export const seedInputsFile = (seed: number) => `seed-${seed}/inputs.json`;
/** The inputs' pixels, `count × features` little-endian Float32. */
export const INPUT_PIXELS_FILE = 'input.f32';

/** The site refuses, unread, an index or a seed's file above this size. */
export const MAX_INPUTS_BYTES = 256 << 20;

const int = z.int();
const range = z.tuple([int.min(0), int.min(0)]);
/** A number where it is defined, null where not (NaN, an infinite score). */
const value = z.number().nullable();

export const InputsIndex = z.object({
  format: z.literal(INPUTS_FORMAT),
  version: z.literal(INPUTS_VERSION),
  id: z.string(),
  /** The hash of the result these inputs belong to: a stale artifact is refused. */
  hash: z.string(),
  ranges: z.object({ train: range, test: range, probe: range }),
  /** The rows that have out-of-distribution scores and neighbours: the held-out ones (test, then probe). */
  scored: range,
  /** Stable id of each input (src/data/ids.ts). */
  ids: z.array(z.string()),
  labels: z.array(int),
  layers: z.array(z.object({ name: z.string(), kind: z.enum(['input', 'hidden', 'output']), k: int.min(1) })),
  classes: z.array(int),
  probes: z.array(int),
  names: z.record(z.string(), z.string()),
  seeds: z.array(int).min(1),
  scores: z.array(OodScore),
  /** k of the k-NN score: neighbours kept per scored input and layer. */
  neighbours: int.min(0),
  /** Training inputs the neighbours are sought among (a seeded sample when there are more; the k-NN score's reference). */
  reference: int.min(0),
  image: z.object({ width: int.min(1), height: int.min(1) }),
  /** How the 2-D maps were made: fitted on the figures' `sample` of rows (their positions are the fit's), the other inputs placed on them. */
  projection: z.object({ sample: z.array(int.min(0)), umapNeighbours: int.min(0), umapEpochs: int.min(0), minDist: z.number() }),
  /** Coverage of a specific path (analysis.coverage). */
  coverage: z.number(),
});
export type InputsIndex = z.infer<typeof InputsIndex>;

const map = z.object({ x: z.array(z.number()), y: z.array(z.number()) });

export const SeedInputs = z.object({
  seed: int,
  /** Predicted class index (into `classes`) of every input. */
  prediction: z.array(int.min(0)),
  /** Class probabilities, `rows × classes` row-major, to 4 decimals. */
  probabilities: z.array(z.number()),
  /** Cluster of every input at each layer, input and output included (`layers` order). */
  clusters: z.array(z.array(int.min(0))),
  /** Each layer's PCA map of every input (fitted on the figures' sample), and the share of variance of its two axes. */
  pca: z.array(map.extend({ explained: z.tuple([z.number(), z.number()]) })),
  /** Each layer's UMAP map of every input (null where the layer has none). */
  umap: z.array(map.nullable()),
  /** Per layer, per score (`scores` order), each scored input's value. */
  scores: z.array(z.array(z.array(value))),
  /** The baselines per scored input: 1 − max softmax, energy (null without logits), path rarity −log((n + 1)/(N + 1)). */
  baselines: z.object({ msp: z.array(value), energy: z.array(value).nullable(), rarity: z.array(value) }),
  /** Per layer, each scored input's `neighbours` nearest reference training rows (row numbers, nearest first), flattened. */
  neighbours: z.array(z.array(int.min(0))),
  /**
   * Per hidden layer with specific paths: whose class's specific path each
   * input's own is nearest to (Jaccard), that Jaccard, and the Jaccard with
   * its own class's (null for a probe).
   */
  specific: z.array(z.object({ layer: z.string(), nearest: z.array(int), jaccard: z.array(z.number()), own: z.array(value) })),
});
export type SeedInputs = z.infer<typeof SeedInputs>;

/** The files of the artifact, named relative to `results/<id>/`. */
export function inputsFiles(index: InputsIndex | null, seed: SeedInputs): Record<string, string> {
  return { ...(index ? { [INPUTS_INDEX_FILE]: JSON.stringify(index) } : {}), [seedInputsFile(seed.seed)]: JSON.stringify(seed) };
}

export type InputsRead = { ok: true; index: InputsIndex; seeds: SeedInputs[] } | { ok: false; reason: string };

function readJson<T>(path: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; reason: string } {
  const read = readTextFile(path, MAX_INPUTS_BYTES);
  if (!read.ok) return { ok: false, reason: `${path} cannot be read: ${read.message}` };
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (err) {
    return { ok: false, reason: `${path} is not JSON (${(err as Error).message.slice(0, 200)})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${path} does not match the inputs schema (${issue?.path.join('.').slice(0, 120)}: ${issue?.message.slice(0, 200)})` };
  }
  return { ok: true, value: parsed.data };
}

/** Why `seed`'s columns do not fit the index, or null when they do. */
function mismatch(index: InputsIndex, seed: SeedInputs): string | null {
  const n = index.ids.length;
  const scored = index.scored[1] - index.scored[0];
  const L = index.layers.length;
  const C = index.classes.length;
  const checks: [boolean, string][] = [
    [seed.prediction.length === n && seed.prediction.every((p) => p < C), 'prediction'],
    [seed.probabilities.length === n * C, 'probabilities'],
    [seed.clusters.length === L && seed.clusters.every((c, l) => c.length === n && c.every((v) => v < index.layers[l].k)), 'clusters'],
    [seed.pca.length === L && seed.pca.every((m) => m.x.length === n && m.y.length === n), 'pca'],
    [seed.umap.length === L && seed.umap.every((m) => m === null || (m.x.length === n && m.y.length === n)), 'umap'],
    [seed.scores.length === L && seed.scores.every((s) => s.length === index.scores.length && s.every((v) => v.length === scored)), 'scores'],
    [seed.baselines.msp.length === scored && seed.baselines.rarity.length === scored && (seed.baselines.energy?.length ?? scored) === scored, 'baselines'],
    [
      seed.neighbours.length === L && seed.neighbours.every((r) => r.length === scored * index.neighbours && r.every((v) => v < index.ranges.train[1])),
      'neighbours',
    ],
    [seed.specific.every((s) => s.nearest.length === n && s.jaccard.length === n && s.own.length === n), 'specific'],
  ];
  const bad = checks.find(([ok]) => !ok);
  return bad ? `${bad[1]} does not hold one value per input` : null;
}

/**
 * Reads the per-input artifact of the result `id` with hash `hash` from
 * `results/<id>/`. Never throws: an artifact that is missing, damaged, of
 * another result or inconsistent is one line saying why, which the site
 * shows where the explorer would be.
 */
export function readInputs(resultsDir: string, id: string, hash: string, seeds: number[]): InputsRead {
  try {
    const dir = join(resultsDir, id);
    const indexPath = join(dir, INPUTS_INDEX_FILE);
    if (!existsSync(indexPath)) return { ok: false, reason: `no per-input data (${indexPath}): the result was computed before it was exported` };
    const index = readJson(indexPath, InputsIndex);
    if (!index.ok) return index;
    const ix = index.value;
    if (ix.id !== id || ix.hash !== hash) return { ok: false, reason: `${indexPath} belongs to another result than results/${id}.json` };
    const n = ix.ids.length;
    const r = ix.ranges;
    if (
      ix.labels.length !== n ||
      r.train[0] !== 0 ||
      r.train[1] !== r.test[0] ||
      r.test[1] !== r.probe[0] ||
      r.probe[1] !== n ||
      ix.scored[0] !== r.test[0] ||
      ix.scored[1] !== n
    )
      return { ok: false, reason: `${indexPath} has inconsistent rows` };
    if (new Set(ix.ids).size !== n) return { ok: false, reason: `${indexPath} has an id twice` };
    if (JSON.stringify(ix.seeds) !== JSON.stringify(seeds))
      return { ok: false, reason: `${indexPath} is of seeds ${ix.seeds.join(', ')}, the result of ${seeds.join(', ')}` };
    const out: SeedInputs[] = [];
    for (const seed of seeds) {
      const s = readJson(join(dir, seedInputsFile(seed)), SeedInputs);
      if (!s.ok) return s;
      const why = s.value.seed !== seed ? `it is seed ${s.value.seed}'s` : mismatch(ix, s.value);
      if (why) return { ok: false, reason: `${join(dir, seedInputsFile(seed))}: ${why}` };
      out.push(s.value);
    }
    return { ok: true, index: ix, seeds: out };
  } catch (err) {
    return { ok: false, reason: `the per-input data of ${id} cannot be read (${String((err as Error)?.message ?? err).slice(0, 200)})` };
  }
}

/** The raw inputs artifact (`results/<id>/input.f32`, `count × features` little-endian Float32), or null. */
export function readInputPixels(resultsDir: string, id: string, count: number, features: number): Float32Array | null {
  try {
    const path = join(resultsDir, id, INPUT_PIXELS_FILE);
    if (!existsSync(path)) return null;
    const st = statSync(path);
    if (!st.isFile() || st.size !== count * features * 4) return null;
    const bytes = readFileSync(path);
    if (bytes.byteLength !== count * features * 4) return null;
    const out = new Float32Array(count * features);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  } catch {
    return null;
  }
}
