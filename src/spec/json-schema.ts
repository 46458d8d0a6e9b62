import { z } from 'zod';
import { ExperimentSpec } from './schema.ts';

/** The experiment schema as JSON Schema text (what a user may write: defaults are optional). */
export function experimentJsonSchema(): string {
  const schema = z.toJSONSchema(ExperimentSpec, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Chemins experiment', description: 'One experiment of a Chemins report: experiments/<id>.yaml' }, null, 2)}\n`;
}
