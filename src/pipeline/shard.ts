import type { ExperimentSpec } from '../spec/schema.ts';
import { seedsOf } from '../spec/schema.ts';

// Splitting a sweep over machines: `--shard I/N` runs the I-th of N shards.
// Which shard an experiment lands in depends only on the experiment files
// (their ids and estimated work), never on the machine, the time or the
// results already stored, so every machine of a sweep computes the same split.

export interface Shard {
  /** 1-based, as in `--shard 2/3`. */
  index: number;
  count: number;
}

/** Parses `I/N` (1 ≤ I ≤ N), or says what is wrong with it. */
export function parseShard(text: string): Shard | { error: string } {
  const m = /^([1-9]\d*)\/([1-9]\d*)$/.exec(text.trim());
  if (!m) return { error: `--shard takes I/N, the I-th of N shards counted from 1 (e.g. 2/3); got "${text}"` };
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (index > count) return { error: `--shard ${text}: there is no shard ${index} of ${count} (shards are counted from 1 to ${count})` };
  return { index, count };
}

/**
 * A rough measure of an experiment's work: inputs × seeds × how wide the
 * inputs are. It orders the experiments a machine runs (the largest first)
 * and balances the shards of a sweep.
 */
export function workOf(spec: ExperimentSpec): number {
  const classes = spec.dataset.classes.length + spec.dataset.probes.length;
  // The embedded set has about 1,000 digits per class.
  const perClass = spec.dataset.name === 'mnist' ? Math.min(spec.dataset.samplesPerClass, 1000) : spec.dataset.samplesPerClass;
  return classes * perClass * seedsOf(spec).length * (spec.model.type === 'cnn' ? 4 : 1);
}

/**
 * Assigns each experiment to one of `count` shards, balancing the estimated
 * work: the largest first, each to the shard with the least work so far (the
 * lowest-numbered on a tie), ties between experiments broken by id. An
 * experiment file that does not load (work 0) still belongs to one shard, so
 * that exactly one machine reports it. Returns each id's shard, 1-based.
 */
export function assignShards(items: ReadonlyArray<{ id: string; work: number }>, count: number): Map<string, number> {
  const load = new Array<number>(count).fill(0);
  const order = [...items].sort((a, b) => b.work - a.work || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shardOf = new Map<string, number>();
  for (const { id, work } of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    load[best] += work;
    shardOf.set(id, best + 1);
  }
  return shardOf;
}
