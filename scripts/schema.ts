// Writes experiments/experiment.schema.json from the zod schema, so editors
// complete and check experiment files. A test keeps the two in step.
import { writeFileSync } from 'node:fs';
import { experimentJsonSchema } from '../src/spec/json-schema.ts';

const path = 'experiments/experiment.schema.json';
writeFileSync(path, experimentJsonSchema());
console.log(`wrote ${path}`);
