import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import { MAX_PROBLEMS, parseExperiment } from '../../src/spec/load.ts';
import { ExperimentSpec } from '../../src/spec/schema.ts';

// Generated experiment files, for the property that the loader never throws:
// whatever the text, it yields a spec with its defaults filled in, or exactly
// one named error whose problems each name a field path (or a line) in the
// file. Shared by tests/fuzz-spec.test.ts (a short seeded run) and
// scripts/fuzz.ts (a long one).

const FILE = 'experiments/fuzz.yaml';

// ---- values -------------------------------------------------------------

const boundaryNumbers = [
  0,
  -0,
  -1,
  1,
  2,
  9,
  10,
  64,
  65,
  100,
  255,
  256,
  500,
  501,
  4096,
  4097,
  8192,
  8193,
  10000,
  100000,
  100001,
  0.5,
  0.9,
  0.91,
  1e-308,
  5e-324,
  1e308,
  -1e308,
  1.7976931348623157e308,
  2 ** 53,
  2 ** 53 + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const hostileNumber = fc.oneof(
  fc.constantFrom(...boundaryNumbers),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
);

const nastyStrings = [
  '',
  ' ',
  'auto',
  'none',
  'mnist',
  'idx',
  'fashion-mnist',
  'relu',
  'adam',
  'cnn',
  'mlp',
  'fused',
  'tfjs',
  'wasm',
  'pca',
  'mean',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${process.exit(1)}',
  '../../../../etc',
  '/etc',
  '/dev/zero',
  'C:\\Windows',
  '\u202eevil',
  '\u001b[2J\u001b[31m',
  '\u0000',
  '\ufeff',
  'NaN',
  '.inf',
  '-.inf',
  '.nan',
  'null',
  '~',
  'yes',
  'no',
  'on',
  '0x10',
  '0o17',
  '1e308',
  '1_000',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '$schema',
  'a'.repeat(5000),
  '🙂'.repeat(100),
  'e\u0301',
  '\ud800',
];

const hostileString = fc.oneof(fc.constantFrom(...nastyStrings), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

const schemaKeys = [
  'title',
  'description',
  'seeds',
  'dataset',
  'model',
  'training',
  'signatures',
  'analysis',
  'name',
  'folder',
  'classes',
  'probes',
  'names',
  'k',
  'hidden',
  'conv',
  'units',
  'epochs',
  'kind',
  'components',
];
const anyKey = fc.oneof(fc.constantFrom(...schemaKeys), hostileString);

/** Any value YAML can hold, nested a few levels. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    hostileNumber,
    hostileString,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(anyKey, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A field: mostly a valid value, now and then anything at all (`rate` of the time). */
function field<T>(valid: fc.Arbitrary<T>, rate: number): fc.Arbitrary<unknown> {
  if (rate === 0) return valid;
  const w = Math.max(1, Math.round(rate * 100));
  return fc.oneof({ arbitrary: valid, weight: 100 - w }, { arbitrary: fc.oneof(hostileNumber, hostileString, anyValue), weight: w });
}

const activation = fc.constantFrom('relu', 'tanh', 'sigmoid', 'elu', 'selu');

/**
 * Experiment objects shaped like the schema, every field hostile `rate` of
 * the time; with rate 0 the fields agree with each other (a k per layer, a
 * fused loop only for a plain MLP…), so that most are valid.
 */
function experimentObject(rate: number): fc.Arbitrary<Record<string, unknown>> {
  const f = <T>(a: fc.Arbitrary<T>) => field(a, rate);
  const optional = { requiredKeys: [] as never[] };
  const dataset = fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 5 }), fc.boolean()).chain(([digits, idx]) => {
    const cut = Math.max(2, digits.length - 1);
    return fc.record(
      {
        name: f(fc.constant(idx ? 'idx' : 'mnist')),
        ...(idx ? { folder: f(fc.constantFrom('data', '/etc', '../x')), prefix: f(fc.constantFrom('', 'emnist-')) } : {}),
        names: f(fc.dictionary(fc.constantFrom(...digits.map(String)), fc.string({ minLength: 1, maxLength: 12 }), { maxKeys: 3 })),
        classes: f(fc.constant(digits.slice(0, cut))),
        probes: f(fc.constant(digits.slice(cut))),
        outliers: f(idx ? fc.constantFrom('auto', 'none') : fc.constantFrom('auto', 'none', 'fashion-mnist')),
        outlierCount: f(fc.integer({ min: 10, max: 10000 })),
        samplesPerClass: f(fc.integer({ min: 10, max: 100000 })),
        testFraction: f(fc.double({ min: 0.01, max: 0.99, noNaN: true })),
        seed: f(fc.nat(1000)),
      },
      { requiredKeys: rate === 0 ? (idx ? ['classes', 'name', 'folder'] : ['classes']) : [] },
    );
  });
  const conv = fc.array(
    fc.record(
      { filters: f(fc.integer({ min: 1, max: 256 })), kernel: f(fc.integer({ min: 1, max: 9 })), pool: f(fc.boolean()), activation: f(activation) },
      optional,
    ),
    { minLength: 1, maxLength: 3 },
  );
  const dense = fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.record({ units: fc.integer({ min: 1, max: 4096 }), activation }, { requiredKeys: ['units'] }));
  const mlp = fc.record(
    {
      type: fc.constant('mlp'),
      hidden: fc.array(dense, { minLength: 1, maxLength: 12 }),
      activation,
      dropout: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.9, noNaN: true })),
      batchNorm: fc.boolean(),
    },
    { requiredKeys: ['type', 'hidden'] },
  );
  const cnn = fc.record(
    { type: fc.constant('cnn'), conv, hidden: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 3 }) },
    { requiredKeys: ['type', 'conv', 'hidden'] },
  );
  const kChoice = fc.oneof(fc.integer({ min: 2, max: 64 }), fc.constant('auto'));
  const parts = fc.oneof(mlp, cnn).chain((m) => {
    const layers = ((m as { conv?: unknown[] }).conv?.length ?? 0) + (m.hidden as unknown[]).length;
    const plain = m.type === 'mlp' && !m.dropout && !m.batchNorm;
    const training = fc.record(
      {
        epochs: f(fc.integer({ min: 1, max: 500 })),
        batchSize: f(fc.integer({ min: 1, max: 8192 })),
        learningRate: f(fc.double({ min: 1e-6, max: 9.99, noNaN: true })),
        optimizer: f(fc.constantFrom('adam', 'sgd', 'rmsprop')),
        loop: f(plain ? fc.constantFrom('auto', 'fused', 'tfjs') : fc.constantFrom('auto', 'tfjs')),
        seed: f(fc.nat(1000)),
        backend: f(fc.constantFrom('auto', 'tensorflow', 'wasm', 'cpu')),
      },
      optional,
    );
    const signatures = fc.record(
      {
        k: f(fc.oneof(kChoice, fc.array(kChoice, { minLength: layers, maxLength: layers }))),
        autoRange: f(fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 6, max: 12 }))),
        restarts: f(fc.integer({ min: 1, max: 100 })),
        seed: f(fc.nat(1000)),
        ...(m.type === 'cnn'
          ? {
              conv: f(
                fc.oneof(
                  fc.constant({ kind: 'mean' }),
                  fc.record({ kind: fc.constant('pca'), components: fc.integer({ min: 1, max: 256 }) }, { requiredKeys: ['kind'] }),
                ),
              ),
            }
          : {}),
      },
      optional,
    );
    const fields = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(fc.constant(v))]));
    return fc.record(
      {
        model: f(fc.record(fields, { requiredKeys: m.type === 'cnn' && rate === 0 ? ['type', 'conv'] : [] })),
        training: f(training),
        signatures: f(signatures),
      },
      optional,
    );
  });
  const analysis = fc.record(
    {
      separationThreshold: f(fc.double({ min: 0.01, max: 1, noNaN: true })),
      nmiThreshold: f(fc.double({ min: 0, max: 1, noNaN: true })),
      topPaths: f(fc.integer({ min: 1, max: 50 })),
      coverage: f(fc.double({ min: 0.01, max: 1, noNaN: true })),
      neighbours: f(fc.integer({ min: 1, max: 100 })),
      permutations: f(fc.integer({ min: 10, max: 10000 })),
      silhouetteSample: f(fc.integer({ min: 50, max: 5000 })),
      seed: f(fc.nat(1000)),
    },
    optional,
  );
  const top = fc.record(
    {
      $schema: f(fc.constant('./experiment.schema.json')),
      title: f(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })),
      description: f(fc.string({ unit: 'grapheme', maxLength: 60 })),
      seeds: f(fc.uniqueArray(fc.nat(100), { minLength: 1, maxLength: 20 })),
      dataset: f(dataset),
      analysis: f(analysis),
    },
    { requiredKeys: rate === 0 ? ['title', 'dataset'] : [] },
  );
  return fc.tuple(top, parts).map(([t, p]) => ({ ...t, ...p }));
}

// ---- texts ----------------------------------------------------------------

const toYaml = (value: unknown, flow: boolean) => stringify(value, { collectionStyle: flow ? 'flow' : 'any', aliasDuplicateObjects: true });

/** A schema-shaped object written as YAML, block or flow style. */
const schemaText = fc.tuple(fc.constantFrom(0, 0, 0.02, 0.1, 0.4), fc.boolean()).chain(([rate, flow]) => experimentObject(rate).map((o) => toYaml(o, flow)));

/** Anything YAML can hold, written as YAML, shared subtrees written as anchors and aliases. */
const anyText = fc.tuple(anyValue, fc.boolean()).map(([v, flow]) => {
  const shared = typeof v === 'object' && v !== null ? { title: 't', dataset: v, model: v, analysis: v } : v;
  return toYaml(shared, flow);
});

/** Alias bombs of every size, from harmless to 10⁹ nodes, placed in a field. */
const aliasText = fc
  .record({
    depth: fc.integer({ min: 1, max: 10 }),
    width: fc.integer({ min: 1, max: 10 }),
    where: fc.constantFrom('title', 'seeds', 'dataset', 'extra', 'model'),
  })
  .map(({ depth, width, where }) => {
    const lines = ['a0: &a0 ["lol", "lol"]'];
    for (let d = 1; d <= depth; d++)
      lines.push(
        `a${d}: &a${d} [${Array(width)
          .fill(`*a${d - 1}`)
          .join(', ')}]`,
      );
    return `title: t\ndataset: {classes: [1, 7]}\nanchors:\n${lines.map((l) => `  ${l}`).join('\n')}\n${where === 'dataset' ? 'dataset2' : where}: *a${depth}\n`;
  });

/** Deep nesting: flow brackets, flow maps or block indentation. */
const deepText = fc.record({ n: fc.integer({ min: 1, max: 1500 }), kind: fc.constantFrom('[', '{', 'block', '- ') }).map(({ n, kind }) => {
  if (kind === '[') return `title: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
  if (kind === '{') return `title: t\ndataset: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
  if (kind === '- ') return `seeds:\n${Array.from({ length: Math.min(n, 300) }, (_, i) => `${'  '.repeat(i)}- `).join('\n')}1\n`;
  return `${Array.from({ length: Math.min(n, 300) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
});

const yamlChars = fc.constantFrom(...':[]{}&*!|>-#\'"%@`,?\n\t \\'.split(''), 'a', '1', '.', '\u0085', '\u2028', '\ufeff');

/** A valid-looking file, then broken: cut, spliced, lines doubled. */
const mutatedText = fc
  .tuple(schemaText, fc.array(fc.tuple(fc.nat(), fc.nat(20), fc.string({ unit: yamlChars, maxLength: 8 })), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let t = text;
    for (const [at, cut, insert] of edits) {
      const i = t.length ? at % t.length : 0;
      t = t.slice(0, i) + insert + t.slice(i + cut);
    }
    return t;
  });

const rawText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: yamlChars, maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);

/** Every kind of experiment file text, weighted toward the schema's shape. */
export const experimentText = fc.oneof(
  { arbitrary: schemaText, weight: 6 },
  { arbitrary: mutatedText, weight: 3 },
  { arbitrary: anyText, weight: 2 },
  { arbitrary: aliasText, weight: 1 },
  { arbitrary: deepText, weight: 1 },
  { arbitrary: rawText, weight: 2 },
);

// ---- the property ------------------------------------------------------

/**
 * Whether a dotted problem path points into the file: its parent resolves in
 * `value` (keys may themselves hold dots, so every split is tried), the last
 * key being the field, which may be the missing one.
 */
function pointsInto(value: unknown, segments: string[]): boolean {
  if (value === null || typeof value !== 'object') return false;
  for (let n = 1; n <= segments.length; n++) {
    if (n === segments.length) return true;
    const key = segments.slice(0, n).join('.');
    if (Object.hasOwn(value, key) && pointsInto((value as Record<string, unknown>)[key], segments.slice(n))) return true;
  }
  return false;
}

const LINE = /^line \d+, column \d+$/;

export type Verdict = { ok: true; valid: boolean; name?: string } | { ok: false; why: string };

/** Loads one text and checks the property; never throws itself. */
export function checkText(text: string): Verdict {
  let out: ReturnType<typeof parseExperiment>;
  try {
    out = parseExperiment(FILE, text);
  } catch (err) {
    return { ok: false, why: `parseExperiment threw: ${String((err as Error)?.stack ?? err)}` };
  }
  if (out.ok) {
    const { id, file, spec } = out.experiment;
    if (id !== 'fuzz' || file !== FILE) return { ok: false, why: `wrong id or file: ${id}, ${file}` };
    const filled =
      spec.model &&
      spec.training &&
      spec.signatures &&
      spec.analysis &&
      (typeof spec.description === 'string' || typeof spec.description === 'object') &&
      Array.isArray(spec.dataset.probes) &&
      Array.isArray(spec.model.hidden) &&
      typeof spec.training.epochs === 'number' &&
      typeof spec.analysis.permutations === 'number' &&
      typeof spec.dataset.samplesPerClass === 'number';
    if (!filled) return { ok: false, why: `defaults not filled in: ${JSON.stringify(spec)}` };
    const again = ExperimentSpec.safeParse(spec);
    if (!again.success || !isDeepStrictEqual(again.data, spec)) return { ok: false, why: `a valid spec does not parse to itself: ${JSON.stringify(spec)}` };
    const numbers: number[] = [];
    JSON.stringify(spec, (_, v) => (typeof v === 'number' && numbers.push(v), v));
    if (numbers.some((n) => !Number.isFinite(n))) return { ok: false, why: `a valid spec holds a non-finite number: ${JSON.stringify(spec)}` };
    return { ok: true, valid: true };
  }
  const e = out.error;
  if (e.name !== 'InvalidExperiment' && e.name !== 'UnreadableExperiment') return { ok: false, why: `unnamed error ${String(e.name)}` };
  if (e.file !== FILE || !e.title || !e.hint) return { ok: false, why: `error without file, title or hint: ${JSON.stringify(e)}` };
  if (e.title === 'the file could not be checked.') return { ok: false, why: `the loader's last-resort catch was reached: ${e.problems[0]?.message}` };
  if (!Array.isArray(e.problems) || e.problems.length === 0 || e.problems.length > MAX_PROBLEMS + 1)
    return { ok: false, why: `${e.problems?.length} problems` };
  for (const p of e.problems) {
    if (typeof p.path !== 'string' || typeof p.message !== 'string' || p.message.length === 0)
      return { ok: false, why: `a problem without path or message: ${JSON.stringify(p)}` };
  }
  if (e.name === 'UnreadableExperiment') {
    if (!e.problems.every((p) => p.path === '' || LINE.test(p.path)))
      return { ok: false, why: `an unreadable file's problem is not at a line: ${JSON.stringify(e.problems)}` };
  } else {
    // Each field path points into the file: its parent is there (the field itself may be the missing one).
    let value: unknown;
    try {
      value = parse(text, { maxAliasCount: -1, logLevel: 'error' }) ?? {}; // an empty file is an empty mapping, as in the loader
    } catch {
      return { ok: true, valid: false, name: e.name };
    }
    for (const p of e.problems) {
      if (p.path && !/^and \d+ more/.test(p.message) && !pointsInto(value, p.path.split('.')))
        return { ok: false, why: `problem path ${p.path} is not in the file: ${JSON.stringify(e.problems)}` };
    }
  }
  return { ok: true, valid: false, name: e.name };
}

export interface FuzzReport {
  cases: number;
  valid: number;
  invalid: number;
  unreadable: number;
  failures: { text: string; why: string }[];
  ms: number;
  seed: number;
}

/** Runs `cases` generated files through the loader; `seed` makes the run repeatable. */
export function fuzz(cases: number, seed: number, onProgress?: (done: number) => void): FuzzReport {
  const report: FuzzReport = { cases: 0, valid: 0, invalid: 0, unreadable: 0, failures: [], ms: 0, seed };
  const t0 = performance.now();
  const result = fc.check(
    fc.property(experimentText, (text) => {
      const v = checkText(text);
      report.cases++;
      if (report.cases % 1000 === 0) onProgress?.(report.cases);
      if (!v.ok) {
        if (report.failures.length < 20) report.failures.push({ text: text.slice(0, 2000), why: v.why });
        return false;
      }
      if (v.valid) report.valid++;
      else if (v.name === 'UnreadableExperiment') report.unreadable++;
      else report.invalid++;
      return true;
    }),
    { seed, numRuns: cases, endOnFailure: true },
  );
  if (result.failed && result.counterexample)
    report.failures.unshift({
      text: String(result.counterexample[0]).slice(0, 2000),
      why: `shrunk counterexample: ${checkText(String(result.counterexample[0])).ok ? '(passes alone)' : (checkText(String(result.counterexample[0])) as { why: string }).why}`,
    });
  report.ms = performance.now() - t0;
  return report;
}
