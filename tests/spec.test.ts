import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../src/spec/errors.ts';
import { experimentJsonSchema } from '../src/spec/json-schema.ts';
import { loadExperiments, parseExperiment } from '../src/spec/load.ts';
import { tempDir } from './helpers.ts';

const minimal = `title: Four against nine
dataset:
  classes: [4, 9]
  probes: [7]
`;

function problemsOf(file: string, text: string) {
  const out = parseExperiment(file, text);
  if (out.ok) throw new Error('expected an invalid experiment');
  return out.error;
}

describe('experiment files', () => {
  it('fills every default from a minimal file', () => {
    const out = parseExperiment('experiments/four-nine.yaml', minimal);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.experiment.id).toBe('four-nine');
    const { spec } = out.experiment;
    expect(spec.dataset).toMatchObject({ name: 'mnist', classes: [4, 9], probes: [7], samplesPerClass: 1000, testFraction: 0.2, seed: 1 });
    expect(spec.model).toEqual({ type: 'mlp', conv: [], hidden: [128, 64, 32], activation: 'relu', dropout: 0, batchNorm: false });
    expect(spec.training).toEqual({ epochs: 10, batchSize: 64, learningRate: 0.001, optimizer: 'adam', loop: 'auto', seed: 1, backend: 'auto' });
    expect(spec.signatures.k).toBe(4);
  });

  it('names the file, the field path and the problem', () => {
    const error = problemsOf('experiments/bad.yaml', `title: x\ndataset:\n  classes: [1, "seven"]\ntraining:\n  epochs: 0\n`);
    expect(error.name).toBe('InvalidExperiment');
    const text = formatError(error);
    expect(text).toContain('experiments/bad.yaml');
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['dataset.classes.1', 'training.epochs']));
    expect(text).toMatch(/dataset\.classes\.1: .*number/i);
    expect(text).toContain('Hint:');
  });

  it('rejects unknown fields by name', () => {
    const error = problemsOf('experiments/typo.yaml', `${minimal}model:\n  hiden: [10]\n`);
    expect(error.problems).toContainEqual({ path: 'model', message: 'unknown field `hiden`' });
  });

  it('refuses a probe class that is also trained', () => {
    const error = problemsOf('experiments/overlap.yaml', `title: x\ndataset:\n  classes: [1, 7]\n  probes: [7]\n`);
    expect(error.problems[0].path).toBe('dataset.probes.0');
    expect(error.problems[0].message).toMatch(/unseen/);
  });

  it('checks that a per-layer k matches the hidden layers', () => {
    const error = problemsOf('experiments/k.yaml', `${minimal}model:\n  hidden: [8, 8]\nsignatures:\n  k: [3, 3, 3]\n`);
    expect(error.problems[0]).toEqual({ path: 'signatures.k', message: 'gives 3 values for 2 hidden layers' });
  });

  it('reports YAML syntax errors with their line', () => {
    const error = problemsOf('experiments/broken.yaml', 'title: x\ndataset: [1, 7\n');
    expect(error.name).toBe('UnreadableExperiment');
    expect(error.problems[0].path).toMatch(/^line \d+, column \d+$/);
  });

  it('refuses a file name that cannot be a URL', () => {
    expect(problemsOf('experiments/My Study.yaml', minimal).problems[0].message).toMatch(/lower-case/);
  });

  it('loads the valid files of a folder beside the invalid ones', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.yaml'), minimal);
    writeFileSync(join(dir, 'bad.yaml'), 'title: 3\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const outcomes = loadExperiments(dir, dir);
    expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect(outcomes[0].ok ? '' : outcomes[0].error.file).toBe('bad.yaml');
  });

  it('keeps the committed JSON Schema in step with the zod schema (run `npm run schema`)', () => {
    expect(readFileSync('experiments/experiment.schema.json', 'utf8')).toBe(experimentJsonSchema());
  });

  it('every committed experiment is valid', () => {
    for (const o of loadExperiments('experiments')) expect(o.ok ? null : formatError(o.error)).toBeNull();
  });
});
