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

export function formatError(e: ExperimentError): string {
  const lines = [`[${e.name}] ${e.file}: ${e.title}`];
  for (const p of e.problems) lines.push(`  ${p.path || '(file)'}: ${p.message}`);
  lines.push(`  Hint: ${e.hint}`);
  return lines.join('\n');
}
