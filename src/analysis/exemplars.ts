import { encodeInput } from '../data/image.ts';
import type { SeedRun } from '../results/schema.ts';
import { seededRandom, shuffle } from '../util/random.ts';
import type { Context } from './context.ts';

export type Exemplars = NonNullable<SeedRun['exemplars']>;

/** Example inputs kept per cluster. */
export const EXEMPLARS_PER_CLUSTER = 8;

/**
 * Up to `perCluster` example inputs of every cluster of every layer, from the
 * trained classes' training and test inputs (probes are left out).
 *
 * One seeded order of all those inputs serves every layer: each cluster keeps
 * its first members in that order, a uniform random sample of the cluster, and
 * the same digits recur from layer to layer, so that a reader can follow them
 * and each image is stored once.
 */
export function exemplars(ctx: Context, perCluster = EXEMPLARS_PER_CLUSTER): Exemplars {
  const order = shuffle([...ctx.rows.train, ...ctx.rows.test], seededRandom(ctx.spec.analysis.seed * 7919 + 503)) as number[];
  const slot = new Map<number, number>();
  const images: Exemplars['images'] = [];
  const clusters: Exemplars['clusters'] = [];
  for (const layer of ctx.sigs.layers) {
    const members = Array.from({ length: layer.k }, () => [] as number[]);
    let full = 0;
    for (const r of order) {
      const c = members[layer.assignments[r]];
      if (c.length >= perCluster) continue;
      c.push(r);
      if (c.length === perCluster && ++full === layer.k) break;
    }
    members.forEach((rows, cluster) => {
      const ids = rows.map((r) => {
        if (!slot.has(r)) {
          slot.set(r, images.length);
          images.push({ label: ctx.labels[r], pixels: encodeInput(ctx.data, r) });
        }
        return slot.get(r)!;
      });
      clusters.push({ layer: layer.name, cluster, images: ids });
    });
  }
  return { images, clusters };
}
