import type { Answer, Result } from '../results/schema.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { wilson } from '../stats/interval.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const range = ([lo, hi]: [number, number]) => `95 % CI ${pct(lo)}–${pct(hi)}`;
const showPath = (p: number[]) => p.map((c) => `c${c}`).join(' → ');

/** Question 1: the first layer, input included, whose clusters agree with the labels past the threshold. */
export function separationAnswer(spec: ExperimentSpec, layers: Result['layers'], testCount: number): Answer {
  const threshold = spec.analysis.separationThreshold;
  const first = layers.find((l) => l.purity.test >= threshold);
  const names = spec.dataset.classes.join(' and ');
  if (!first) {
    const best = layers.reduce((a, b) => (b.purity.test > a.purity.test ? b : a));
    return {
      question: 'separation',
      value: best.purity.test,
      interval: wilson(Math.round(best.purity.test * testCount), testCount),
      unit: 'test purity',
      layer: null,
      statement: `No layer's clusters reach the ${pct(threshold)} threshold: the best is ${best.name}, at ${pct(best.purity.test)} purity on test inputs.`,
      figure: 'purity',
    };
  }
  const interval = wilson(Math.round(first.purity.test * testCount), testCount);
  const statement = first.hidden
    ? `The classes ${names} separate from ${first.name} on: its ${first.k} clusters agree with the labels at ${pct(first.purity.test)} on test inputs (${range(interval)}), past the ${pct(threshold)} threshold.`
    : `The raw pixels already separate ${names}: clustered into ${first.k} groups, they agree with the labels at ${pct(first.purity.test)} on test inputs (${range(interval)}), so no hidden layer is needed to pass the ${pct(threshold)} threshold.`;
  return { question: 'separation', value: first.purity.test, interval, unit: 'test purity', layer: first.name, statement, figure: 'purity' };
}

/** Question 2: do the classes keep to their own paths? */
export function signaturesAnswer(paths: Result['paths']): Answer {
  const own = paths.ownPathShare.reduce((s, c) => s + Math.round(c.share * c.n), 0);
  const n = paths.ownPathShare.reduce((s, c) => s + c.n, 0);
  const interval = wilson(own, n);
  const trained = paths.byClass.filter((c) => c.role === 'trained');
  const tops = trained.map((c) => `${c.label}s mostly take ${c.top[0] ? showPath(c.top[0].path) : '(none)'} (${c.top[0] ? pct(c.top[0].count / c.total) : '–'})`);
  const shared = new Set<string>();
  const seenBy = new Map<string, number>();
  for (const c of trained) for (const t of c.top) seenBy.set(t.path.join('-'), (seenBy.get(t.path.join('-')) ?? 0) + 1);
  for (const [k, v] of seenBy) if (v > 1) shared.add(k);
  return {
    question: 'signatures',
    value: n ? own / n : 0,
    interval,
    unit: 'share of test inputs on their own class path',
    layer: null,
    statement: `${pct(n ? own / n : 0)} of test inputs (${range(interval)}) follow a path taken mostly by their own class in training; ${tops.join(', ')}; ${shared.size === 0 ? 'no path is among the most common of two classes' : `${shared.size} of the most common paths are shared between classes`}.`,
    figure: 'paths-flow',
  };
}

/** Question 3: what the model does with a class it never saw. */
export function unseenAnswer(probes: Result['probes']): Answer | null {
  const probe = probes[0];
  if (!probe || probe.count === 0) return null;
  const top = probe.predicted.reduce((a, b) => (b.share > a.share ? b : a));
  return {
    question: 'unseen',
    value: top.share,
    interval: top.interval,
    unit: `share of ${probe.label}s predicted as ${top.label}`,
    layer: null,
    statement: `Shown ${probe.count} images of ${probe.label}, a class it never saw, the model calls ${pct(top.share)} of them ${top.label} (${range(top.interval)}) with a mean confidence of ${pct(probe.meanConfidence)}; ${pct(probe.seenPathShare)} of them follow a path that training inputs also took, so their signature borrows the trained classes' routes.`,
    figure: 'probe-predictions',
  };
}
