import type { Activations } from '../activations/index.ts';
import type { Result } from '../results/schema.ts';
import type { Signatures } from '../signatures/index.ts';
import { ari } from '../stats/ari.ts';
import { linearCkaMatrix } from '../stats/cka.ts';
import { hungarian } from '../stats/hungarian.ts';
import { meanOverSeedPairs, type Bounds } from '../stats/seeds.ts';
import { AGREEMENT } from './agreement.ts';
import { pathKey } from './paths.ts';

export { AGREEMENT };

export interface SeedModel {
  acts: Activations;
  sigs: Signatures;
}

/** Mean over the pairs of seeds, its interval by the jackknife over seeds (pairs share seeds: they are not independent). */
const across = (values: number[], seeds: number, bounds: Bounds): Result['stability'][number]['cka'] => {
  const { value, interval } = meanOverSeedPairs(values, seeds, bounds);
  return { mean: value, interval, method: interval ? 'seeds' : 'none', values };
};

/** Share of inputs in clusters matched one to one between two clusterings (Hungarian, on shared members). */
export function matchedOverlap(a: Int32Array, b: Int32Array, rows: number[]): number {
  const ka = Math.max(...rows.map((r) => a[r])) + 1;
  const kb = Math.max(...rows.map((r) => b[r])) + 1;
  const shared = Array.from({ length: ka }, () => new Array<number>(kb).fill(0));
  for (const r of rows) shared[a[r]][b[r]]++;
  const transpose = ka > kb;
  const cost = transpose ? shared[0].map((_, j) => shared.map((row) => -row[j])) : shared.map((row) => row.map((v) => -v));
  const pairs = hungarian(cost);
  let total = 0;
  pairs.forEach((j, i) => {
    if (j >= 0) total += transpose ? shared[j][i] : shared[i][j];
  });
  return rows.length ? total / rows.length : 0;
}

/**
 * Do the seeds agree? Per layer, over every pair of seeds: the agreement of
 * cluster assignments and of paths so far (ARI), the share of inputs in
 * clusters matched one to one, and the CKA of the representations, which can
 * agree while the clusterings do not.
 */
export function stability(models: SeedModel[], rows: number[], seed: number): Result['stability'] {
  if (models.length < 2) return [];
  const layers = models[0].acts.layers;
  const out: Result['stability'] = [];
  let hiddenDepth = 0;
  layers.forEach((layer, li) => {
    if (layer.kind === 'input') return;
    if (layer.kind === 'hidden') hiddenDepth++;
    const depth = hiddenDepth;
    const clusterAri: number[] = [];
    const pathAri: number[] = [];
    const cka: number[] = [];
    const overlap: number[] = [];
    const pathIds = models.map((m) => {
      const ids = new Map<string, number>();
      return Int32Array.from(rows, (r) => {
        const key = pathKey(m.sigs.paths[r].subarray(0, depth));
        if (!ids.has(key)) ids.set(key, ids.size);
        return ids.get(key)!;
      });
    });
    const matrices = models.map((m) => {
      const l = m.acts.layers[li];
      const x = new Float32Array(rows.length * l.units);
      rows.forEach((r, i) => x.set(l.values.subarray(r * l.units, (r + 1) * l.units), i * l.units));
      return x;
    });
    // Each model's self-similarity is computed once for all its pairs.
    const ckaBetween = linearCkaMatrix(
      matrices.map((x) => ({ x, d: layer.units })),
      rows.length,
      seed,
    );
    for (let a = 0; a < models.length; a++)
      for (let b = a + 1; b < models.length; b++) {
        const sa = models[a].sigs.layers[li].assignments;
        const sb = models[b].sigs.layers[li].assignments;
        clusterAri.push(
          ari(
            Int32Array.from(rows, (r) => sa[r]),
            Int32Array.from(rows, (r) => sb[r]),
          ),
        );
        pathAri.push(ari(pathIds[a], pathIds[b]));
        cka.push(ckaBetween[a][b]);
        overlap.push(matchedOverlap(sa, sb, rows));
      }
    const n = models.length;
    const [ariB, pathB, overlapB, ckaB] = AGREEMENT.map((m) => [...m.bounds] as [number, number]);
    out.push({
      layer: layer.name,
      clusterAri: across(clusterAri, n, ariB),
      pathAri: across(pathAri, n, pathB),
      cka: across(cka, n, ckaB),
      matchedOverlap: across(overlap, n, overlapB),
    });
  });
  return out;
}
