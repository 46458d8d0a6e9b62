import { describe, expect, it } from 'vitest';
import { assignShards, parseShard, workOf } from '../src/pipeline/shard.ts';
import { loadExperiments } from '../src/spec/load.ts';
import { tinySpec } from './helpers.ts';

describe('--shard I/N', () => {
  it('reads I/N counted from 1, and says what is wrong otherwise', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '3', '1/0', 'a/b', '1/3/4', '-1/3', '1.5/3'])
      expect(parseShard(bad)).toHaveProperty('error', expect.stringMatching(/--shard takes I\/N/));
    expect(parseShard('4/3')).toEqual({ error: expect.stringMatching(/there is no shard 4 of 3/) });
  });

  it('estimates work from inputs, seeds and the model', () => {
    expect(workOf(tinySpec())).toBe(3 * 150 * 1);
    expect(workOf(tinySpec({ seeds: [1, 2, 3] }))).toBe(3 * 150 * 3);
    expect(workOf(tinySpec({ model: { type: 'cnn', conv: [{ filters: 4, kernel: 3, pool: true }], hidden: [8] } }))).toBe(3 * 150 * 4);
    // The embedded digits hold about 1,000 per class, whatever is asked.
    expect(workOf(tinySpec({ dataset: { classes: [1, 7], samplesPerClass: 5000 } }))).toBe(2 * 1000);
  });

  it('puts every experiment in exactly one shard, balanced by work, whatever order they are listed in', () => {
    const items = [
      { id: 'a', work: 50 },
      { id: 'b', work: 40 },
      { id: 'c', work: 30 },
      { id: 'd', work: 30 },
      { id: 'e', work: 20 },
      { id: 'f', work: 10 },
      { id: 'g', work: 0 },
    ];
    const shards = assignShards(items, 3);
    expect([...shards.keys()].sort()).toEqual(items.map((i) => i.id));
    // Largest first, each to the least loaded shard: a | b, f | c, d… in a fixed order.
    expect(Object.fromEntries(shards)).toEqual({ a: 1, b: 2, c: 3, d: 3, e: 2, f: 1, g: 1 });
    const load = [1, 2, 3].map((s) => items.filter((i) => shards.get(i.id) === s).reduce((sum, i) => sum + i.work, 0));
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(Math.max(...items.map((i) => i.work)));
    // Stable: the same split from any listing order, as each machine of a sweep lists its own files.
    for (let k = 0; k < items.length; k++) {
      const rotated = [...items.slice(k), ...items.slice(0, k)];
      expect(assignShards(rotated, 3)).toEqual(shards);
      expect(assignShards(rotated.reverse(), 3)).toEqual(shards);
    }
  });

  it('leaves shards empty when there are fewer experiments than shards, and never loses one', () => {
    const shards = assignShards([{ id: 'only', work: 5 }], 4);
    expect(Object.fromEntries(shards)).toEqual({ only: 1 });
    expect(assignShards([], 3).size).toBe(0);
  });

  it('splits the committed experiments into three shards of comparable work', () => {
    const outcomes = loadExperiments('experiments');
    const items = outcomes.flatMap((o) => (o.ok ? [{ id: o.experiment.id, work: workOf(o.experiment.spec) }] : []));
    expect(items.length).toBe(outcomes.length);
    const shards = assignShards(items, 3);
    const load = [1, 2, 3].map((s) => items.filter((i) => shards.get(i.id) === s).reduce((sum, i) => sum + i.work, 0));
    expect(load.every((l) => l > 0)).toBe(true);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(Math.max(...items.map((i) => i.work)));
  });
});
