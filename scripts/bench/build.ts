import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ExperimentSpec } from '../../src/spec/schema.ts';
import { runNode, type NodeRun } from './child.ts';
import { DEFAULT_EXPERIMENT, ROOT } from './datasets.ts';

// Build time of the site, end to end, in a private temp tree (experiments
// folder, results store, output folder) so the bench neither disturbs nor
// depends on the state of the repository's own results/ and dist/ beyond
// what it copies. The site needs a result for every experiment (the report
// cites them all), and building all of them from nothing takes several
// minutes here; so by default only the default experiment starts cold, and
// the others' results are copied from the repository's results/ store, where
// the experiments script checks and reuses them (or rebuilds them, if stale).
// --cold-all starts every experiment from an empty store.

export interface Step {
  ok: boolean;
  seconds: number;
  cpuSeconds: number | null;
  maxRssMiB: number | null;
  processes: number;
  error: string;
  /** For the experiments script: built, reused or relabelled, as it reports; for astro, the pages written. */
  status?: string;
}

export interface BuildRow {
  name: string;
  what: string;
  experiments: Step | null;
  astro: Step;
}

const step = (r: NodeRun, status?: string): Step => ({
  ok: r.ok,
  seconds: r.seconds,
  cpuSeconds: r.cpuSeconds,
  maxRssMiB: r.maxRssMiB,
  processes: r.processes,
  error: r.error,
  status,
});

/** The field changed for the "one experiment changed" build: an analysis setting, which still changes the result's hash. */
export const CHANGED_FIELD = ['analysis', 'topPaths'];

function changeOneField(file: string): string {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const current = ExperimentSpec.parse(doc.toJS()).analysis.topPaths;
  doc.setIn(CHANGED_FIELD, current + 1);
  writeFileSync(file, doc.toString());
  return `${CHANGED_FIELD.join('.')}: ${current} → ${current + 1}`;
}

const SOURCE_RESULTS = join(ROOT, 'results');

/** Copies the stored result of `id` (its JSON and its artifact folder) when the repository has both. */
function seedResult(id: string, results: string): boolean {
  const json = join(SOURCE_RESULTS, `${id}.json`);
  const folder = join(SOURCE_RESULTS, id);
  if (!existsSync(json) || !existsSync(folder)) return false;
  mkdirSync(results, { recursive: true });
  cpSync(folder, join(results, id), { recursive: true });
  copyFileSync(json, join(results, `${id}.json`));
  return true;
}

/** "1 built (mnist-1-vs-7), 7 reused": names where there are few enough to read. */
function summarise(outcomes: { id: string; status: string }[]): string {
  const by = new Map<string, string[]>();
  for (const o of outcomes) by.set(o.status, [...(by.get(o.status) ?? []), o.id]);
  return [...by].map(([status, ids]) => `${ids.length} ${status}${ids.length <= 2 ? ` (${ids.join(', ')})` : ''}`).join(', ');
}

export interface BuildBench {
  rows: BuildRow[];
  /** Ids of the experiments in the temp folder. */
  experiments: string[];
  /** Those whose stored result was copied from results/ before the cold build. */
  seeded: string[];
  /** The untimed run that checked the copied results before the cold build: which it had to rebuild, and how long it took. */
  primed: { rebuilt: number; seconds: number } | null;
}

export function benchBuild(options: { coldAll: boolean; log: (line: string) => void }): BuildBench {
  const { log } = options;
  const tmp = mkdtempSync(join(tmpdir(), 'chemins-bench-build-'));
  const dirs = { experiments: join(tmp, 'experiments'), results: join(tmp, 'results'), dist: join(tmp, 'dist') };
  mkdirSync(dirs.experiments);
  const file = join(dirs.experiments, basename(DEFAULT_EXPERIMENT));
  const files = readdirSync(join(ROOT, 'experiments')).filter((f) => /\.ya?ml$/.test(f));
  for (const f of files) copyFileSync(join(ROOT, 'experiments', f), join(dirs.experiments, f));
  const ids = files.map((f) => f.replace(/\.ya?ml$/, ''));
  const defaultId = basename(DEFAULT_EXPERIMENT).replace(/\.ya?ml$/, '');
  const seeded = options.coldAll ? [] : ids.filter((id) => id !== defaultId && seedResult(id, dirs.results));
  const env = { CHEMINS_RESULTS: dirs.results, CHEMINS_EXPERIMENTS: dirs.experiments, CHEMINS_DIST: dirs.dist, ASTRO_TELEMETRY_DISABLED: '1' };
  const experiments = (only: string[] = []): Step => {
    // Default --jobs, as `npm run build` runs it: with several experiments to
    // build they go to worker processes, which the RSS hook follows.
    const r = runNode(
      [join(ROOT, 'scripts/experiments.ts'), '--experiments', dirs.experiments, '--results', dirs.results, ...(only.length ? ['--only', only.join(',')] : [])],
      env,
    );
    const outcomes = [...`${r.stdout}\n${r.stderr}`.matchAll(/✓ ([\w-]+): (\w+)/g)].map((m) => ({ id: m[1], status: m[2] }));
    return step(r, summarise(outcomes));
  };
  const astro = (): Step => {
    rmSync(dirs.dist, { recursive: true, force: true });
    const r = runNode([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], env);
    const pages = existsSync(dirs.dist) ? readdirSync(dirs.dist, { recursive: true }).filter((f) => String(f).endsWith('.html')).length : 0;
    return step(r, `${pages} pages`);
  };
  const rows: BuildRow[] = [];
  const both = (name: string, what: string) => {
    log(`  build: ${name}`);
    const e = experiments();
    rows.push({ name, what, experiments: e, astro: astro() });
  };
  let primed: BuildBench['primed'] = null;
  try {
    if (seeded.length) {
      // A copied result that no longer matches its experiment (a stale
      // results/) would be rebuilt inside the cold build and swamp it:
      // settle them first, untimed, so that cold means the default experiment.
      log('  build: checking the copied results (untimed)');
      const p = experiments(seeded);
      primed = { rebuilt: Number(p.status?.match(/(\d+) built/)?.[1] ?? 0), seconds: p.seconds };
    }
    both(
      'cold',
      `${seeded.length ? `${defaultId} from nothing, the other results copied from results/` : 'empty results store'}: experiments script, then astro build`,
    );
    both('warm', 'nothing changed: experiments script (reuses the stored results), then astro build');
    log('  build: bare astro build');
    rows.push({ name: 'bare astro build', what: 'astro build alone on the same results (the baseline)', experiments: null, astro: astro() });
    const change = changeOneField(file);
    both('one experiment changed', `${change} in the copy of ${basename(DEFAULT_EXPERIMENT)}, then experiments script and astro build`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { rows, experiments: ids, seeded, primed };
}
