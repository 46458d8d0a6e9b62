// The site's build: `astro build`, unless nothing it reads changed since the
// last complete build into the same output folder and that folder is as the
// build left it (scripts/site/fingerprint.ts says what is read); then the
// folder is kept as it is. `npm run site` runs it, and `npm run build` after
// the experiments.
//   node scripts/site.ts [--force]
// --force builds everything again: no skip, and Astro's incremental cache
// ignored (astro build --force).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheRoot, compileCacheDir } from '../src/util/cache-store.ts';
import { sha256 } from '../src/util/hash.ts';
import { outputDir, outputState, siteInputs } from './site/fingerprint.ts';

const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });

const out = outputDir();
const record = join(cacheRoot(), `site-${sha256(out).slice(0, 16)}.json`);
const inputs = siteInputs();

interface SiteRecord {
  outDir: string;
  inputs: string;
  output: string;
}

let last: SiteRecord | null = null;
try {
  last = JSON.parse(readFileSync(record, 'utf8')) as SiteRecord;
} catch {
  // no complete build recorded
}

if (!values.force && last && last.outDir === out && last.inputs === inputs.digest && last.output === outputState(out)) {
  console.log(
    `[chemins] site: nothing it reads changed since the last build into ${out} (fingerprint ${inputs.digest.slice(0, 12)}), which is kept as it is. --force builds it again.`,
  );
  process.exit(0);
}

// The record is emptied first: a build that fails or is killed leaves none.
mkdirSync(dirname(record), { recursive: true });
writeFileSync(record, '');
const astro = createRequire(import.meta.url)
  .resolve('astro/package.json')
  .replace(/package\.json$/, 'bin/astro.mjs');
const env = {
  ...process.env,
  NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? compileCacheDir(),
  ASTRO_TELEMETRY_DISABLED: process.env.ASTRO_TELEMETRY_DISABLED ?? '1',
};
const run = spawnSync(process.execPath, [...process.execArgv, astro, 'build', ...(values.force ? ['--force'] : [])], { stdio: 'inherit', env });
if (run.status !== 0) process.exit(run.status ?? 1);

const tmp = `${record}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify({ outDir: out, inputs: inputs.digest, output: outputState(out) } satisfies SiteRecord));
renameSync(tmp, record);
