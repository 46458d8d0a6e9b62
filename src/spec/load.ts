import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { readTextFile, type ReadFailure } from '../util/read-file.ts';
import { ExperimentSpec } from './schema.ts';
import type { ExperimentError, Problem } from './errors.ts';

export interface LoadedExperiment {
  id: string;
  file: string;
  spec: ExperimentSpec;
}

export type LoadOutcome = { ok: true; experiment: LoadedExperiment } | { ok: false; error: ExperimentError };

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SCHEMA_HINT =
  'Each field is described in experiments/experiment.schema.json; editors that read `# yaml-language-server: $schema=` complete and check it.';

/** An experiment file holds a few lines of settings: anything bigger is refused before it is read. */
export const MAX_EXPERIMENT_BYTES = 1 << 20;
/**
 * The `yaml` package's guard against alias bombs (anchors whose aliases
 * expand to billions of nodes), set here so that it is seen: uses of an
 * alias times the aliases it holds. An experiment file needs a few at most.
 */
export const MAX_ALIAS_COUNT = 100;
/** At most this many problems are listed per file; the rest are counted. */
export const MAX_PROBLEMS = 20;
const MAX_MESSAGE = 300;

const clip = (s: string, n = MAX_MESSAGE) => (s.length > n ? `${s.slice(0, n)}… (${s.length.toLocaleString('en')} characters)` : s);

function capped(problems: Problem[]): Problem[] {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => ({ path: clip(p.path, 120), message: clip(p.message) }));
  if (problems.length > MAX_PROBLEMS) shown.push({ path: '', message: `and ${problems.length - MAX_PROBLEMS} more problem(s)` });
  return shown;
}

const unreadable = (file: string, title: string, message: string, hint: string, path = ''): LoadOutcome => ({
  ok: false,
  error: { name: 'UnreadableExperiment', file, title, problems: [{ path, message }], hint },
});

/** A file that reads as YAML but is not an experiment: what the schema found. */
const invalid = (file: string, problems: Problem[]): LoadOutcome => ({
  ok: false,
  error: { name: 'InvalidExperiment', file, title: 'the experiment does not match its schema.', problems, hint: SCHEMA_HINT },
});

/** What the file holds when it is not a mapping of fields, in words. */
function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a single string';
  return `a single ${typeof v === 'object' ? 'null' : typeof v} value`;
}

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((i) => {
    let message = i.message;
    if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `\`${clip(k, 60)}\``).join(', ')}`;
    return { path: issuePath(i.path), message };
  });
}

/**
 * Parses and validates one experiment file's text; `file` names it in errors.
 * Never throws: whatever the text, the outcome is a spec with its defaults
 * filled in, or one named error with the field (or line) of each problem.
 */
export function parseExperiment(file: string, text: string): LoadOutcome {
  try {
    return parseChecked(file, text);
  } catch (err) {
    // Not reached by any input the fuzz test (tests/fuzz-spec.test.ts) has found; kept so that one file can never stop the others.
    return unreadable(
      file,
      'the file could not be checked.',
      clip(String((err as Error)?.message ?? err)),
      'This is likely a bug in Chemins: please report it with the experiment file; the other experiments still run.',
    );
  }
}

function parseChecked(file: string, text: string): LoadOutcome {
  const id = basename(file).replace(/\.ya?ml$/, '');
  if (!ID.test(id)) {
    return {
      ok: false,
      error: {
        name: 'InvalidExperiment',
        file,
        title: 'the file name is not a valid experiment id.',
        problems: [{ path: '', message: `"${id}" must be lower-case letters, digits and dashes (it becomes the URL /experiments/${id}/)` }],
        hint: 'Rename the file, e.g. experiments/mnist-4-vs-9.yaml.',
      },
    };
  }
  // Warnings (an unknown tag, a collection as a key) are not printed: what matters reaches the schema.
  const doc = parseDocument(text, { prettyErrors: true, logLevel: 'error' });
  if (doc.errors.some((e) => /Maximum call stack|Stack overflow/.test(e.message))) {
    return unreadable(
      file,
      'the file is nested too deeply to read.',
      clip(doc.errors[0].message.split('\n')[0]),
      'An experiment file is a few levels deep at most: check its brackets and indentation.',
    );
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      error: {
        name: 'UnreadableExperiment',
        file,
        title: 'the file is not valid YAML.',
        problems: capped(
          doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '', message: e.message.split('\n')[0] })),
        ),
        hint: 'Check the indentation and the quoting near the line shown.',
      },
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    if (/Excessive alias count/.test(message)) {
      return unreadable(
        file,
        'its aliases expand too far: the file is refused as a YAML alias bomb.',
        `the anchors (&name) and aliases (*name) would expand past the limit of ${MAX_ALIAS_COUNT} (${message})`,
        'Write the values out instead of nesting aliases of aliases: an experiment file needs a few aliases at most.',
      );
    }
    if (/Unresolved alias/.test(message))
      return unreadable(file, 'the file is not valid YAML.', clip(message), 'Define each anchor (&name) before an alias (*name) uses it.');
    if (err instanceof RangeError)
      return unreadable(
        file,
        'the file is nested too deeply to read.',
        clip(message),
        'An experiment file is a few levels deep at most: check its brackets and indentation.',
      );
    throw err;
  }
  value ??= {};
  if (typeof value !== 'object' || Array.isArray(value))
    return invalid(file, [{ path: '', message: `the file holds ${describeValue(value)} instead of fields such as \`title:\` and \`dataset:\`` }]);
  const parsed = ExperimentSpec.safeParse(value);
  if (!parsed.success) return invalid(file, capped(zodProblems(parsed.error)));
  return { ok: true, experiment: { id, file, spec: parsed.data } };
}

export function experimentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads every experiment file in `dir`; an invalid file never hides the others. */
export function loadExperiments(dir: string, cwd = process.cwd()): LoadOutcome[] {
  return experimentFiles(dir).map((path) => {
    const file = relative(cwd, path) || path;
    const read = readTextFile(path, MAX_EXPERIMENT_BYTES);
    return read.ok ? parseExperiment(file, read.text) : unreadableFile(file, read);
  });
}

/** One message and one hint per reason a file cannot be read. */
function unreadableFile(file: string, read: ReadFailure): LoadOutcome {
  switch (read.cause) {
    case 'missing':
      return unreadable(file, 'the file is gone.', read.message, 'It was removed while the build ran; run it again.');
    case 'dangling':
      return unreadable(file, 'the file is a link to nothing.', read.message, 'Point the link at an experiment file, or remove it.');
    case 'directory':
      return unreadable(
        file,
        'it is a folder, not an experiment file.',
        read.message,
        'Only files ending in .yaml or .yml are experiments: rename the folder, or move it out of the experiments folder.',
      );
    case 'special':
      return unreadable(
        file,
        `it is a ${read.kind}, not an experiment file.`,
        read.message,
        'An experiment is a regular text file of settings: replace this one with such a file (a device, a pipe or a socket is never read).',
      );
    case 'too-big':
      return unreadable(
        file,
        'the file is too big to be an experiment (at most 1 MB).',
        read.message,
        'An experiment file holds settings only, a few lines; the data goes in an IDX folder named by dataset.folder.',
      );
    case 'not-text':
      return unreadable(file, 'the file is not text.', read.message, 'Save it as UTF-8 text: an experiment file is YAML.');
    case 'denied':
      return unreadable(
        file,
        'the file cannot be read: permission denied.',
        read.message,
        'Check its permissions: the user running the build must be able to read it (e.g. chmod a+r).',
      );
    default:
      return unreadable(
        file,
        'the file cannot be read.',
        `${read.message}${read.code ? ` (${read.code})` : ''}`,
        'Check the disk holding it; the other experiments still run.',
      );
  }
}
