import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ExperimentSpec } from './schema.ts';
import type { ExperimentError, Problem } from './errors.ts';

export interface LoadedExperiment {
  id: string;
  file: string;
  spec: ExperimentSpec;
}

export type LoadOutcome = { ok: true; experiment: LoadedExperiment } | { ok: false; error: ExperimentError };

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SCHEMA_HINT = 'Each field is described in experiments/experiment.schema.json; editors that read `# yaml-language-server: $schema=` complete and check it.';

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((i) => {
    let message = i.message;
    if (i.code === 'unrecognized_keys') message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `\`${k}\``).join(', ')}`;
    return { path: issuePath(i.path), message };
  });
}

/** Parses and validates one experiment file's text; `file` names it in errors. */
export function parseExperiment(file: string, text: string): LoadOutcome {
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
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      error: {
        name: 'UnreadableExperiment',
        file,
        title: 'the file is not valid YAML.',
        problems: doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '', message: e.message.split('\n')[0] })),
        hint: 'Check the indentation and the quoting near the line shown.',
      },
    };
  }
  const parsed = ExperimentSpec.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { name: 'InvalidExperiment', file, title: 'the experiment does not match its schema.', problems: zodProblems(parsed.error), hint: SCHEMA_HINT },
    };
  }
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
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      return {
        ok: false as const,
        error: { name: 'UnreadableExperiment' as const, file, title: 'the file cannot be read.', problems: [{ path: '', message: String(err) }], hint: 'Check its permissions.' },
      };
    }
    return parseExperiment(file, text);
  });
}
