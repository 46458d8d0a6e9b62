import { beforeAll, describe, expect, it } from 'vitest';
import { storedStat } from '../src/analysis/catalogue.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import type { Result } from '../src/results/schema.ts';
import { tempDir, tinySpec } from './helpers.ts';
import { factProblems } from './statement-facts.ts';

// Three seeds, one unseen class: every answer, every statement.
let result: Result;

beforeAll(async () => {
  ({ result } = await runExperiment(
    { id: 'facts', file: 'x', spec: tinySpec({ seeds: [1, 2, 4], analysis: { permutations: 50 } }) },
    { resultsDir: tempDir(), backend: 'wasm' },
  ));
}, 120_000);

describe('answers', () => {
  it('print only stored numbers: every number of every statement is recomputed from the result', () => {
    expect(result.answers.map((a) => a.question)).toEqual(['separation', 'signatures', 'unseen']);
    for (const a of result.answers) expect(a.facts.length, a.question).toBeGreaterThan(2);
    expect(factProblems(result)).toEqual([]);
  });

  it('catch a statement whose number is not the stored one', () => {
    const a = result.answers[0];
    const f = a.facts.find((x) => x.source.includes('.mean'))!;
    const tampered = { ...result, answers: [{ ...a, facts: a.facts.map((x) => (x === f ? { ...x, value: x.value + 0.01 } : x)) }, ...result.answers.slice(1)] };
    expect(factProblems(tampered).join('\n')).toMatch(/the statement says/);
    const typed = { ...result, answers: [{ ...a, statement: `${a.statement} About 42.7 % more.` }, ...result.answers.slice(1)] };
    expect(factProblems(typed).join('\n')).toMatch(/42\.7 is printed but is no stored fact/);
  });

  it('write each statement in French from the same facts: decimal commas, narrow spaces, the same sources and values', () => {
    for (const a of result.answers) {
      const fr = a.translations.fr;
      expect(fr.statement.length, a.question).toBeGreaterThan(50);
      expect(fr.facts.map((f) => `${f.source}=${f.value}`).sort()).toEqual(a.facts.map((f) => `${f.source}=${f.value}`).sort());
      // No English decimal point and no English word left in the French sentence.
      expect(fr.statement).not.toMatch(/\d\.\d/);
      expect(fr.statement).not.toMatch(/\b(the|of|and|at|layer|probe)\b/);
      for (const f of fr.facts.filter((x) => /%/.test(x.text))) expect(f.text).toMatch(/\d\u202F%$/);
    }
    // A French number printed that is no fact is caught too.
    const a = result.answers[0];
    const typed = {
      ...result,
      answers: [
        { ...a, translations: { fr: { ...a.translations.fr, statement: `${a.translations.fr.statement} Environ 42,7 % de plus.` } } },
        ...result.answers.slice(1),
      ],
    };
    expect(factProblems(typed).join('\n')).toMatch(/separation \(fr\): 42,7 is printed but is no stored fact/);
  });

  it('headline the stored statistic, with its one interval, at the layer it is measured', () => {
    for (const a of result.answers) {
      const e = storedStat(result, a.statistic, {
        layer: a.question === 'signatures' ? null : a.layer,
        probe: a.question === 'unseen' ? result.dataset.probes[0] : null,
      })!;
      expect(a.value).toBe(e.value.mean);
      expect(a.interval).toEqual(e.value.interval);
      expect(a.intervalKind).toBe(e.value.method);
    }
    // Question 2's headline is a whole-path share: no layer.
    expect(result.answers[1].layer).toBeNull();
  });

  it('keep every interval of a bounded statistic inside its bounds', () => {
    for (const s of result.statistics) {
      if (!s.value.interval || s.statistic === 'classDistance') continue;
      const [lo, hi] = s.value.interval;
      expect(lo, s.statistic).toBeGreaterThanOrEqual(s.statistic === 'ari' || s.statistic === 'silhouette' ? -1 : 0);
      expect(hi, s.statistic).toBeLessThanOrEqual(s.statistic === 'cosine' ? 2 : 1);
    }
  });

  it('compare question 3’s best with the runner-up and the raw pixels, paired over the same inputs', () => {
    const a = result.answers[2];
    expect(a.comparisons!.length).toBeGreaterThan(0);
    for (const c of a.comparisons!) {
      expect(c.interval[0]).toBeLessThanOrEqual(c.difference);
      expect(c.interval[1]).toBeGreaterThanOrEqual(c.difference);
      expect(c.distinguishable).toBe(c.interval[0] > 0);
      expect(a.statement).toContain(c.distinguishable ? 'better than' : 'not distinguishable from');
    }
  });

  it('test the class means on held-out inputs, with the floor of p and an effect size', () => {
    const hidden = result.runs[0].layers.filter((l) => l.kind === 'hidden');
    for (const l of hidden) {
      expect(l.permutation!.floor).toBeCloseTo(1 / 51, 12);
      expect(l.permutation!.p).toBeGreaterThanOrEqual(l.permutation!.floor - 1e-12);
      expect(l.classDistance!.interval[0]).toBeLessThanOrEqual(l.classDistance!.value);
    }
    expect(result.runs[0].layers.every((l) => l.probeFit.converged && l.probeFit.gradNorm <= 1e-6)).toBe(true);
  });
});
