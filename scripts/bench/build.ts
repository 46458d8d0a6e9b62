import {
  appendFileSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ExperimentSpec } from '../../src/spec/schema.ts';
import { runNode, type NodeRun } from './child.ts';
import { DEFAULT_EXPERIMENT, ROOT } from './datasets.ts';

// Build time of the site, end to end, in a private temp tree (experiments
// folder, results store, write-ups, caches, output folder) so the bench
// neither disturbs nor depends on the state of the repository's own
// results/, dist/ and caches beyond what it copies. The site needs a result
// for every experiment (the report cites them all), and building all of them
// from nothing takes several minutes here; so by default only the default
// experiment starts cold, and the others' results are copied from the
// repository's results/ store, where the experiments script checks and
// reuses them (or rebuilds them, if stale). --cold-all starts every
// experiment from an empty store.
//
// The rows an author's loop meets: nothing changed, a write-up edited, an
// experiment's analysis changed, an experiment added; each against a full
// astro build with no cache, measured in the same run. The quick rows run
// several times (each a fresh process) and report their median.

export interface Step {
  ok: boolean;
  seconds: number;
  cpuSeconds: number | null;
  maxRssMiB: number | null;
  processes: number;
  error: string;
  /** For the experiments script: built, reused or relabelled, as it reports; for astro, what it rendered and reused. */
  status?: string;
}

export interface BuildRow {
  name: string;
  what: string;
  /** One run per repetition, in order. */
  runs: { experiments: Step | null; astro: Step }[];
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

/** The experiment the "experiment added" row drops in: three seeds, the default model and sizes, a pair no committed experiment trains. */
export const ADDED_EXPERIMENT = {
  id: 'bench-added-2-vs-6',
  yaml: 'title: MNIST 2 vs 6, probed with 3 (added by the bench)\nseeds: [1, 2, 3]\ndataset:\n  classes: [2, 6]\n  probes: [3]\n',
};

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

/** What the site build's log says it did: skipped (nothing changed), else files rendered and reused (Astro's incremental cache), figure files drawn and read from the figure store. */
/**
 * The files Astro's log names, rendered or reused (copied from its cache).
 * Pages render several at once (build.concurrency), so a rendered file's name
 * is finished by its time later, after other files' names: each name is read
 * with what directly follows it, a reused file's tag being written with it
 * (and a name may run into the next message's time stamp).
 */
export function astroFiles(log: string): { rendered: string[]; reused: string[] } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes, when Astro prints them
  const text = log.replace(/\x1b\[[0-9;]*m/g, '').replace(/ ?\(\+[\d.]+m?s\)/g, '');
  const rendered: string[] = [];
  const reused: string[] = [];
  for (const m of text.matchAll(/[├└]─ (\/\S*?)(?=\d\d:\d\d:\d\d |\s|$)( \((?:cached|restored)\))?/g)) (m[2] ? reused : rendered).push(m[1]);
  return { rendered: rendered.sort(), reused: reused.sort() };
}

export function astroSummary(log: string): { skipped: boolean; rendered: number; reused: number; drawn: number | null; stored: number | null } {
  const files = astroFiles(log);
  const figures = /figure files: (\d+) drawn, (\d+) from the store/.exec(log);
  const skipped = /site: nothing it reads changed/.test(log);
  return {
    skipped,
    rendered: files.rendered.length,
    reused: files.reused.length,
    drawn: figures ? Number(figures[1]) : null,
    stored: figures ? Number(figures[2]) : null,
  };
}

export interface BuildBench {
  rows: BuildRow[];
  /** Ids of the experiments in the temp folder before the one the bench adds. */
  experiments: string[];
  /** Those whose stored result was copied from results/ before the cold build. */
  seeded: string[];
  /** The untimed run that checked the copied results before the cold build: which it had to rebuild, and how long it took. */
  primed: { rebuilt: number; seconds: number } | null;
  repeat: number;
}

export function benchBuild(options: { coldAll: boolean; repeat?: number; log: (line: string) => void }): BuildBench {
  const { log } = options;
  const repeat = Math.max(1, options.repeat ?? 3);
  const tmp = mkdtempSync(join(tmpdir(), 'chemins-bench-build-'));
  const dirs = {
    experiments: join(tmp, 'experiments'),
    results: join(tmp, 'results'),
    content: join(tmp, 'content'),
    dist: join(tmp, 'dist'),
    cache: join(tmp, 'cache'),
  };
  mkdirSync(dirs.experiments);
  cpSync(join(ROOT, 'content'), dirs.content, { recursive: true });
  // Write-ups import components as ../src/…: beside the copy, the repository's src/.
  symlinkSync(join(ROOT, 'src'), join(tmp, 'src'), 'dir');
  const file = join(dirs.experiments, basename(DEFAULT_EXPERIMENT));
  const files = readdirSync(join(ROOT, 'experiments')).filter((f) => /\.ya?ml$/.test(f));
  for (const f of files) copyFileSync(join(ROOT, 'experiments', f), join(dirs.experiments, f));
  const ids = files.map((f) => f.replace(/\.ya?ml$/, ''));
  const defaultId = basename(DEFAULT_EXPERIMENT).replace(/\.ya?ml$/, '');
  const seeded = options.coldAll ? [] : ids.filter((id) => id !== defaultId && seedResult(id, dirs.results));
  const env = {
    CHEMINS_RESULTS: dirs.results,
    CHEMINS_EXPERIMENTS: dirs.experiments,
    CHEMINS_CONTENT: dirs.content,
    CHEMINS_DIST: dirs.dist,
    CHEMINS_CACHE: dirs.cache,
    ASTRO_TELEMETRY_DISABLED: '1',
  };
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
  const astro = (cache = dirs.cache): Step => {
    // As `npm run build` runs it (scripts/site.ts, then astro build unless nothing changed); the output folder and caches stay from one build to the next.
    const r = runNode([join(ROOT, 'scripts/site.ts')], { ...env, CHEMINS_CACHE: cache });
    const s = astroSummary(`${r.stdout}\n${r.stderr}`);
    const pages = existsSync(dirs.dist) ? readdirSync(dirs.dist, { recursive: true }).filter((f) => String(f).endsWith('.html')).length : 0;
    if (s.skipped) return step(r, `${pages} pages; astro build skipped: nothing it reads changed`);
    const figures = s.drawn === null ? '' : `; PNG and PDF: ${s.drawn} drawn, ${s.stored} from the figure store`;
    return step(r, `${pages} pages; files: ${s.rendered} rendered, ${s.reused} reused${figures}`);
  };
  const rows: BuildRow[] = [];
  const row = (name: string, what: string, times: number, before: (i: number) => void, withExperiments = true) => {
    const runs: BuildRow['runs'] = [];
    for (let i = 0; i < times; i++) {
      log(`  build: ${name}${times > 1 ? ` (${i + 1} of ${times})` : ''}`);
      before(i);
      const e = withExperiments ? experiments() : null;
      runs.push({ experiments: e, astro: astro() });
    }
    rows.push({ name, what, runs });
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
    row(
      'cold',
      `${seeded.length ? `${defaultId} from nothing, the other results copied from results/` : 'empty results store'}, no cache: experiments script, then astro build`,
      1,
      () => {},
    );
    row('warm', 'nothing changed: experiments script (reuses the stored results), then astro build', repeat, () => {});
    log('  build: full site build, no cache');
    // Into the same output folder, whose next build then finds another build's record: it builds (and re-uses what Astro's cache still holds).
    rows.push({
      name: 'full site build, no cache',
      what: 'the site build alone (scripts/site.ts, astro build) on the same results with empty caches, as every build was before its caches (the baseline)',
      runs: [{ experiments: null, astro: astro(join(tmp, 'cache-none')) }],
    });
    const report = join(dirs.content, 'report.mdx');
    row('write-up edited', 'one paragraph added to content/report.mdx (a copy), then experiments script and astro build', repeat, (i) =>
      appendFileSync(report, `\nAn edit for the bench, number ${i + 1}.\n`),
    );
    let change = '';
    row(
      'one experiment changed',
      `in the copy of ${basename(DEFAULT_EXPERIMENT)}, then experiments script and astro build`,
      1,
      () => (change = changeOneField(file)),
    );
    rows.at(-1)!.what = `${change} ${rows.at(-1)!.what}`;
    row(
      'experiment added',
      `experiments/${ADDED_EXPERIMENT.id}.yaml dropped in (MNIST 2 vs 6 probed with 3, seeds 1 to 3, the default MLP and sizes), then experiments script and astro build`,
      1,
      () => writeFileSync(join(dirs.experiments, `${ADDED_EXPERIMENT.id}.yaml`), ADDED_EXPERIMENT.yaml),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { rows, experiments: ids, seeded, primed, repeat };
}
