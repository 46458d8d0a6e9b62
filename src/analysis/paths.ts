import type { Activations } from '../activations/index.ts';
import type { Dataset } from '../data/types.ts';
import { encodeInput } from '../data/image.ts';
import type { SeedRun } from '../results/schema.ts';
import type { Signatures } from '../signatures/index.ts';
import { wilson } from '../stats/interval.ts';

/** The path's clusters joined by '-' (as `Array.from(p).join('-')`, without the array: keys are made for every input and layer). */
export const pathKey = (p: ArrayLike<number>): string => {
  let key = p.length ? String(p[0]) : '';
  for (let i = 1; i < p.length; i++) key += `-${p[i]}`;
  return key;
};

/** How many training inputs of each label took each path. */
export function trainingPathCounts(sigs: Signatures, labels: Int32Array, acts: Activations): Map<string, Map<number, number>> {
  const counts = new Map<string, Map<number, number>>();
  for (let i = acts.ranges.train[0]; i < acts.ranges.train[1]; i++) {
    const key = pathKey(sigs.paths[i]);
    const byLabel = counts.get(key) ?? new Map<number, number>();
    byLabel.set(labels[i], (byLabel.get(labels[i]) ?? 0) + 1);
    counts.set(key, byLabel);
  }
  return counts;
}

function majority(byLabel: Map<number, number> | undefined): number | null {
  if (!byLabel) return null;
  let best: number | null = null;
  let bestN = -1;
  for (const [label, n] of byLabel) if (n > bestN || (n === bestN && best !== null && label < best)) [best, bestN] = [label, n];
  return best;
}

/** The most common paths of the inputs at `rows`, with one example input each. */
export function topPaths(sigs: Signatures, rows: number[], top: number) {
  const groups = new Map<string, { path: number[]; count: number; exampleIndex: number }>();
  for (const i of rows) {
    const key = pathKey(sigs.paths[i]);
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { path: Array.from(sigs.paths[i]), count: 1, exampleIndex: i });
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || pathKey(a.path).localeCompare(pathKey(b.path)));
  return { distinct: groups.size, top: sorted.slice(0, top) };
}

/** Question 2, first cut: the paths each class takes, and whether they are its own. */
export function analysePaths(
  data: Dataset,
  acts: Activations,
  sigs: Signatures,
  labels: Int32Array,
  top: number,
): Omit<SeedRun['paths'], 'stats' | 'specificMatch'> {
  const training = trainingPathCounts(sigs, labels, acts);
  const rowsOf = (label: number) => labels.reduce<number[]>((rows, l, i) => (l === label ? (rows.push(i), rows) : rows), []);
  const byClass = [
    ...data.classes.map((label) => ({ label, role: 'trained' as const })),
    ...data.probes.map((label) => ({ label, role: 'probe' as const })),
  ].map(({ label, role }) => {
    const rows = rowsOf(label);
    const { distinct, top: paths } = topPaths(sigs, rows, top);
    return { label, role, total: rows.length, distinct, top: paths.map((p) => ({ path: p.path, count: p.count, example: encodeInput(data, p.exampleIndex) })) };
  });
  const flowCounts = new Map<string, number>();
  for (let i = 0; i < acts.count; i++) {
    const p = sigs.paths[i];
    for (let l = 0; l + 1 < p.length; l++) {
      const key = `${l} ${p[l]} ${p[l + 1]} ${labels[i]}`;
      flowCounts.set(key, (flowCounts.get(key) ?? 0) + 1);
    }
  }
  const flows = [...flowCounts].map(([key, count]) => {
    const [layer, from, to, label] = key.split(' ').map(Number);
    return { layer, from, to, label, count };
  });
  flows.sort((a, b) => a.layer - b.layer || a.from - b.from || a.to - b.to || a.label - b.label);
  const ownPathShare = data.classes.map((label) => {
    let own = 0;
    let n = 0;
    for (let i = acts.ranges.test[0]; i < acts.ranges.test[1]; i++) {
      if (labels[i] !== label) continue;
      n++;
      if (majority(training.get(pathKey(sigs.paths[i]))) === label) own++;
    }
    return { label, share: n ? own / n : 0, interval: wilson(own, n), n };
  });
  return { layers: sigs.layers.filter((l) => l.kind === 'hidden').map((l) => l.name), byClass, flows, ownPathShare };
}

/** Predicted class index of every input, from the output layer's probabilities. */
export function predictions(acts: Activations): Int32Array {
  const out = acts.layers[acts.layers.length - 1];
  const c = out.units;
  const pred = new Int32Array(acts.count);
  for (let i = 0; i < acts.count; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (out.values[i * c + j] > out.values[i * c + best]) best = j;
    pred[i] = best;
  }
  return pred;
}

/**
 * Cluster-path statistics (PathFinder, Irsoy & Alpaydin 2022; Cluster Paths,
 * Kroeger & Bindschaedler 2025) over the trained classes' inputs: how many
 * paths there are, how many cover 90 % of inputs, how pure they are, and how
 * often a path's majority class is what the model predicts.
 */
export function pathStats(sigs: Signatures, labels: Int32Array, rows: number[], predicted: Int32Array, classes: number[]) {
  const groups = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const key = pathKey(sigs.paths[r]);
    const byLabel = groups.get(key) ?? new Map<number, number>();
    byLabel.set(labels[r], (byLabel.get(labels[r]) ?? 0) + 1);
    groups.set(key, byLabel);
  }
  const sizes = [...groups.values()].map((m) => [...m.values()].reduce((a, b) => a + b, 0)).sort((a, b) => b - a);
  let covered = 0;
  let cover90 = 0;
  while (covered < 0.9 * rows.length && cover90 < sizes.length) covered += sizes[cover90++];
  let pure = 0;
  for (const m of groups.values()) pure += Math.max(...m.values());
  let agree = 0;
  for (const r of rows) if (classes[predicted[r]] === majority(groups.get(pathKey(sigs.paths[r])))) agree++;
  return { distinct: groups.size, cover90, weightedPurity: rows.length ? pure / rows.length : 0, predictionAgreement: rows.length ? agree / rows.length : 0 };
}
