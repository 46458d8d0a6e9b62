// The long run of the experiment-file fuzz test (tests/fuzz-spec.test.ts runs
// 1,500 cases): `npm run fuzz -- --cases 100000 --seed 7`. Prints how many
// files were generated, how long they took, how each was answered and every
// failure of the property (parseExperiment threw, or an error without a name
// or a field path, or a valid spec without its defaults); exits 1 on any.
import { parseArgs } from 'node:util';
import { fuzz } from '../tests/fuzz/experiment-files.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '50000' }, seed: { type: 'string', default: String(Date.now() % 2 ** 31) } } });
const cases = Number(values.cases);
const seed = Number(values.seed);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('--cases and --seed must be whole numbers');
  process.exit(2);
}
console.log(`Fuzzing the experiment loader: ${cases.toLocaleString('en')} generated files, seed ${seed}.`);
const report = fuzz(cases, seed, (done) => {
  if (done % 10000 === 0) console.log(`  ${done.toLocaleString('en')} files…`);
});
const share = (n: number) => `${n.toLocaleString('en')} (${((100 * n) / report.cases).toFixed(1)} %)`;
console.log(
  `${report.cases.toLocaleString('en')} files in ${(report.ms / 1000).toFixed(1)} s (${((1000 * report.cases) / report.ms).toFixed(0)} per second): valid ${share(report.valid)}, invalid ${share(report.invalid)}, unreadable ${share(report.unreadable)}; ${report.failures.length ? 'FAILURES' : 'failures'}: ${report.failures.length}.`,
);
for (const f of report.failures) console.log(`\n✗ ${f.why}\n  file: ${JSON.stringify(f.text)}`);
if (report.failures.length) console.log(`\nReplay with: npm run fuzz -- --cases ${cases} --seed ${seed}`);
process.exit(report.failures.length ? 1 : 0);
