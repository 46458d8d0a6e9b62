// Brings results made elsewhere (the shards of a sweep, the artifacts a CI job
// downloaded) into the results store, checking each against the experiment
// files as they are now. Says what it merged, skipped and refused; exits 1
// when something was refused or two results conflict, 2 on a usage error.
//
//   npm run merge -- DIR… [--into results] [--experiments experiments]
import { parseArgs } from 'node:util';
import { mergeFailed, mergeResults, type Verdict } from '../src/pipeline/merge.ts';
import { checkWritable } from '../src/results/store.ts';
import { formatError, visible } from '../src/spec/errors.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    into: { type: 'string', default: process.env.CHEMINS_RESULTS ?? 'results' },
    experiments: { type: 'string', default: process.env.CHEMINS_EXPERIMENTS ?? 'experiments' },
  },
});

if (positionals.length === 0) {
  console.error(
    "usage: npm run merge -- DIR… [--into results] [--experiments experiments]\n  DIR: a folder of results (a shard's --results folder, or downloaded artifacts)",
  );
  process.exit(2);
}

const unwritable = checkWritable(values.into);
if (unwritable) {
  console.error(`${values.into} cannot be written, so nothing can be merged into it: ${unwritable.message}\n  Hint: ${unwritable.hint}`);
  process.exit(2);
}

let verdicts: Verdict[];
try {
  verdicts = await mergeResults({ from: positionals, into: values.into, experimentsDir: values.experiments });
} catch (err) {
  console.error(`nothing merged: ${(err as Error).message}`);
  process.exit(2);
}

const mark = { merged: '✓', skipped: '=', refused: '✗', conflict: '✗', failed: '○' } as const;
console.log(`Merging ${positionals.join(', ')} into ${values.into} (experiment files in ${values.experiments}):`);
for (const v of verdicts) {
  const head = `  ${mark[v.kind]} ${v.id ? `${v.id}: ` : ''}`;
  if (v.kind === 'merged') console.log(`${head}merged from ${v.from}${v.note ? `, ${v.note}` : ''}`);
  else if (v.kind === 'failed')
    console.log(`${head}failed in ${v.from}; its failure is kept for the site:\n${formatError(v.failure).replace(/^/gm, '      ')}`);
  else console.log(`${head}${v.kind === 'conflict' ? 'conflict' : v.kind}: ${visible(v.reason)}`);
}
const count = (kind: Verdict['kind']) => verdicts.filter((v) => v.kind === kind).length;
console.log(
  `${count('merged')} merged, ${count('skipped')} skipped, ${count('refused')} refused, ${count('conflict')} in conflict, ${count('failed')} failed in their shard.`,
);
process.exit(mergeFailed(verdicts) ? 1 : 0);
