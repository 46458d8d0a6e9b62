import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readResult } from '../results/store.ts';
import type { Result } from '../results/schema.ts';
import { experimentFiles } from '../spec/load.ts';
import { basename } from 'node:path';

// The site's only door to the pipeline: read validated results, for the
// experiments that still have a file in experiments/.

const experimentsDir = () => resolve(process.env.CHEMINS_EXPERIMENTS ?? 'experiments');
const resultsDir = () => resolve(process.env.CHEMINS_RESULTS ?? 'results');

let cache: Result[] | null = null;

export function loadResults(): Result[] {
  if (cache) return cache;
  const dir = experimentsDir();
  const ids = existsSync(dir) ? experimentFiles(dir).map((f) => basename(f).replace(/\.ya?ml$/, '')) : [];
  const results: Result[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const r = readResult(resultsDir(), id);
    if (r.ok) results.push(r.result);
    else missing.push(`${id}: ${r.reason}`);
  }
  if (missing.length) console.warn(`[chemins] experiments without a usable result (run \`npm run experiments\`):\n  ${missing.join('\n  ')}`);
  cache = results;
  return results;
}

export function resultById(id: string): Result | undefined {
  return loadResults().find((r) => r.id === id);
}
