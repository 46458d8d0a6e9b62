// Errors as data, in the style of Astro's content errors: a name, a title,
// the file, one line per problem (field path, then message) and a hint.

export interface Problem {
  /** Dotted field path in the file, e.g. `dataset.classes.1`; empty for the whole file. */
  path: string;
  message: string;
}

export interface ExperimentError {
  name: 'InvalidExperiment' | 'UnreadableExperiment';
  file: string;
  title: string;
  problems: Problem[];
  hint: string;
}

export function formatError(e: ExperimentError | RunFailure): string {
  const lines = [`[${e.name}] ${e.file}: ${e.title}`];
  for (const p of e.problems) lines.push(`  ${p.path || '(file)'}: ${p.message}`);
  lines.push(`  Hint: ${e.hint}`);
  return lines.join('\n');
}

/**
 * A problem found while running a valid experiment (data, training), blamed
 * on the field of the experiment file that can fix it.
 */
export class FieldError extends Error {
  readonly field: string;
  readonly hint: string;
  constructor(field: string, message: string, hint: string) {
    super(`${field}: ${message}`);
    this.name = 'FieldError';
    this.field = field;
    this.hint = hint;
  }
}

/** What the command prints, and the site shows, for an experiment that failed while running. */
export interface RunFailure {
  id: string;
  file: string;
  /** `InvalidExperiment` etc. for a file that does not validate, `ExperimentFailed` for a run that stopped. */
  name: string;
  title: string;
  problems: Problem[];
  hint: string;
}

export function runFailure(id: string, file: string, err: unknown): RunFailure {
  if (err instanceof FieldError) {
    return { id, file, name: 'ExperimentFailed', title: 'the experiment stopped.', problems: [{ path: err.field, message: err.message.slice(err.field.length + 2) }], hint: err.hint };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { id, file, name: 'ExperimentFailed', title: 'the experiment stopped on an unexpected error.', problems: [{ path: '', message: e.stack ?? e.message }], hint: 'This is likely a bug in Chemins: please report it with the experiment file.' };
}

export function fromInvalid(id: string, e: ExperimentError): RunFailure {
  return { id, ...e };
}
