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

/**
 * Control characters (an escape sequence in a hostile file's field name
 * would drive the terminal) and bidirectional overrides shown as `\u{…}`.
 */
export function visible(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

export function formatError(e: ExperimentError | RunFailure): string {
  const lines = [`[${e.name}] ${e.file}: ${e.title}`];
  for (const p of e.problems) lines.push(`  ${p.path || '(file)'}: ${p.message}`);
  lines.push(`  Hint: ${e.hint}`);
  return visible(lines.join('\n'));
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

/**
 * A file of the results store that could not be written (a full disk, a
 * read-only folder…): the message names the path and the disk. Whatever
 * was being written is removed, and the result stored before is untouched.
 */
export class StoreError extends Error {
  readonly path: string;
  readonly code: string;
  readonly hint: string;
  constructor(message: string, path: string, code: string, hint: string) {
    super(message);
    this.name = 'StoreError';
    this.path = path;
    this.code = code;
    this.hint = hint;
  }
}

/** What the command prints, and the site shows, for an experiment that failed while running. */
export interface RunFailure {
  id: string;
  file: string;
  /** `InvalidExperiment` etc. for a file that does not validate, `ExperimentFailed` for a run that stopped, `ResultNotWritten` for a store that could not be written. */
  name: string;
  title: string;
  problems: Problem[];
  hint: string;
}

export function runFailure(id: string, file: string, err: unknown): RunFailure {
  if (err instanceof MissingData) {
    return {
      id,
      file,
      name: 'NeedsData',
      title: 'the data this experiment reads is not on this machine.',
      problems: [{ path: err.field, message: err.message.slice(err.field.length + 2) }],
      hint: err.hint,
    };
  }
  if (err instanceof FieldError) {
    return {
      id,
      file,
      name: 'ExperimentFailed',
      title: 'the experiment stopped.',
      problems: [{ path: err.field, message: err.message.slice(err.field.length + 2) }],
      hint: err.hint,
    };
  }
  if (err instanceof StoreError) {
    return {
      id,
      file,
      name: 'ResultNotWritten',
      title: 'the result could not be written; the one stored before, if any, is unchanged.',
      problems: [{ path: '', message: err.message }],
      hint: err.hint,
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    id,
    file,
    name: 'ExperimentFailed',
    title: 'the experiment stopped on an unexpected error.',
    problems: [{ path: '', message: e.stack ?? e.message }],
    hint: 'This is likely a bug in Chemins: please report it with the experiment file.',
  };
}

export function fromInvalid(id: string, e: ExperimentError): RunFailure {
  return { id, ...e };
}

/**
 * Data the experiment names is not installed here (a Debian dataset package,
 * an IDX folder): not a fault of the file, and not a failed run. The command
 * reports it as a notice, the site as a "needs data" card saying what to
 * install, and the other experiments build.
 */
export class MissingData extends FieldError {
  constructor(field: string, message: string, hint: string) {
    super(field, message, hint);
    this.name = 'MissingData';
  }
}

/** Whether a stored failure only says that data is missing. */
export const needsData = (f: Pick<RunFailure, 'name'>) => f.name === 'NeedsData';
