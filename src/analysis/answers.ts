import type { Answer, Fact, Result, SeedRun } from '../results/schema.ts';
import { nameOf } from '../util/format.ts';
import { formatStat, methodText, SCORE_LABELS, statisticOf, statSource, storedStat } from './catalogue.ts';
import { SCORES, type ScoreName } from './ood.ts';

// The three answers, built from the stored statistics (`Result.statistics`):
// every number a statement prints is a stored value, formatted by the
// catalogue, and listed with where it is stored (`facts`), so a test can
// recompute each one. Nothing is typed in.

/** What the answers read: the result without its answers. */
export type Draft = Pick<Result, 'spec' | 'dataset' | 'runs' | 'statistics'>;

type Where = { layer?: string | null; probe?: number | null; class?: number | null };

/** A statement under construction: each number goes in through it, and is recorded as a fact. */
class Facts {
  readonly list: Fact[] = [];
  private readonly r: Draft;
  constructor(r: Draft) {
    this.r = r;
  }

  /** A stored statistic's estimate (or an end of its interval), as printed. */
  stat(id: string, where: Where, field: 'mean' | 'lo' | 'hi' = 'mean'): string {
    const e = storedStat(this.r, id, where);
    if (!e) throw new Error(`answers: no stored ${id} at ${JSON.stringify(where)}`);
    const value = field === 'mean' ? e.value.mean : e.value.interval![field === 'lo' ? 0 : 1];
    return this.add(formatStat(id, value), value, statSource(id, where, field));
  }

  /** "95 % CI lo–hi, how" for a stored statistic, or says it has none. */
  ci(id: string, where: Where): string {
    const e = storedStat(this.r, id, where)!;
    if (!e.value.interval) return 'no interval: one sample, and no interval over inputs for this statistic';
    const how = e.value.method === 'seeds' ? `over ${this.num(this.r.runs.length, String(this.r.runs.length), 'seeds.length')} seeds` : methodText(e.value.method, this.r.runs.length);
    return `95 % CI ${this.stat(id, where, 'lo')}–${this.stat(id, where, 'hi')}, ${how}`;
  }

  /** Any other stored number, with its source. */
  num(value: number, text: string, source: string): string {
    return this.add(text, value, source);
  }

  private add(text: string, value: number, source: string): string {
    this.list.push({ text, value, source });
    return text;
  }
}

/** The level at which a permutation test counts as significant: a convention, printed as is. */
export const SIGNIFICANCE = 0.05;

const value = (r: Draft, id: string, where: Where) => storedStat(r, id, where)?.value;

/** "1s and 7s", or "the 9 trained classes" when there are many. */
function classList(r: Draft, f: Facts, plural = false): string {
  const c = r.spec.dataset.classes;
  if (c.length > 3) return `the ${f.num(c.length, String(c.length), 'dataset.classes.length')} trained classes`;
  const shown = c.map((l) => `${nameOf(r.dataset.names, l)}${plural ? 's' : ''}`);
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function headline(r: Draft, question: Answer['question'], id: string, where: Where, unit: string, figure: string, statement: string, f: Facts): Answer {
  const e = storedStat(r, id, where)!;
  return { question, statistic: id, value: e.value.mean, interval: e.value.interval, intervalKind: e.value.method, values: e.value.values, unit, layer: where.layer ?? null, statement, figure, facts: f.list };
}

export function separationAnswer(r: Draft): Answer {
  const f = new Facts(r);
  const { separationThreshold: threshold, nmiThreshold } = r.spec.analysis;
  const layers = r.runs[0].layers.map((l) => l.name);
  const probe = layers.map((layer) => value(r, 'probeAccuracy', { layer })!.mean);
  const nmi = layers.map((layer) => value(r, 'nmiAtClasses', { layer })?.mean ?? NaN);
  const first = probe.findIndex((v) => v >= threshold);
  const firstClusters = nmi.findIndex((v) => v >= nmiThreshold);
  const names = classList(r, f, true);
  const t = f.num(threshold, `${(100 * threshold).toFixed(1)} %`, 'spec.analysis.separationThreshold');
  const k = r.spec.dataset.classes.length;
  const clusterText = () =>
    firstClusters < 0
      ? `no layer's k-means clusters at k = ${f.num(k, String(k), 'dataset.classes.length')} reach NMI ${f.num(nmiThreshold, String(nmiThreshold), 'spec.analysis.nmiThreshold')}`
      : `k-means clusters at k = ${f.num(k, String(k), 'dataset.classes.length')} follow the labels from ${layers[firstClusters]} (NMI ${f.stat('nmiAtClasses', { layer: layers[firstClusters] })} ≥ ${f.num(nmiThreshold, String(nmiThreshold), 'spec.analysis.nmiThreshold')})`;
  const unit = 'linear-probe test accuracy';
  if (first < 0) {
    const best = layers[probe.indexOf(Math.max(...probe))];
    const statement = `No layer separates ${names} past the ${t} threshold on mean linear-probe test accuracy: the best probe reaches ${f.stat('probeAccuracy', { layer: best })} (${f.ci('probeAccuracy', { layer: best })}) at ${best}; ${clusterText()}.`;
    return headline(r, 'separation', 'probeAccuracy', { layer: best }, unit, 'separation', statement, f);
  }
  const layer = layers[first];
  const e = value(r, 'probeAccuracy', { layer })!;
  // A mean past the threshold whose interval is not wholly past it is said to be so.
  const straddles = e.interval && e.interval[0] < threshold ? ', though its interval reaches below the threshold' : '';
  const statement =
    r.runs[0].layers[first].kind === 'input'
      ? `The raw pixels already separate ${names}: a linear probe on the input reaches ${f.stat('probeAccuracy', { layer })} test accuracy (${f.ci('probeAccuracy', { layer })}), past the ${t} threshold${straddles}, so no hidden layer is needed for it; ${clusterText()}.`
      : `A linear probe separates ${names} from ${layer} on: ${f.stat('probeAccuracy', { layer })} test accuracy (${f.ci('probeAccuracy', { layer })}), past the ${t} threshold${straddles}, against ${f.stat('probeAccuracy', { layer: layers[0] })} (${f.ci('probeAccuracy', { layer: layers[0] })}) on the raw pixels; ${clusterText()}.`;
  return headline(r, 'separation', 'probeAccuracy', { layer }, unit, 'separation', statement, f);
}

export function signaturesAnswer(r: Draft): Answer {
  const f = new Facts(r);
  const { permutations } = r.spec.analysis;
  const hidden = r.runs[0].layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
  const classes = classList(r, f, true);
  const own = `${f.stat('ownPathShare', {})} of test inputs (${f.ci('ownPathShare', {})}) follow a whole cluster path taken mostly by their own class in training.`;

  // A layer counts as different only when every seed's test says so: the largest p over seeds is below 0.05.
  const p = hidden.map((layer) => value(r, 'permutationP', { layer })!.mean);
  const significant = hidden.filter((_, i) => p[i] < SIGNIFICANCE);
  const notSignificant = hidden.filter((_, i) => !(p[i] < SIGNIFICANCE));
  const floor = 1 / (permutations + 1);
  const B = () => f.num(permutations, String(permutations), 'spec.analysis.permutations');
  const worst = significant.length ? significant.reduce((a, b) => (value(r, 'permutationP', { layer: b })!.mean > value(r, 'permutationP', { layer: a })!.mean ? b : a)) : null;
  const atFloor = worst !== null && value(r, 'permutationP', { layer: worst })!.mean <= floor + 1e-12;
  const pText = worst === null ? '' : atFloor ? `; p is at its floor in every seed and layer: the difference beats every shuffle, and p says no more` : `; the largest p is ${f.stat('permutationP', { layer: worst })} (at ${worst})`;
  const test =
    significant.length === hidden.length
      ? `On held-out test inputs, the class means of ${classes} differ beyond chance at every hidden layer (permutation test of the between-class scatter, ${B()} label shuffles, p < ${SIGNIFICANCE} in every seed${pText})`
      : significant.length === 0
        ? `On held-out test inputs, no hidden layer's class means of ${classes} differ beyond chance in every seed (permutation test, ${B()} label shuffles, p < ${SIGNIFICANCE})`
        : `On held-out test inputs, the class means of ${classes} differ beyond chance (permutation test, ${B()} label shuffles, p < ${SIGNIFICANCE} in every seed) at ${significant.join(', ')}, not at ${notSignificant.join(', ')}${pText}`;
  const d = hidden.map((layer) => value(r, 'classDistance', { layer })?.mean ?? NaN);
  const most = hidden[d.indexOf(Math.max(...d))];
  const least = hidden[d.indexOf(Math.min(...d))];
  const size =
    most === least
      ? `. Their means lie ${f.stat('classDistance', { layer: most })} within-class spreads apart at ${most} (${f.ci('classDistance', { layer: most })})`
      : `. Their means lie ${f.stat('classDistance', { layer: most })} within-class spreads apart at ${most} (${f.ci('classDistance', { layer: most })}), the most, and ${f.stat('classDistance', { layer: least })} at ${least} (${f.ci('classDistance', { layer: least })}), the least`;

  // What the overlap figure shows, said as it shows it.
  const withPaths = hidden.filter((layer) => value(r, 'jaccard', { layer }) !== undefined);
  const jac = withPaths.map((layer) => value(r, 'jaccard', { layer })!.mean);
  const identical = withPaths.filter((layer) => formatStat('jaccard', value(r, 'jaccard', { layer })!.mean) === formatStat('jaccard', 1));
  const sameDirection = hidden.filter((layer) => formatStat('cosine', value(r, 'cosine', { layer })!.mean) === formatStat('cosine', 0));
  const skipped = hidden.length - withPaths.length;
  let paths: string;
  if (withPaths.length === 0) paths = ` No hidden layer has specific paths (${skipped > 1 ? 'its conv layers are' : 'its conv layer is'} read by PCA: a component is not a neuron).`;
  else {
    const low = withPaths[jac.indexOf(Math.min(...jac))];
    const pca = hidden.filter((layer) => !withPaths.includes(layer));
    const none = pca.length ? ` (${pca.join(', ')}, read by PCA, ${pca.length > 1 ? 'have' : 'has'} none: a component is not a neuron)` : '';
    paths = ` Their specific paths${none} overlap least at ${low} (Jaccard ${f.stat('jaccard', { layer: low })})`;
    if (identical.length) paths += ` and are identical at ${identical.map((layer) => `${layer} (Jaccard ${f.stat('jaccard', { layer })})`).join(', ')}`;
    paths += '.';
    if (storedStat(r, 'specificMatch', {})) paths += ` An input's own specific path is most like its class's for ${f.stat('specificMatch', {})} of test inputs (${f.ci('specificMatch', {})}).`;
  }
  const direction = sameDirection.length ? ` Their mean activations point the same way at ${sameDirection.map((layer) => `${layer} (cosine distance ${f.stat('cosine', { layer })})`).join(', ')}.` : '';
  const statement = `${own} ${test}${size}.${paths}${direction}`;
  return headline(r, 'signatures', 'ownPathShare', {}, statisticOf('ownPathShare').label, 'specific-overlap', statement, f);
}

/** A difference to three decimals, or four where three would print a signed zero ("-0.000"). */
const signed = (x: number) => (x.toFixed(3) === '-0.000' ? x.toFixed(4) : x.toFixed(3));

interface Candidate {
  layer: string;
  score: ScoreName;
  auc: number;
}

/**
 * Paired difference of two candidates' mean AUCs over the same inputs and
 * seeds: within a seed, DeLong's variance of the difference; across seeds,
 * the seeds' spread. The input sampling is shared by all seeds, so its
 * standard errors are averaged (as if perfectly correlated: conservative)
 * before the seeds' variance of the mean is added.
 */
function pairedDifference(runs: SeedRun[], probe: number, a: Candidate, b: Candidate): { difference: number; interval: [number, number] } {
  const diffs: number[] = [];
  let inputSe = 0;
  for (const run of runs) {
    const cov = run.oodCovariance.find((c) => c.probe === probe)!;
    const ia = cov.candidates.findIndex((c) => c.layer === a.layer && c.score === a.score);
    const ib = cov.candidates.findIndex((c) => c.layer === b.layer && c.score === b.score);
    const auc = (layer: string, score: string) => run.layers.find((l) => l.name === layer)!.ood.find((o) => o.probe === probe && o.score === score)!.auc;
    diffs.push(auc(a.layer, a.score) - auc(b.layer, b.score));
    inputSe += Math.sqrt(Math.max(0, cov.matrix[ia][ia] + cov.matrix[ib][ib] - 2 * cov.matrix[ia][ib])) / runs.length;
  }
  const n = diffs.length;
  const difference = a.auc - b.auc;
  const seedVar = n >= 2 ? diffs.reduce((s, v) => s + (v - difference) ** 2, 0) / (n - 1) / n : 0;
  const se = Math.sqrt(inputSe ** 2 + seedVar);
  return { difference, interval: [difference - 1.959964 * se, difference + 1.959964 * se] };
}

export function unseenAnswer(r: Draft): Answer | null {
  const f = new Facts(r);
  const probeRun = r.runs[0].probes.find((p) => p.label >= 0) ?? r.runs[0].probes[0];
  if (!probeRun || probeRun.count === 0) return null;
  const probe = probeRun.label;
  const layers = r.runs[0].layers.map((l) => l.name);
  const candidates: Candidate[] = layers.flatMap((layer) => SCORES.map((score) => ({ layer, score, auc: value(r, `auc:${score}`, { layer, probe })?.mean ?? NaN }))).filter((c) => Number.isFinite(c.auc));
  const ranked = [...candidates].sort((a, b) => b.auc - a.auc);
  const best = ranked[0];
  const name = nameOf(r.dataset.names, probe);
  const count = r.dataset.counts.filter((c) => c.split === 'probe' && c.label === probe).reduce((s, c) => s + c.count, 0);
  const predicted = r.spec.dataset.classes.map((c) => ({ c, share: value(r, 'predictedShare', { probe, class: c })!.mean }));
  const top = predicted.reduce((a, b) => (b.share > a.share ? b : a));
  const label = (c: Candidate) => `${SCORE_LABELS[c.score]}${c.score === 'knn' ? ` (k = ${f.num(r.spec.analysis.neighbours, String(r.spec.analysis.neighbours), 'spec.analysis.neighbours')})` : ''} at ${c.layer}`;
  const auc = (c: Candidate) => f.stat(`auc:${c.score}`, { layer: c.layer, probe });

  const comparisons: NonNullable<Answer['comparisons']> = [];
  const compare = (against: 'runner-up' | 'raw pixels' | 'runner-up, the raw pixels’ best', other: Candidate) => {
    const { difference, interval } = pairedDifference(r.runs, probe, best, other);
    comparisons.push({ against, layer: other.layer, score: other.score, auc: other.auc, difference, interval, distinguishable: interval[0] > 0 });
    const i = comparisons.length - 1;
    const src = (field: string) => `answers[unseen].comparisons[${i}].${field}`;
    const d = `paired difference ${f.num(difference, signed(difference), src('difference'))}, 95 % CI ${f.num(interval[0], signed(interval[0]), src('lo'))}–${f.num(interval[1], signed(interval[1]), src('hi'))}`;
    const who = against === 'raw pixels' ? "the raw pixels' best" : `the ${against}`;
    return `${interval[0] > 0 ? 'better than' : 'not distinguishable from'} ${who}, the ${label(other)} (AUC ${auc(other)}; ${d})`;
  };
  const K = f.num(candidates.length, String(candidates.length), `candidates[${probe}]`);
  let choice = `Of the ${K} layer × score pairs, the highest mean ROC AUC against the trained classes' test inputs is the ${label(best)}: ${auc(best)} (${f.ci(`auc:${best.score}`, { layer: best.layer, probe })}); a highest of many is biased upward.`;
  const runnerUp = ranked[1];
  const rawBest = ranked.find((c) => c.layer === layers[0]);
  const parts: string[] = [];
  if (best.layer === layers[0]) choice += ' It is on the raw pixels: no layer of the model has a higher mean AUC.';
  if (runnerUp) parts.push(compare(runnerUp === rawBest && best.layer !== layers[0] ? 'runner-up, the raw pixels’ best' : 'runner-up', runnerUp));
  if (best.layer !== layers[0] && rawBest && rawBest !== runnerUp) parts.push(compare('raw pixels', rawBest));
  if (parts.length) choice += ` It is ${parts.join(', and ')}.`;

  const baselines = (['auc:msp', 'auc:energy', 'auc:pathRarity'] as const).filter((id) => storedStat(r, id, { probe }));
  const baseText = baselines.length ? ` Baselines: ${baselines.map((id) => `${statisticOf(id).label} AUC ${f.stat(id, { probe })}`).join(', ')}.` : '';
  const hidden = r.runs[0].layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
  const left = hidden.map((layer) => value(r, 'leftPaths', { layer, probe })?.mean ?? 0);
  const leaves = left.findIndex((v) => v > 0.5);
  const pathsText =
    leaves < 0
      ? ` Their paths mostly stay on routes of the trained classes: ${f.stat('seenPathShare', { probe })} of them take a whole path that training inputs also took.`
      : ` Their paths first leave the training routes at ${hidden[leaves]}, where ${f.stat('leftPaths', { layer: hidden[leaves], probe })} of them take a route no training input took.`;
  const far = r.runs[0].probes.find((p) => p.label < 0);
  let farText = '';
  if (far) {
    const farBest = layers.flatMap((layer) => SCORES.map((score) => ({ layer, score, auc: value(r, `auc:${score}`, { layer, probe: far.label })?.mean ?? NaN }))).reduce((a, b) => (b.auc > a.auc ? b : a));
    farText = ` Far outliers (${nameOf(r.dataset.names, far.label)}) are told apart at AUC ${f.stat(`auc:${farBest.score}`, { layer: farBest.layer, probe: far.label })} at best (${SCORE_LABELS[farBest.score]} at ${farBest.layer}).`;
  }
  const statement =
    `Shown ${f.num(count, String(count), `dataset.counts[probe|${probe}]`)} images of ${name}, a class it never saw, the model calls ${f.stat('predictedShare', { probe, class: top.c })} of them ${nameOf(r.dataset.names, top.c)} (${f.ci('predictedShare', { probe, class: top.c })}). ` +
    choice +
    baseText +
    pathsText +
    farText;
  const answer = headline(r, 'unseen', `auc:${best.score}`, { layer: best.layer, probe }, `ROC AUC, ${name} against the trained classes (${SCORE_LABELS[best.score]})`, 'ood-auc', statement, f);
  return { ...answer, comparisons };
}
