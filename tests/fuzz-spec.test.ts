import { describe, expect, it } from 'vitest';
import { formatError } from '../src/spec/errors.ts';
import { MAX_PROBLEMS, parseExperiment } from '../src/spec/load.ts';
import { checkText, fuzz } from './fuzz/experiment-files.ts';

// The loader's property, for every input rather than the ones thought of:
// whatever the text of an experiment file, parseExperiment never throws; it
// gives a spec with its defaults filled in, or one named error whose problems
// each name a field path or a line. A seeded run here (a few seconds);
// `npm run fuzz` runs as many cases as asked (see scripts/fuzz.ts).

const bomb = (levels: number, width = 10) => {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let d = 1; d <= levels; d++)
    lines.push(
      `a${d}: &a${d} [${Array(width)
        .fill(`*a${d - 1}`)
        .join(', ')}]`,
    );
  return `title: t\ndataset: {classes: [1, 7]}\n${lines.join('\n')}\n`;
};

describe('experiment files, fuzzed', () => {
  it('never throws, and names every invalid file once with its field paths (seeded, 1,500 generated files)', () => {
    const report = fuzz(1500, 20250117);
    expect(report.failures, JSON.stringify(report.failures.slice(0, 2), null, 2)).toEqual([]);
    expect(report.cases).toBe(1500);
    // Every kind of outcome is reached, so that each part of the property is exercised.
    expect(report.valid).toBeGreaterThan(100);
    expect(report.invalid).toBeGreaterThan(300);
    expect(report.unreadable).toBeGreaterThan(100);
  });
});

describe('hostile YAML, named', () => {
  it('refuses an alias bomb of 10⁹ nodes as one unreadable file, in milliseconds', () => {
    const t0 = performance.now();
    const out = parseExperiment('experiments/bomb.yaml', bomb(8));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.name).toBe('UnreadableExperiment');
    expect(out.error.title).toMatch(/alias bomb/);
    expect(out.error.problems).toHaveLength(1);
    expect(out.error.problems[0].message).toMatch(/limit of 100/);
    expect(out.error.hint).toMatch(/aliases/);
  });

  it('still reads a file with a few ordinary aliases', () => {
    const out = parseExperiment(
      'experiments/aliases.yaml',
      'title: t\nseeds: &s [1, 2]\ndataset:\n  classes: [1, 7]\n  seed: 3\nsignatures: {k: 3, seed: 3}\n',
    );
    expect(out.ok).toBe(true);
    const shared = parseExperiment(
      'experiments/aliases.yaml',
      `${'title: t\nclasses: &c [1, 7]\n'.replace('classes', 'description')}dataset:\n  classes: [1, 7]\n`,
    );
    expect(shared.ok).toBe(false); // a list is not a description: named, not thrown
  });

  it.each([
    ['an alias to no anchor', 'title: *nowhere\n', /not valid YAML/, /Unresolved alias/],
    ['brackets nested 100,000 deep', `title: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /nested too deeply/, /./],
    ['two documents', 'title: a\n---\ntitle: b\n', /not valid YAML/, /multiple documents/],
  ])('names %s', (_, text, title, message) => {
    const out = parseExperiment('experiments/x.yaml', text);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.name).toBe('UnreadableExperiment');
    expect(out.error.title).toMatch(title);
    expect(out.error.problems[0].message).toMatch(message);
  });

  it.each([
    ['a number', '42\n', /a single number value/],
    ['a list', '- 1\n- 2\n', /a list/],
    ['a string', 'just words\n', /a single string/],
  ])('names a file that holds %s instead of fields', (_, text, message) => {
    const out = parseExperiment('experiments/x.yaml', text);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.problems).toEqual([{ path: '', message: expect.stringMatching(message) }]);
  });

  it('lists at most 20 problems and counts the rest (500 bad class names)', () => {
    const out = parseExperiment(
      'experiments/x.yaml',
      `title: t\ndataset:\n  classes: [1, 7]\n  names: {${Array.from({ length: 500 }, (_, i) => `x${i}: n`).join(', ')}}\n`,
    );
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(out.error.problems.at(-1)!.message).toMatch(/and \d+ more problem/);
  });

  it('prints control characters of a hostile field name as escapes, not to the terminal', () => {
    const out = parseExperiment('experiments/x.yaml', 'title: t\ndataset: {classes: [1, 7]}\n"\\e[2J\\u202e": 1\n');
    expect(out.ok).toBe(false);
    if (out.ok) return;
    const shown = formatError(out.error);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character must not reach the terminal.
    expect(shown).not.toMatch(/[\u001b\u202e]/);
    expect(shown).toContain('\\u{1b}[2J\\u{202e}');
    expect(checkText('"\\e[2J": 1\n').ok).toBe(true);
  });

  it('does not let __proto__ in a file reach any object', () => {
    const out = parseExperiment('experiments/x.yaml', 'title: t\ndataset: {classes: [1, 7]}\n__proto__: {polluted: 1}\n');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.problems[0].message).toMatch(/unknown field `__proto__`/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
