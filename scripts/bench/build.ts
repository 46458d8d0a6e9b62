import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ExperimentSpec } from '../../src/spec/schema.ts';
import { runNode, type NodeRun } from './child.ts';
import { DEFAULT_EXPERIMENT, ROOT } from './datasets.ts';

// Build time of the site, end to end, in a private temp tree (results store,
// experiments folder with only the default experiment, output folder) so the
// bench neither reads nor disturbs the repository's own results/ and dist/.

export interface Step {
  ok: boolean;
  seconds: number;
  cpuSeconds: number | null;
  maxRssMiB: number | null;
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

const step = (r: NodeRun, status?: string): Step => ({ ok: r.ok, seconds: r.seconds, cpuSeconds: r.cpuSeconds, maxRssMiB: r.maxRssMiB, error: r.error, status });

/** The field changed for the "one experiment changed" build: an analysis setting, which still changes the result's hash. */
export const CHANGED_FIELD = ['analysis', 'topPaths'];

function changeOneField(file: string): string {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const current = ExperimentSpec.parse(doc.toJS()).analysis.topPaths;
  doc.setIn(CHANGED_FIELD, current + 1);
  writeFileSync(file, doc.toString());
  return `${CHANGED_FIELD.join('.')}: ${current} → ${current + 1}`;
}

export function benchBuild(log: (line: string) => void = () => {}): { rows: BuildRow[]; experiment: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'chemins-bench-build-'));
  const dirs = { experiments: join(tmp, 'experiments'), results: join(tmp, 'results'), dist: join(tmp, 'dist') };
  mkdirSync(dirs.experiments);
  const file = join(dirs.experiments, basename(DEFAULT_EXPERIMENT));
  copyFileSync(DEFAULT_EXPERIMENT, file);
  const env = { CHEMINS_RESULTS: dirs.results, CHEMINS_EXPERIMENTS: dirs.experiments, CHEMINS_DIST: dirs.dist, ASTRO_TELEMETRY_DISABLED: '1' };
  const experiments = (): Step => {
    // One job: the experiment runs in this process, whose memory is measured, not in a worker.
    const r = runNode([join(ROOT, 'scripts/experiments.ts'), '--experiments', dirs.experiments, '--results', dirs.results, '--jobs', '1'], env);
    return step(r, `${r.stdout}\n${r.stderr}`.match(/✓ [\w-]+: (\w+)/)?.[1]);
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
  try {
    both('cold', 'empty results store: experiments script, then astro build');
    both('warm', 'nothing changed: experiments script (reuses the stored result), then astro build');
    log('  build: bare astro build');
    rows.push({ name: 'bare astro build', what: 'astro build alone on the same results (the baseline)', experiments: null, astro: astro() });
    const change = changeOneField(file);
    both('one experiment changed', `${change} in the copy, then experiments script and astro build`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { rows, experiment: basename(DEFAULT_EXPERIMENT) };
}
