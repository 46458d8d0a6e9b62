// The performance benchmark: training throughput, k-means, build time and
// peak memory, each against a baseline measured in the same run, written as
// a Markdown table to bench/latest.md (see scripts/bench/run.ts).
//   npm run bench [-- --quick] [--in-process] [--only training,webgpu,kmeans,build,explorer]
//                 [--no-cnn] [--fashion-ml-kmeans] [--cold-all] [--out FILE]
// With --part NAME --args JSON it is the child process of one measured part.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { printResult } from './bench/child.ts';
import { parts, type PartName } from './bench/parts.ts';
import type { SectionName } from './bench/run.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    quick: { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
    only: { type: 'string' },
    cnn: { type: 'boolean', default: true },
    'fashion-ml-kmeans': { type: 'boolean', default: false },
    'cold-all': { type: 'boolean', default: false },
    out: { type: 'string' },
    part: { type: 'string' },
    args: { type: 'string', default: '{}' },
  },
});

if (values.part) {
  if (!(values.part in parts)) throw new Error(`--part must be one of ${Object.keys(parts).join(', ')}`);
  const run = parts[values.part as PartName] as (args: unknown, quick: boolean) => Promise<unknown>;
  printResult(await run(JSON.parse(values.args), values.quick));
  process.exit(0);
}

// Imported only here: a part's child process loads what its part needs and no more.
const { runBench, SECTIONS } = await import('./bench/run.ts');
const sections = (values.only?.split(',') ?? [...SECTIONS]) as SectionName[];
const unknown = sections.filter((s) => !SECTIONS.includes(s));
if (unknown.length) {
  console.error(`--only: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
  process.exit(2);
}
const markdown = await runBench({
  quick: values.quick,
  inProcess: values['in-process'],
  sections,
  cnn: values.cnn,
  fashionMlKMeans: values['fashion-ml-kmeans'],
  coldAll: values['cold-all'],
  log: (line) => console.error(line),
});
// A quick run is a smoke test: it writes only where asked, never over the
// figures of a full run.
const out = values.out ?? (values.quick ? null : 'bench/latest.md');
if (out) {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, markdown);
}
console.log(markdown);
