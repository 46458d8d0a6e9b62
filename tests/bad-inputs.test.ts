import { describe, expect, it } from 'vitest';
import { formatError } from '../src/spec/errors.ts';
import { parseExperiment } from '../src/spec/load.ts';

// The catalogue of bad experiment files: each is refused with the file, the
// field and what is wrong. (Problems found only while running, such as a
// missing IDX folder or a diverging training, are in trust.test.ts, cli.test.ts
// and data.test.ts.)

const base = 'title: t\ndataset:\n  classes: [1, 7]\n';
const CASES: [string, string, string, RegExp][] = [
  ['YAML that does not parse', 'title: t\ndataset: {classes: [1, 7]\n', 'line 3, column 1', /./],
  ['a typo: epoch for epochs', `${base}training:\n  epoch: 3\n`, 'training', /unknown field `epoch`/],
  ['a wrong type', `${base}training:\n  epochs: ten\n`, 'training.epochs', /number/i],
  ['negative epochs', `${base}training:\n  epochs: -2\n`, 'training.epochs', />=\s*1|too small/i],
  ['zero hidden units', `${base}model:\n  hidden: [64, 0]\n`, 'model.hidden.1', /too small|>=\s*1|invalid/i],
  [
    'a class not in the embedded set',
    'title: t\ndataset:\n  classes: [1, 12]\n',
    'dataset.classes.1',
    /12 is not a digit: the embedded mnist set has classes 0 to 9/,
  ],
  ['a probe that is also trained', `${base}  probes: [7]\n`, 'dataset.probes.0', /also a trained class/],
  ['a class listed twice', 'title: t\ndataset:\n  classes: [1, 1]\n', 'dataset.classes.1', /listed twice/],
  ['an IDX dataset without a folder', 'title: t\ndataset:\n  name: idx\n  classes: [1, 7]\n', 'dataset.folder', /required with name: idx/],
  [
    'a k per layer that does not match the layers',
    `${base}model:\n  hidden: [8]\nsignatures:\n  k: [3, 3]\n`,
    'signatures.k',
    /gives 2 values for 1 hidden layers/,
  ],
  ['k out of range', `${base}signatures:\n  k: 1\n`, 'signatures.k', /./],
  ['a CNN without conv layers', `${base}model:\n  type: cnn\n`, 'model.conv', /needs at least one conv layer/],
  [
    'a conv signature for an MLP',
    `${base}signatures:\n  conv: { kind: pca, components: 8 }\n`,
    'signatures.conv',
    /applies only to type: cnn \(an MLP has no conv layer\)/,
  ],
  [
    'PCA components out of range',
    `${base}model:\n  type: cnn\n  conv: [{ filters: 4 }]\nsignatures:\n  conv: { kind: pca, components: 0 }\n`,
    'signatures.conv.components',
    /too small|>=\s*1/i,
  ],
  [
    'components on a mean conv signature',
    `${base}model:\n  type: cnn\n  conv: [{ filters: 4 }]\nsignatures:\n  conv: { kind: mean, components: 8 }\n`,
    'signatures.conv',
    /unknown field `components`/,
  ],
  ['a learning rate out of range', `${base}training:\n  learningRate: 0\n`, 'training.learningRate', /too small|>\s*0/i],
  ['an unknown backend', `${base}training:\n  backend: gpu\n`, 'training.backend', /auto|tensorflow|wasm|cpu/],
  ['seeds listed twice', `${base}seeds: [1, 1]\n`, 'seeds', /lists a seed twice/],
  ['a test fraction of 1', `${base}  testFraction: 1\n`, 'dataset.testFraction', /too big|<\s*1/i],
];

describe('bad experiment files', () => {
  for (const [what, text, field, message] of CASES) {
    it(`names the file, the field and the problem: ${what}`, () => {
      const out = parseExperiment('experiments/bad.yaml', text);
      expect(out.ok).toBe(false);
      if (out.ok) return;
      const problem = out.error.problems.find((p) => p.path === field);
      expect(problem, `${what}: ${formatError(out.error)}`).toBeDefined();
      expect(problem!.message).toMatch(message);
      const shown = formatError(out.error);
      expect(shown).toMatch(/^\[(InvalidExperiment|UnreadableExperiment)\] experiments\/bad\.yaml: /);
      expect(shown).toContain('Hint: ');
    });
  }
});
