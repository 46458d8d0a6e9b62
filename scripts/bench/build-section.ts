import { loadavg } from 'node:os';
import { benchBuild, type BuildRow, type Step } from './build.ts';
import { defaultSpec } from './datasets.ts';
import { failed, type Bench } from './harness.ts';
import { mib, ratio, seconds, type Section } from './table.ts';

// Section 3 of the bench: the site's build times (scripts/bench/build.ts
// measures them), each with its peak memory, against a full astro build with
// no cache measured in the same run.

/** Issue 18's targets, in seconds end to end (experiments script and astro build). */
export const BUILD_TARGETS: Record<string, number> = { warm: 5, 'write-up edited': 5, 'experiment added': 15 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const total = (run: BuildRow['runs'][number]): Step[] => [run.experiments, run.astro].filter((s): s is Step => s !== null);

/** The median of one measure over a row's runs, with its range when there are several: `4.12 s (3.90 s to 4.61 s)`. */
function spread(values: number[]): string {
  if (values.length === 1) return seconds(values[0]);
  return `${seconds(median(values))} (${seconds(Math.min(...values))} to ${seconds(Math.max(...values))})`;
}

/** A warm build that rebuilt something means the code changed under the bench: say so beside the numbers. */
function anomalies(rows: BuildRow[]): string[] {
  const warm = rows.find((r) => r.name === 'warm')?.runs.map((r) => r.experiments?.status ?? '') ?? [];
  const built = Math.max(0, ...warm.map((s) => Number(s.match(/(\d+) built/)?.[1] ?? 0)));
  return built
    ? [
        `A warm build rebuilt ${built} experiment${built === 1 ? '' : 's'} it should have reused: the pipeline's source changed while the bench ran (other work in the same tree), which changes every result's hash. Its row measures a rebuild, not a warm build; run the bench again on a quiet tree.`,
      ]
    : [];
}

export function buildSection(bench: Bench): Section {
  const headers = [
    'Build',
    'What',
    'Runs',
    'Experiments script',
    'astro build',
    'Total (wall)',
    '× full astro build',
    'CPU time',
    'Peak memory (astro; experiments)',
  ];
  if (bench.options.quick) return { title: '3. Build time', headers, rows: [['all', 'skipped (--quick)', '', '', '', '', '', '', '']], notes: [] };
  const load = loadavg()[0];
  const { rows, experiments, seeded, primed, repeat } = benchBuild({ coldAll: bench.options.coldAll ?? false, log: bench.options.log });
  const spec = defaultSpec();
  const full = rows.find((r) => r.runs.every((run) => run.experiments === null))?.runs[0]?.astro;
  const baseline = full?.ok ? full.seconds : null;
  const met: string[] = [];
  const cells = rows.map((r: BuildRow) => {
    const processes = (steps: Step[]) => Math.max(...steps.map((s) => s.processes));
    const peak = (steps: Step[]) => (steps.some((s) => s.maxRssMiB !== null) ? Math.max(...steps.map((s) => s.maxRssMiB ?? 0)) : null);
    const astroSteps = r.runs.map((run) => run.astro);
    const experimentSteps = r.runs.flatMap((run) => (run.experiments ? [run.experiments] : []));
    if (experimentSteps.length) {
      const n = processes(experimentSteps);
      bench.memory.push({ part: `build ${r.name}: experiments script${n > 1 ? ` (largest of ${n} processes)` : ''}`, maxRssMiB: peak(experimentSteps) });
    }
    bench.memory.push({ part: `build ${r.name}: astro build`, maxRssMiB: peak(astroSteps) });
    const ok = r.runs.every((run) => total(run).every((s) => s.ok));
    const firstFailure = r.runs.flatMap(total).find((s) => !s.ok);
    const totals = r.runs.map((run) => total(run).reduce((sum, s) => sum + s.seconds, 0));
    const cpu = r.runs.every((run) => total(run).every((s) => s.cpuSeconds !== null))
      ? r.runs.map((run) => total(run).reduce((sum, s) => sum + s.cpuSeconds!, 0))
      : null;
    // What the last run did, as the experiments script and astro report it.
    const last = r.runs.at(-1)!;
    const status = [last.experiments?.status, last.astro.ok && last.astro.status].filter(Boolean).join('; ');
    const target = BUILD_TARGETS[r.name];
    if (target !== undefined && ok) met.push(`${r.name} ${seconds(median(totals))} (target ≤ ${target} s: ${median(totals) <= target ? 'met' : 'not met'})`);
    return [
      r.name,
      `${r.what}${status ? ` (${status})` : ''}`,
      String(r.runs.length),
      experimentSteps.length
        ? experimentSteps.every((s) => s.ok)
          ? spread(experimentSteps.map((s) => s.seconds))
          : failed(experimentSteps.find((s) => !s.ok)!)
        : '—',
      astroSteps.every((s) => s.ok) ? spread(astroSteps.map((s) => s.seconds)) : failed(astroSteps.find((s) => !s.ok)!),
      ok ? spread(totals) : firstFailure ? failed(firstFailure) : '—',
      ok && baseline ? ratio(median(totals) / baseline) : '—',
      cpu ? seconds(median(cpu)) : '—',
      `${mib(peak(astroSteps))}${experimentSteps.length ? `; ${mib(peak(experimentSteps))}` : ''}`,
    ];
  });
  return {
    title: '3. Build time',
    headers,
    rows: cells,
    notes: [
      ...(met.length
        ? [
            `**Targets: a rebuild with nothing changed and after editing a write-up ≤ 5 s, after adding a 3-seed MLP experiment ≤ 15 s, end to end.** Medians: ${met.join('; ')}. Load average (1 min) when the section started: ${load.toFixed(2)}.`,
          ]
        : []),
      `The site as \`npm run build\` makes it, in a temp tree: copies of the ${experiments.length} experiment files of experiments/ (the report cites every one, and the site refuses to build a report whose figures or answers have no result) and of content/, a temp results store, cache folder and output folder, through CHEMINS_EXPERIMENTS, CHEMINS_RESULTS, CHEMINS_CONTENT, CHEMINS_CACHE and CHEMINS_DIST; ASTRO_TELEMETRY_DISABLED=1.`,
      seeded.length
        ? `Cold means the default experiment (${(spec.seeds ?? [spec.training.seed]).length} seeds × ${spec.training.epochs} epochs and the full analysis) from nothing, with empty caches; building all ${experiments.length} from nothing takes several minutes here, so the stored results of the ${seeded.length} others (${seeded.join(', ')}) are first copied from the repository's results/, and checked by an untimed run of the experiments script (${primed?.rebuilt ? `which found ${primed.rebuilt} stale and rebuilt ${primed.rebuilt === 1 ? 'it' : 'them'} in ${seconds(primed.seconds)}` : 'all current'}); the timed builds reuse them. \`npm run bench -- --cold-all\` starts them all from nothing.`
        : 'Cold means every experiment from an empty results store, with empty caches.',
      `Caches: Astro's incremental build (\`experimental.incrementalBuild\`) copies a page or file whose cache key (src/site/cache-key.ts: its result, per-input files, language, and for pages that cite, the build's date, commit, citation file and references) and code are unchanged instead of rendering it; a PNG or PDF that is rendered again is read from the figure store (src/util/cache-store.ts) when its SVG, options and converter are unchanged. "Files rendered, reused" counts Astro's; "drawn, from the figure store" the PNGs and PDFs among the rendered ones. The full build (the baseline, the ratios' denominator) is the same astro build with both caches empty, as every build was before them.`,
      `Rows with several runs (${repeat} each) give the median, then the range; each run is a fresh pair of processes, and each write-up run adds another paragraph, so that each has something to render. Times are wall clock, process start included, since a build is waited for; the CPU column (user + system of those processes and of the workers they fork; esbuild not counted) shows how much of it was work. Peak memory is the largest max RSS of astro's process over the row's runs, then of the experiments script's (its largest process).`,
      ...anomalies(rows),
      "The result store caches per experiment: a change to any field but title and description changes that experiment's result hash, and the others are reused. A change to `signatures` or `analysis` alone, as in the 'one experiment changed' row, keeps the training hash: the stored models are reloaded and reanalysed, not retrained. An added experiment trains and analyses its seeds (the experiments script), then the site renders its pages and figures, and the pages that list every experiment.",
    ],
  };
}
