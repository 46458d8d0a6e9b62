import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { readFailure, specMeaning } from '../results/store.ts';
import { readResult } from '../results/read.ts';
import type { Result } from '../results/schema.ts';
import { fromInvalid, needsData, type RunFailure } from '../spec/errors.ts';
import { loadExperiments } from '../spec/load.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { canonicalJson, sha256 } from '../util/hash.ts';
import { digest, inputsKey, pageKey, routeLang } from './cache-key.ts';
import { rememberStored, resultsDir } from './stored.ts';

// The site's only door to the pipeline: validated results, for the
// experiments that still have a file in experiments/. An experiment whose
// file is invalid, whose last run failed, that has no result yet, or whose
// result no longer matches its file is shown as a card that says so, never
// as a stale page or a missing one.

const experimentsDir = () => resolve(process.env.CHEMINS_EXPERIMENTS ?? 'experiments');
export { resultsDir } from './stored.ts';

export interface SiteFailure extends RunFailure {
  kind: 'invalid' | 'failed' | 'needs-data' | 'missing' | 'stale';
}

interface SiteState {
  results: Result[];
  failures: SiteFailure[];
}

const meaning = (spec: ExperimentSpec) => canonicalJson(specMeaning(spec));

let cache: SiteState | null = null;

function load(): SiteState {
  const dir = experimentsDir();
  const outcomes = existsSync(dir) ? loadExperiments(dir) : [];
  const results: Result[] = [];
  const failures: SiteFailure[] = [];
  for (const o of outcomes) {
    if (!o.ok) {
      const id = basename(o.error.file).replace(/\.ya?ml$/, '');
      failures.push({ ...fromInvalid(id, o.error), kind: 'invalid' });
      continue;
    }
    const { id, file, spec } = o.experiment;
    const failure = readFailure(resultsDir(), id);
    if (failure) {
      failures.push({ ...failure, kind: needsData(failure) ? 'needs-data' : 'failed' });
      continue;
    }
    const r = readResult(resultsDir(), id);
    if (!r.ok) {
      failures.push({
        id,
        file,
        name: 'NoResult',
        title: 'this experiment has no usable result.',
        problems: [{ path: '', message: r.reason }],
        hint: 'Run `npm run build` (or `npm run experiments`) to compute it.',
        kind: 'missing',
      });
    } else if (meaning(r.result.spec) !== meaning(spec)) {
      failures.push({
        id,
        file,
        name: 'StaleResult',
        title: 'the stored result was computed from another version of this file.',
        problems: [{ path: '', message: `results/${id}.json no longer matches ${file}` }],
        hint: 'Run `npm run build` (or `npm run experiments`) to recompute it.',
        kind: 'stale',
      });
    } else {
      // Titles and descriptions are labels: the file's current ones are shown.
      const shown = { ...r.result, spec: { ...r.result.spec, title: spec.title, description: spec.description } };
      rememberStored(shown, sha256(r.text));
      results.push(shown);
    }
  }
  if (failures.length) console.warn(`[chemins] experiments shown as not built:\n  ${failures.map((f) => `${f.id}: ${f.title}`).join('\n  ')}`);
  return { results, failures };
}

/** The original study (the default experiment): listed first, the others after it by id. */
export const ORIGINAL_STUDY = 'mnist-1-vs-7';

export function loadResults(): Result[] {
  cache ??= load();
  return cache.results;
}

/** Results in the order the site lists them: the original study first. */
export function listedResults(): Result[] {
  return [...loadResults()].sort((a, b) => Number(b.id === ORIGINAL_STUDY) - Number(a.id === ORIGINAL_STUDY) || a.id.localeCompare(b.id));
}

export function loadFailures(): SiteFailure[] {
  cache ??= load();
  return cache.failures;
}

export function resultById(id: string): Result | undefined {
  return loadResults().find((r) => r.id === id);
}

/** The experiment pages: one per result, and where a failed experiment's page would be, its card; each keyed by what it shows (cache-key.ts). */
export function experimentPaths({ routePattern }: { routePattern: string }) {
  const lang = routeLang(routePattern);
  return [
    ...loadResults().map((result) => ({
      params: { id: result.id },
      props: { result, failure: null },
      cacheKey: pageKey(lang, 'experiment', inputsKey(result)),
    })),
    ...loadFailures().map((failure) => ({
      params: { id: failure.id },
      props: { result: null, failure },
      cacheKey: pageKey(lang, 'failure', digest(canonicalJson(failure))),
    })),
  ];
}
