import type { Answer, Result, SeedRun } from '../results/schema.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { aucInterval } from '../stats/auc.ts';
import { wilson } from '../stats/interval.ts';
import { meanInterval } from '../stats/summary.ts';
import { nameOf, pct } from '../util/format.ts';

// The three answers, from the numbers of every seed: a value, its 95 %
// interval (across seeds when there are several), the layer it names, and a
// sentence generated from those numbers, never typed in.

const ci = ([lo, hi]: [number, number]) => `95 % CI ${pct(lo)}–${pct(hi)}`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;


/** Mean and interval of a per-seed value; one seed (or a seed-independent value) falls back to Wilson on `n`. */
function summarise(values: number[], n: number, seedIndependent = false): Pick<Answer, 'value' | 'interval' | 'intervalKind' | 'values'> {
  const m = mean(values);
  if (values.length >= 2 && !seedIndependent) return { value: m, interval: meanInterval(values).interval, intervalKind: 'seeds', values };
  return { value: m, interval: wilson(Math.round(m * n), n), intervalKind: 'wilson', values };
}

/** Per layer, statistic → mean across seeds (layers in order). */
export function layerMeans(runs: SeedRun[], stat: (l: SeedRun['layers'][number]) => number): number[] {
  return runs[0].layers.map((_, li) => mean(runs.map((r) => stat(r.layers[li]))));
}

/** "1s and 7s", or "the 9 trained classes" when there are many. */
function classList(spec: ExperimentSpec, names: Record<string, string>, plural = false): string {
  const c = spec.dataset.classes;
  if (c.length > 3) return `the ${c.length} trained classes`;
  const shown = c.map((l) => `${nameOf(names, l)}${plural ? 's' : ''}`);
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

export function separationAnswer(spec: ExperimentSpec, runs: SeedRun[], testCount: number, labels: Record<string, string> = {}): Answer {
  const { separationThreshold: threshold, nmiThreshold } = spec.analysis;
  const layers = runs[0].layers;
  const probe = layerMeans(runs, (l) => l.probeAccuracy);
  const nmi = layerMeans(runs, (l) => l.atClasses.nmi);
  const first = probe.findIndex((v) => v >= threshold);
  const firstClusters = nmi.findIndex((v) => v >= nmiThreshold);
  const names = classList(spec, labels);
  const clusterText =
    firstClusters < 0
      ? `no layer's clusters (k = ${spec.dataset.classes.length}) reach NMI ${nmiThreshold}`
      : `clusters at k = ${spec.dataset.classes.length} follow the labels (NMI ${nmi[firstClusters].toFixed(2)} ≥ ${nmiThreshold}) from ${layers[firstClusters].name}`;
  if (first < 0) {
    const best = probe.indexOf(Math.max(...probe));
    return {
      question: 'separation',
      ...summarise(runs.map((r) => r.layers[best].probeAccuracy), testCount),
      unit: 'linear-probe test accuracy',
      layer: null,
      statement: `No layer separates ${names} past the ${pct(threshold)} threshold: the best linear probe reaches ${pct(probe[best])} at ${layers[best].name}; ${clusterText}.`,
      figure: 'separation',
    };
  }
  const layer = layers[first];
  const s = summarise(runs.map((r) => r.layers[first].probeAccuracy), testCount, layer.kind === 'input');
  const statement =
    layer.kind === 'input'
      ? `The raw pixels already separate ${names}: a linear probe on the input reaches ${pct(s.value)} test accuracy (${ci(s.interval)}), past the ${pct(threshold)} threshold, so no hidden layer is needed for it; ${clusterText}.`
      : `A linear probe separates ${names} from ${layer.name} on, at ${pct(s.value)} test accuracy (${ci(s.interval)}${s.intervalKind === 'seeds' ? ` over ${runs.length} seeds` : ''}) against ${pct(probe[0])} on the raw pixels; ${clusterText}.`;
  return { question: 'separation', ...s, unit: 'linear-probe test accuracy', layer: layer.name, statement, figure: 'separation' };
}

export function signaturesAnswer(spec: ExperimentSpec, runs: SeedRun[], names: Record<string, string>): Answer {
  const own = runs.map((r) => {
    const n = r.paths.ownPathShare.reduce((s, c) => s + c.n, 0);
    return n ? r.paths.ownPathShare.reduce((s, c) => s + c.share * c.n, 0) / n : 0;
  });
  const n = runs[0].paths.ownPathShare.reduce((s, c) => s + c.n, 0);
  const s = summarise(own, n);
  const hidden = runs[0].layers.map((l, i) => [l, i] as const).filter(([l]) => l.kind === 'hidden');
  // Conv layers read by PCA have no specific path: the overlap is measured on the others.
  const withPaths = hidden.filter(([l]) => !l.noSpecificPath);
  const jaccard = withPaths.map(([, i]) => mean(runs.flatMap((r) => r.layers[i].pairs.map((p) => p.jaccard ?? 0))));
  const cosine = hidden.map(([, i]) => mean(runs.flatMap((r) => r.layers[i].pairs.map((p) => p.cosine))));
  const maxP = Math.max(...runs.flatMap((r) => hidden.map(([, i]) => r.layers[i].permutation?.p ?? 1)));
  const most = jaccard.indexOf(Math.min(...jaccard));
  const least = most < 0 ? null : withPaths[most][0].name;
  const skipped = hidden.length - withPaths.length;
  const skipNote = skipped ? ` (the ${skipped} conv layer${skipped > 1 ? 's' : ''} read by PCA ha${skipped > 1 ? 've' : 's'} none: a component is not a neuron)` : '';
  const classes = classList(spec, names, true);
  // A layer counts as different only when every seed's permutation test says so.
  const significant = hidden.filter(([, i]) => runs.every((r) => (r.layers[i].permutation?.p ?? 1) < 0.05)).length;
  const differ =
    significant === hidden.length
      ? `differ at every hidden layer (cosine distance between class means ${Math.min(...cosine).toFixed(2)}–${Math.max(...cosine).toFixed(2)}; permutation test p ≤ ${maxP.toFixed(3)} at every layer and seed, with ${spec.analysis.permutations} shuffles)`
      : `differ beyond chance (permutation test p < 0.05 in every seed, ${spec.analysis.permutations} shuffles) at ${significant} of ${hidden.length} hidden layers (cosine distance between class means ${Math.min(...cosine).toFixed(2)}–${Math.max(...cosine).toFixed(2)})`;
  const statement =
    `${pct(s.value)} of test inputs (${ci(s.interval)}) follow a cluster path taken mostly by their own class in training. ` +
    `The signatures of ${classes} ${differ}; ` +
    (least === null
      ? `no hidden layer has specific paths${skipNote}.`
      : `their specific paths${skipNote} overlap least at ${least} (Jaccard ${jaccard[most].toFixed(2)}), and an input's own specific path is closest to its class's for ${pct(mean(runs.map((r) => r.paths.specificMatch ?? 0)))} of test inputs.`);
  return { question: 'signatures', ...s, unit: 'share of test inputs on their own class path', layer: least, statement, figure: 'specific-overlap' };
}

export function unseenAnswer(spec: ExperimentSpec, runs: SeedRun[], names: Record<string, string>, testCount: number): Answer | null {
  const probe = runs[0].probes.find((p) => p.label >= 0) ?? runs[0].probes[0];
  if (!probe || probe.count === 0) return null;
  const label = probe.label;
  const layers = runs[0].layers;
  const scores = ['mahalanobis', 'knn', 'centroid'] as const;
  let best = { layer: 0, score: scores[0] as (typeof scores)[number], auc: -1 };
  layers.forEach((_, li) => {
    for (const score of scores) {
      const auc = mean(runs.map((r) => r.layers[li].ood.find((o) => o.probe === label && o.score === score)?.auc ?? 0));
      if (auc > best.auc) best = { layer: li, score, auc };
    }
  });
  const values = runs.map((r) => r.layers[best.layer].ood.find((o) => o.probe === label && o.score === best.score)!.auc);
  // The raw input is the same for every seed: its AUC has no spread across seeds, only sampling error.
  const seedIndependent = layers[best.layer].kind === 'input';
  const s =
    values.length >= 2 && !seedIndependent
      ? { value: mean(values), interval: meanInterval(values).interval, intervalKind: 'seeds' as const, values }
      : { value: mean(values), interval: aucInterval(mean(values), probe.count, testCount), intervalKind: 'hanley-mcneil' as const, values };
  const pred = spec.dataset.classes.map((c) => [c, mean(runs.map((r) => r.probes.find((p) => p.label === label)!.predicted.find((q) => q.label === c)!.share))] as const);
  const top = pred.reduce((a, b) => (b[1] > a[1] ? b : a));
  const msp = mean(runs.map((r) => r.probes.find((p) => p.label === label)!.baselines.msp));
  const rarity = mean(runs.map((r) => r.probes.find((p) => p.label === label)!.baselines.pathRarity));
  const hidden = layers.filter((l) => l.kind === 'hidden');
  const left = hidden.map((l) => mean(runs.map((r) => r.layers.find((x) => x.name === l.name)!.leftPaths.find((p) => p.probe === label)?.share ?? 0)));
  const leaves = left.findIndex((v) => v > 0.5);
  const seen = mean(runs.map((r) => r.probes.find((p) => p.label === label)!.seenPathShare));
  const name = nameOf(names, label);
  const far = runs[0].probes.find((p) => p.label < 0);
  const farText = far
    ? ` Far outliers (${nameOf(names, far.label)}) are told apart at AUC ${mean(runs.map((r) => Math.max(...r.layers.map((l) => l.ood.find((o) => o.probe === far.label && o.score === best.score)?.auc ?? 0)))).toFixed(3)} at best.`
    : '';
  const statement =
    `Shown ${probe.count} images of ${name}, a class it never saw, the model calls ${pct(top[1])} of them ${nameOf(names, top[0])}. ` +
    `${seedIndependent ? 'The raw pixels give them away best, better than any layer of the model' : `Their activations give them away best at ${layers[best.layer].name}`}: the ${best.score} distance tells them from the trained classes' test inputs with ROC AUC ${s.value.toFixed(3)} (95 % CI ${s.interval[0].toFixed(3)}–${s.interval[1].toFixed(3)}${s.intervalKind === 'seeds' ? ` over ${runs.length} seeds` : ''}), against ${msp.toFixed(3)} for the maximum softmax probability and ${rarity.toFixed(3)} for the rarity of their cluster path. ` +
    (leaves < 0
      ? `Their paths mostly stay on routes of the trained classes: ${pct(seen)} of them take a whole path that training inputs also took.`
      : `Their paths first leave the training routes at ${hidden[leaves].name}, where ${pct(left[leaves])} of them take a route no training input took.`) +
    farText;
  return { question: 'unseen', ...s, unit: `ROC AUC, ${name} against trained classes`, layer: layers[best.layer].name, statement, figure: 'ood-auc' };
}

/** Per-layer statistics across seeds, for the curve figures. */
export function layerCurves(runs: SeedRun[]): Result['curves'] {
  const stats: [string, (l: SeedRun['layers'][number]) => number | null][] = [
    ['probe accuracy', (l) => l.probeAccuracy],
    ['k-NN accuracy', (l) => l.knnAccuracy],
    ['NMI (k = classes)', (l) => l.atClasses.nmi],
    ['NMI', (l) => l.nmi],
    ['ARI', (l) => l.ari],
    ['purity', (l) => l.purity.test],
    ['silhouette', (l) => l.silhouette],
  ];
  const out: Result['curves'] = [];
  runs[0].layers.forEach((layer, li) => {
    for (const [statistic, f] of stats) {
      const values = runs.map((r) => f(r.layers[li])).filter((v): v is number => v !== null && Number.isFinite(v));
      if (values.length === 0) continue;
      const { mean: m, interval } = meanInterval(values);
      out.push({ layer: layer.name, statistic, value: { mean: m, interval, values } });
    }
  });
  return out;
}
