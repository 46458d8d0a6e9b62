import type { Activations } from '../activations/index.ts';
import type { Dataset } from '../data/types.ts';
import type { SeedRun } from '../results/schema.ts';
import { outputOf } from '../activations/index.ts';
import type { Signatures } from '../signatures/index.ts';
import { wilson } from '../stats/interval.ts';
import { pathKey, topPaths, trainingPathCounts } from './paths.ts';

/** Question 3, first cut: what the model makes of inputs of a class it never saw. */
export function analyseProbes(
  data: Dataset,
  acts: Activations,
  sigs: Signatures,
  labels: Int32Array,
  top: number,
): Omit<SeedRun['probes'][number], 'baselines'>[] {
  const training = trainingPathCounts(sigs, labels, acts);
  const seen = (i: number) => [...(training.get(pathKey(sigs.paths[i])) ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0);
  const probs = outputOf(acts);
  const nClasses = data.classes.length;
  return data.probes.map((label) => {
    const rows: number[] = [];
    for (let i = acts.ranges.probe[0]; i < acts.ranges.probe[1]; i++) if (labels[i] === label) rows.push(i);
    const votes = new Array(nClasses).fill(0);
    let confidence = 0;
    let seenCount = 0;
    for (const i of rows) {
      const p = probs.values.subarray(i * nClasses, (i + 1) * nClasses);
      let best = 0;
      for (let c = 1; c < nClasses; c++) if (p[c] > p[best]) best = c;
      votes[best]++;
      confidence += p[best];
      if (seen(i) > 0) seenCount++;
    }
    const n = rows.length;
    return {
      label,
      count: n,
      predicted: data.classes.map((c, ci) => ({ label: c, share: n ? votes[ci] / n : 0, interval: wilson(votes[ci], n) })),
      meanConfidence: n ? confidence / n : 0,
      seenPathShare: n ? seenCount / n : 0,
      seenPathInterval: wilson(seenCount, n),
      top: topPaths(sigs, rows, top).top.map((t) => ({ path: t.path, count: t.count, seenInTraining: seen(t.exampleIndex) })),
    };
  });
}
