import { SIGNIFICANCE } from '../src/analysis/answers.ts';
import { layerName } from '../src/i18n/layers.ts';
import { fixed, LANGS, type Lang } from '../src/i18n/index.ts';
import type { Fact, Result } from '../src/results/schema.ts';

// An independent reading of an answer's facts: each `source` is resolved
// against the stored result by this file's own code (not the catalogue's),
// and summaries are recomputed from the seeds' raw values.

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Each seed's raw value of a statistic, read straight from `runs`. */
function perSeed(r: Result, id: string, layer: string, probe: number | null, cls: number | null): number[] {
  return r.runs.map((run) => {
    const l = run.layers.find((x) => x.name === layer);
    const p = run.probes.find((x) => x.label === probe);
    const own = run.paths.ownPathShare;
    if (id.startsWith('auc:') && l) return l.ood.find((o) => o.probe === probe && o.score === id.slice(4))!.auc;
    switch (id) {
      case 'probeAccuracy':
        return l!.probeAccuracy;
      case 'knnAccuracy':
        return l!.knnAccuracy;
      case 'nmiAtClasses':
        return l!.atClasses.nmi;
      case 'classDistance':
        return l!.classDistance!.value;
      case 'permutationP':
        return l!.permutation!.p;
      case 'jaccard':
        return mean(l!.pairs.map((q) => q.jaccard!));
      case 'cosine':
        return mean(l!.pairs.map((q) => q.cosine));
      case 'leftPaths':
        return l!.leftPaths.find((q) => q.probe === probe)!.share;
      case 'predictedShare':
        return p!.predicted.find((q) => q.label === cls)!.share;
      case 'seenPathShare':
        return p!.seenPathShare;
      case 'auc:msp':
        return p!.baselines.msp;
      case 'auc:energy':
        return p!.baselines.energy!;
      case 'auc:pathRarity':
        return p!.baselines.pathRarity;
      case 'ownPathShare':
        return own.reduce((s, c) => s + c.share * c.n, 0) / own.reduce((s, c) => s + c.n, 0);
      case 'specificMatch':
        return run.paths.specificMatch!;
      default:
        throw new Error(`statement-facts: no independent reading of ${id}`);
    }
  });
}

/** The stored value a fact's source names, checked against the seeds' raw values where it is a summary. */
export function resolveFact(r: Result, source: string): number {
  let m = /^statistics\[([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\]\.(mean|lo|hi)$/.exec(source);
  if (m) {
    const [, id, layer, probe, cls, field] = m;
    const entry = r.statistics.find((s) => s.statistic === id && (s.layer ?? '') === layer && String(s.probe ?? '') === probe && String(s.class ?? '') === cls);
    if (!entry) throw new Error(`no stored statistic for ${source}`);
    const raw = perSeed(r, id, layer, probe === '' ? null : Number(probe), cls === '' ? null : Number(cls));
    const summary = id === 'permutationP' ? Math.max(...raw) : mean(raw);
    if (Math.abs(summary - entry.value.mean) > 1e-12) throw new Error(`${source}: stored ${entry.value.mean}, seeds give ${summary}`);
    if (field === 'mean') return entry.value.mean;
    const [lo, hi] = entry.value.interval!;
    // An interval contains its estimate.
    if (!(lo <= entry.value.mean + 1e-12 && entry.value.mean <= hi + 1e-12)) throw new Error(`${source}: interval [${lo}, ${hi}] misses ${entry.value.mean}`);
    return field === 'lo' ? lo : hi;
  }
  m = /^spec\.analysis\.(\w+)$/.exec(source);
  if (m) return (r.spec.analysis as Record<string, number>)[m[1]];
  if (source === 'dataset.classes.length') return r.dataset.classes.length;
  if (source === 'runs.length') return r.runs.length;
  if (source === 'seeds.length') return r.runs.length;
  m = /^dataset\.counts\[probe\|(-?\d+)\]$/.exec(source);
  if (m) return r.dataset.counts.filter((c) => c.split === 'probe' && c.label === Number(m![1])).reduce((s, c) => s + c.count, 0);
  m = /^candidates\[(-?\d+)\]$/.exec(source);
  if (m) return r.runs[0].oodCovariance.find((c) => c.probe === Number(m![1]))!.candidates.length;
  m = /^answers\[unseen\]\.comparisons\[(\d+)\]\.(difference|lo|hi)$/.exec(source);
  if (m) {
    const a = r.answers.find((x) => x.question === 'unseen')!;
    const c = a.comparisons![Number(m[1])];
    // The difference is the difference of the two stored mean AUCs.
    const other = r.statistics.find(
      (s) => s.statistic === `auc:${c.score}` && s.layer === c.layer && s.probe === r.runs[0].probes.find((p) => p.label >= 0)!.label,
    )!;
    if (Math.abs(a.value - other.value.mean - c.difference) > 1e-12)
      throw new Error(`${source}: difference ${c.difference} is not ${a.value} − ${other.value.mean}`);
    return m[2] === 'difference' ? c.difference : c.interval[m[2] === 'lo' ? 0 : 1];
  }
  throw new Error(`statement-facts: unknown source ${source}`);
}

/**
 * A number as a statement prints it, in either language: digits, optionally
 * grouped by narrow no-break spaces (French) or commas (English, five digits
 * and more), with a decimal point or comma.
 */
const NUMBER = /(?<![\w.,])-?\d{1,3}(?:(?:\u202F|,)\d{3})+(?![\d\w])|(?<![\w.,])-?\d+(?:[.,]\d+)?(?![\w])/g;

/** An answer's statement and facts in one language. */
function inLanguage(a: Result['answers'][number], lang: Lang): { statement: string; facts: Fact[] } {
  return lang === 'en' ? a : a.translations[lang];
}

const key = (f: Fact) => `${f.source}=${f.value}`;

/** Problems with an answer's statement: a fact that does not resolve to its value, or a number printed that is no fact, in every language. */
export function factProblems(r: Result): string[] {
  const problems: string[] = [];
  const labels = new Set([...r.dataset.classes, ...r.dataset.probes].map(String));
  for (const a of r.answers) {
    for (const lang of LANGS) {
      const { statement, facts } = inLanguage(a, lang);
      const q = `${a.question} (${lang})`;
      // The report's conventions: 95 % intervals, and the significance level.
      const allowed = new Set<string>(['95', fixed(SIGNIFICANCE, 2, lang)]);
      // Digits of layer names as this language shows them (« la couche cachée 2 »).
      for (const layer of r.runs[0].layers) for (const t of layerName(layer.name, lang).match(NUMBER) ?? []) allowed.add(t);
      // Every language states the same facts: the same sources with the same values.
      if (lang !== 'en') {
        const en = new Set(a.facts.map(key));
        const here = new Set(facts.map(key));
        for (const k of here) if (!en.has(k)) problems.push(`${q}: ${k} is not among the English facts`);
        for (const k of en) if (!here.has(k)) problems.push(`${q}: ${k} is missing`);
      }
      for (const f of facts) {
        try {
          const v = resolveFact(r, f.source);
          if (Math.abs(v - f.value) > 1e-12) problems.push(`${q}: ${f.source} is ${v}, the statement says ${f.value}`);
        } catch (e) {
          problems.push(`${q}: ${(e as Error).message}`);
        }
        if (!statement.includes(f.text)) problems.push(`${q}: "${f.text}" is not in the statement`);
        for (const t of f.text.match(NUMBER) ?? []) allowed.add(t);
      }
      for (const t of statement.match(NUMBER) ?? []) if (!allowed.has(t) && !labels.has(t)) problems.push(`${q}: ${t} is printed but is no stored fact`);
    }
  }
  return problems;
}
