import { loadavg } from 'node:os';
import { analysisSection } from './analysis.ts';
import { benchBuild, type BuildRow, type Step } from './build.ts';
import { Bench, failed, type BenchOptions } from './harness.ts';
import { kmeansSection } from './kmeans-section.ts';
import { mib, num, ratio, seconds, renderSection, type Section } from './table.ts';
import { batchSection, fusedSection, profileSection, trainingSection } from './training-sections.ts';
import { defaultSpec } from './datasets.ts';
import { webgpuSection } from './webgpu-section.ts';
import { explorerSection } from './explorer.ts';

export { SECTIONS, type BenchOptions, type SectionName } from './harness.ts';

function stepCell(s: Step | null): string {
  if (!s) return '—';
  return s.ok ? seconds(s.seconds) : failed(s);
}

/** A warm build that rebuilt something means the code changed under the bench: say so beside the numbers. */
function anomalies(rows: BuildRow[]): string[] {
  const warm = rows.find((r) => r.name === 'warm')?.experiments?.status ?? '';
  const built = Number(warm.match(/(\d+) built/)?.[1] ?? 0);
  return built
    ? [
        `The warm build rebuilt ${built} experiment${built === 1 ? '' : 's'} it should have reused: the pipeline's source changed while the bench ran (other work in the same tree), which changes every result's hash. Its row measures a rebuild, not a warm build; run the bench again on a quiet tree.`,
      ]
    : [];
}

function buildSection(bench: Bench): Section {
  const headers = ['Build', 'What', 'Experiments script', 'astro build', 'Total (wall)', '× bare astro build', 'CPU time'];
  if (bench.options.quick) return { title: '3. Build time', headers, rows: [['all', 'skipped (--quick)', '', '', '', '', '']], notes: [] };
  const { rows, experiments, seeded, primed } = benchBuild({ coldAll: bench.options.coldAll ?? false, log: bench.options.log });
  const spec = defaultSpec();
  const bare = rows.find((r) => r.experiments === null)?.astro;
  const baseline = bare?.ok ? bare.seconds : null;
  const cells = rows.map((r: BuildRow) => {
    const processes = (s: Step) => (s.processes > 1 ? ` (largest of ${s.processes} processes)` : '');
    if (r.experiments) bench.memory.push({ part: `build ${r.name}: experiments script${processes(r.experiments)}`, maxRssMiB: r.experiments.maxRssMiB });
    bench.memory.push({ part: `build ${r.name}: astro build${processes(r.astro)}`, maxRssMiB: r.astro.maxRssMiB });
    const steps = [r.experiments, r.astro].filter((s): s is Step => s !== null);
    const allOk = steps.every((s) => s.ok);
    const total = steps.reduce((sum, s) => sum + s.seconds, 0);
    const status = [r.experiments?.status, r.astro.ok && r.astro.status].filter(Boolean).join('; ');
    const cpu = steps.every((s) => s.cpuSeconds !== null) ? steps.reduce((sum, s) => sum + s.cpuSeconds!, 0) : null;
    return [
      r.name,
      `${r.what}${status ? ` (${status})` : ''}`,
      stepCell(r.experiments),
      stepCell(r.astro),
      allOk ? seconds(total) : '—',
      allOk && baseline ? ratio(total / baseline) : '—',
      seconds(cpu),
    ];
  });
  return {
    title: '3. Build time',
    headers,
    rows: cells,
    notes: [
      `The site as \`npm run build\` makes it, in a temp tree: copies of the ${experiments.length} experiment files of experiments/ (the report cites every one, and the site refuses to build a report whose figures or answers have no result), a temp results store and a temp output folder, through CHEMINS_EXPERIMENTS, CHEMINS_RESULTS and CHEMINS_DIST; ASTRO_TELEMETRY_DISABLED=1.`,
      seeded.length
        ? `Cold means the default experiment (${(spec.seeds ?? [spec.training.seed]).length} seeds × ${spec.training.epochs} epochs and the full analysis) from nothing; building all ${experiments.length} from nothing takes several minutes here, so the stored results of the ${seeded.length} others (${seeded.join(', ')}) are first copied from the repository's results/, and checked by an untimed run of the experiments script (${primed?.rebuilt ? `which found ${primed.rebuilt} stale and rebuilt ${primed.rebuilt === 1 ? 'it' : 'them'} in ${seconds(primed.seconds)}` : 'all current'}); the timed builds reuse them. \`npm run bench -- --cold-all\` starts them all from nothing.`
        : 'Cold means every experiment from an empty results store.',
      'Each step is a fresh Node process (`node scripts/experiments.ts` with its default --jobs, as `npm run build` runs it; `node node_modules/astro/bin/astro.mjs build`). Times are wall clock, process start included, since a build is waited for; the CPU column (user + system of those processes and of the workers they fork; esbuild not counted) shows how much of it was work.',
      ...anomalies(rows),
      "The result store caches per experiment: a change to any field but title and description changes that experiment's result hash, and the others are reused. A change to `signatures` or `analysis` alone, as in the last row, keeps the training hash: the stored models are reloaded and reanalysed, not retrained.",
    ],
  };
}

function memorySection(bench: Bench): Section {
  return {
    title: '5. Peak memory',
    headers: ['Part', 'Max RSS'],
    rows: bench.memory.map((m) => [m.part, bench.options.inProcess && m.maxRssMiB === null ? 'n/a (in-process)' : mib(m.maxRssMiB)]),
    notes: [
      'Max resident set size of the process that ran the part, as the kernel counted it (`process.resourceUsage().maxRSS`, read by a hook preloaded with `node --import`; `ru_maxrss` for PyTorch). Each part runs in a fresh process, so the figure includes Node, TF.js and the data the part loads. Helper processes (esbuild under astro) are not included.',
    ],
  };
}

function header(bench: Bench, startLoad: number[], started: number): string {
  const m = bench.machine;
  const endLoad = loadavg();
  // The end reading includes the bench's own last process: only the start tells whether others were busy.
  const busy = startLoad[0] > 0.5 * m.cores;
  return [
    '# Chemins benchmark',
    '',
    `Generated by \`npm run bench${bench.options.quick ? ' -- --quick' : ''}\` (scripts/bench.ts) on ${m.date}, in ${num((performance.now() - started) / 1000, 0)} s. Every ratio is against a baseline measured in the same run on the same machine.`,
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores at ${num(m.ghz, 2)} GHz (cpu MHz of /proc/cpuinfo), ${m.simd}`,
    `- Memory: ${num(m.memoryGiB, 1)} GiB`,
    `- Node ${m.node}`,
    `- Load average (1 min): ${num(startLoad[0], 2)} at start, ${num(endLoad[0], 2)} at end.${busy ? ' Other processes were competing for the CPU during this run (other engineers building and testing on the same machine): absolute times are pessimistic and noisy, and ratios less so but not immune.' : ''}`,
  ].join('\n');
}

export async function runBench(options: BenchOptions): Promise<string> {
  const started = performance.now();
  const startLoad = loadavg();
  const bench = new Bench(options);
  const sections: Section[] = [];
  if (options.sections.includes('training')) {
    options.log('training throughput');
    sections.push(await trainingSection(bench));
  }
  if (options.sections.includes('training')) {
    options.log('where the training time goes');
    sections.push(await profileSection(bench));
  }
  if (options.sections.includes('training')) {
    options.log('inside the fused kernel');
    sections.push(await fusedSection(bench), await batchSection(bench));
  }
  if (options.sections.includes('webgpu')) {
    options.log('training on WebGPU');
    sections.push(await webgpuSection(bench));
  }
  if (options.sections.includes('kmeans')) {
    options.log('k-means');
    sections.push(...(await kmeansSection(bench)));
  }
  if (options.sections.includes('analysis')) {
    options.log('analysis against scikit-learn');
    sections.push(analysisSection(bench));
  }
  if (options.sections.includes('build')) {
    options.log('build time');
    sections.push(buildSection(bench));
  }
  if (options.sections.includes('explorer')) {
    options.log('the explorer');
    sections.push(await explorerSection(bench));
  }
  sections.push(memorySection(bench));
  return `${header(bench, startLoad, started)}\n\n${sections.map(renderSection).join('\n\n')}\n`;
}
