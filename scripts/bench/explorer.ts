import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { EXPLORER_JS_BUDGET, pageJavaScript } from '../../src/site/js-budget.ts';
import { serve } from '../../tests/e2e/serve.ts';
import { runNode } from './child.ts';
import { ROOT } from './datasets.ts';
import type { Bench } from './harness.ts';
import { num, seconds, type Section } from './table.ts';

// The explorer of the largest MNIST experiment (nine digits, about 6,400
// inputs) in Debian's Chromium with the CPU throttled 4× (DevTools'
// Emulation.setCPUThrottlingRate): how long until the first view is
// interactive, how long a hover takes to answer, and what it loads. A site of
// its own, in a temp tree: that one experiment (its stored result copied from
// the results store when there is one), no write-up.

const EXPERIMENT = 'mnist-nine-digits';
const THROTTLE = 4;
const LOADS = 5;
const HOVERS = 60;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const ms = (v: number) => `${num(v, 0)} ms`;
const kb = (bytes: number) => `${num(bytes / 1024, bytes < 100 * 1024 ? 1 : 0)} KB`;

/** Time from a synthetic pointer move over the map to the frame after its answer (the tooltip drawn). */
async function hovers(page: Page, n: number): Promise<{ times: number[]; hits: number }> {
  return page.evaluate(async (count) => {
    const canvas = document.querySelector('#scatter canvas.scatter-points') as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const tip = document.querySelector('#scatter .tip') as HTMLElement;
    const times: number[] = [];
    let hits = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < count; i++) {
      const x = box.left + 50 + random() * (box.width - 70);
      const y = box.top + 10 + random() * (box.height - 50);
      const t0 = performance.now();
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      times.push(performance.now() - t0);
      if (!tip.hidden) hits++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { times, hits };
  }, n);
}

export interface ExplorerBench {
  ok: boolean;
  error: string;
  inputs: number;
  seeds: number;
  interactive: number[];
  hover: number[];
  hoverHits: number;
  band: number[];
  seedSwitch: number[];
  /** Main-thread CPU time (ms), unthrottled, traced: what 4× throttling multiplies on a machine with a core to itself. */
  cpu: { load: number[]; hover: number | null; band: number | null };
  js: { gzipped: number; bytes: number; initial: { gzipped: number; bytes: number } };
  files: { name: string; bytes: number; gzipped: number }[];
  export: { seconds: number; analysis: number } | null;
}

export async function benchExplorer(log: (line: string) => void): Promise<ExplorerBench> {
  const tmp = mkdtempSync(join(tmpdir(), 'chemins-bench-explorer-'));
  const dirs = { experiments: join(tmp, 'experiments'), content: join(tmp, 'content'), results: join(tmp, 'results'), dist: join(tmp, 'dist') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const out: ExplorerBench = {
    ok: false,
    error: '',
    inputs: 0,
    seeds: 0,
    interactive: [],
    hover: [],
    hoverHits: 0,
    band: [],
    seedSwitch: [],
    cpu: { load: [], hover: null, band: null },
    js: { gzipped: 0, bytes: 0, initial: { gzipped: 0, bytes: 0 } },
    files: [],
    export: null,
  };
  try {
    copyFileSync(join(ROOT, 'experiments', `${EXPERIMENT}.yaml`), join(dirs.experiments, `${EXPERIMENT}.yaml`));
    const source = process.env.CHEMINS_RESULTS ?? join(ROOT, 'results');
    if (existsSync(join(source, `${EXPERIMENT}.json`)) && existsSync(join(source, EXPERIMENT))) {
      cpSync(join(source, EXPERIMENT), join(dirs.results, EXPERIMENT), { recursive: true });
      copyFileSync(join(source, `${EXPERIMENT}.json`), join(dirs.results, `${EXPERIMENT}.json`));
    }
    const env = {
      CHEMINS_RESULTS: dirs.results,
      CHEMINS_EXPERIMENTS: dirs.experiments,
      CHEMINS_CONTENT: dirs.content,
      CHEMINS_DIST: dirs.dist,
      ASTRO_TELEMETRY_DISABLED: '1',
    };
    log(`  explorer: ${EXPERIMENT} (experiments script, then astro build)`);
    const exp = runNode([join(ROOT, 'scripts/experiments.ts'), '--experiments', dirs.experiments, '--results', dirs.results], env, 3_600_000);
    if (!exp.ok) throw new Error(`experiments script: ${exp.error}`);
    const site = runNode([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], env, 1_800_000);
    if (!site.ok) throw new Error(`astro build: ${site.error}`);
    const result = JSON.parse(readFileSync(join(dirs.results, `${EXPERIMENT}.json`), 'utf8'));
    const t = result.run.timings as Record<string, number>;
    if (t['analysis: per-input export'] !== undefined) out.export = { seconds: t['analysis: per-input export'] / 1000, analysis: t.analysis / 1000 };
    const page = join('experiments', EXPERIMENT, 'explore', 'index.html');
    out.js = pageJavaScript(dirs.dist, page);
    const folder = join(dirs.dist, 'experiments', EXPERIMENT);
    for (const name of ['inputs/index.json', 'inputs/seed-1.json', 'inputs.png', 'inputs.csv']) {
      const bytes = readFileSync(join(folder, name));
      out.files.push({
        name,
        bytes: statSync(join(folder, name)).size,
        gzipped: name.endsWith('.png') ? bytes.byteLength : gzipSync(bytes, { level: 6 }).byteLength,
      });
    }
    const index = JSON.parse(readFileSync(join(folder, 'inputs/index.json'), 'utf8'));
    out.inputs = index.ids.length;
    out.seeds = index.seeds.length;
    Object.assign(out, await measureExplorer(dirs.dist, EXPERIMENT, index.seeds, log));
    out.ok = true;
  } catch (e) {
    out.error = (e as Error).message.split('\n')[0];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** The browser's measurements of a built explorer page: loads, hovers, bands and seeds, the CPU throttled. */
export async function measureExplorer(
  dist: string,
  id: string,
  seeds: number[],
  log: (line: string) => void,
): Promise<Pick<ExplorerBench, 'interactive' | 'hover' | 'hoverHits' | 'band' | 'seedSwitch' | 'cpu'>> {
  const out: Pick<ExplorerBench, 'interactive' | 'hover' | 'hoverHits' | 'band' | 'seedSwitch' | 'cpu'> = {
    interactive: [],
    hover: [],
    hoverHits: 0,
    band: [],
    seedSwitch: [],
    cpu: { load: [], hover: null, band: null },
  };
  const server = await serve(dist);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    for (let i = 0; i < LOADS; i++) {
      log(`  explorer: load ${i + 1} of ${LOADS}, CPU throttled ${THROTTLE}×`);
      // A fresh context each time: nothing cached.
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const p = await context.newPage();
      const cdp = await context.newCDPSession(p);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
      await p.goto(`${server.url}/experiments/${id}/explore/#seed=${seeds[0]}`);
      await p.waitForSelector('#explorer[data-interactive-ms]', { timeout: 60_000 });
      out.interactive.push(Number(await p.locator('#explorer').getAttribute('data-interactive-ms')));
      if (i === 0) {
        const h = await hovers(p, HOVERS);
        out.hover = h.times;
        out.hoverHits = h.hits;
        // A band chosen from the keyboard, then another seed: each until the views are drawn again.
        for (const key of await p.$$eval('svg.sankey path.band', (els) => els.slice(0, 5).map((e) => e.getAttribute('data-key')!))) {
          const before = await p.locator('#explorer').getAttribute('data-rendered');
          await p.locator(`svg.sankey path[data-key="${key}"]`).focus();
          const t0 = await p.evaluate(() => performance.now());
          await p.keyboard.press('Enter');
          await p.waitForFunction((n) => document.getElementById('explorer')?.dataset.rendered !== n, before);
          out.band.push((await p.evaluate(() => performance.now())) - t0);
        }
        for (const seed of [...seeds.slice(1), seeds[0]]) {
          const before = await p.locator('#explorer').getAttribute('data-rendered');
          const t0 = await p.evaluate(() => performance.now());
          await p.locator('#c-seed').selectOption(String(seed));
          await p.waitForFunction((n) => document.getElementById('explorer')?.dataset.rendered !== n, before);
          out.seedSwitch.push((await p.evaluate(() => performance.now())) - t0);
        }
      }
      await context.close();
    }
    // The same, unthrottled and traced: the main thread's CPU time, which other processes on the machine do not inflate as they do wall time.
    for (let i = 0; i < LOADS; i++) {
      log(`  explorer: traced load ${i + 1} of ${LOADS}`);
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const p = await context.newPage();
      await browser.startTracing(p, { categories: ['toplevel', '__metadata'] });
      await p.goto(`${server.url}/experiments/${id}/explore/#seed=${seeds[0]}`);
      await p.waitForSelector('#explorer[data-interactive-ms]', { timeout: 60_000 });
      out.cpu.load.push(mainThreadCpu(await browser.stopTracing()));
      if (i === 0) {
        await browser.startTracing(p, { categories: ['toplevel', '__metadata'] });
        await hovers(p, HOVERS);
        out.cpu.hover = mainThreadCpu(await browser.stopTracing()) / HOVERS;
        const keys = await p.$$eval('svg.sankey path.band', (els) => els.slice(0, 5).map((e) => e.getAttribute('data-key')!));
        await browser.startTracing(p, { categories: ['toplevel', '__metadata'] });
        for (const key of keys) {
          const before = await p.locator('#explorer').getAttribute('data-rendered');
          await p.locator(`svg.sankey path[data-key="${key}"]`).focus();
          await p.keyboard.press('Enter');
          await p.waitForFunction((n) => document.getElementById('explorer')?.dataset.rendered !== n, before);
        }
        out.cpu.band = mainThreadCpu(await browser.stopTracing()) / keys.length;
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

/** CPU time (ms) of the busiest renderer main thread in a trace: its top-level tasks' thread durations, nested ones counted once. */
function mainThreadCpu(trace: Buffer): number {
  const parsed = JSON.parse(trace.toString('utf8'));
  const events: { ph: string; name: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } }[] =
    parsed.traceEvents ?? parsed;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, number>();
  const tasks = events
    .filter((e) => e.ph === 'X' && /RunTask/.test(e.name) && mains.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const ends = new Map<string, number>();
  for (const e of tasks) {
    const t = `${e.pid}:${e.tid}`;
    if (e.ts < (ends.get(t) ?? -1)) continue;
    ends.set(t, e.ts + (e.dur ?? 0));
    byThread.set(t, (byThread.get(t) ?? 0) + (e.tdur ?? 0));
  }
  return Math.max(0, ...byThread.values()) / 1000;
}

export async function explorerSection(bench: Bench): Promise<Section> {
  const title = '4. The explorer';
  const headers = ['What', 'Measured', 'Target'];
  if (bench.options.quick) return { title, headers, rows: [['all', 'skipped (--quick)', '']], notes: [] };
  if (!existsSync(CHROMIUM)) return { title, headers, rows: [['all', `skipped: no Chromium at ${CHROMIUM}`, '']], notes: [] };
  const b = await benchExplorer(bench.options.log);
  if (!b.ok) return { title, headers, rows: [['all', `failed: ${b.error}`, '']], notes: [] };
  const rows = [
    [
      `first view interactive (${b.interactive.length} loads, nothing cached)`,
      `median ${ms(median(b.interactive))}, slowest ${ms(Math.max(...b.interactive))}`,
      '≤ 1 s',
    ],
    [
      `hover answered, to the next frame (${b.hover.length} pointer moves, ${b.hoverHits} over an input)`,
      `median ${ms(median(b.hover))}, 95th percentile ${ms(quantile(b.hover, 0.95))}, slowest ${ms(Math.max(...b.hover))}`,
      '≤ 50 ms',
    ],
    [`a Sankey band selected (${b.band.length}): every view redrawn`, `median ${ms(median(b.band))}, slowest ${ms(Math.max(...b.band))}`, ''],
    [
      `another seed (${b.seedSwitch.length}, its file fetched the first time)`,
      `median ${ms(median(b.seedSwitch))}, slowest ${ms(Math.max(...b.seedSwitch))}`,
      '',
    ],
    [
      'the same, main-thread CPU time unthrottled (× 4: on a machine with a core to itself)',
      `first view ${ms(median(b.cpu.load))} (× 4 = ${ms(4 * median(b.cpu.load))}); a hover ${ms(b.cpu.hover ?? NaN)} (× 4 = ${ms(4 * (b.cpu.hover ?? NaN))}); a band ${ms(b.cpu.band ?? NaN)} (× 4 = ${ms(4 * (b.cpu.band ?? NaN))})`,
      '≤ 1 s; ≤ 50 ms',
    ],
    [
      'JavaScript (every module the page may load)',
      `${kb(b.js.gzipped)} gzipped (${kb(b.js.bytes)} minified); before an input is opened ${kb(b.js.initial.gzipped)}`,
      `≤ ${kb(EXPLORER_JS_BUDGET)} gzipped`,
    ],
    ...b.files.map((f) => [`${f.name}`, f.name.endsWith('.png') ? kb(f.bytes) : `${kb(f.bytes)} (${kb(f.gzipped)} gzipped)`, '']),
    ...(b.export
      ? [['per-input export in the pipeline (sum over seeds, wall)', `${seconds(b.export.seconds)} of ${seconds(b.export.analysis)} of analysis`, '']]
      : []),
  ];
  return {
    title,
    headers,
    rows,
    notes: [
      `The explorer of ${EXPERIMENT} (${b.inputs.toLocaleString('en')} inputs, ${b.seeds} seeds) in headless Chromium (${CHROMIUM}), its CPU throttled ${THROTTLE}× (DevTools' Emulation.setCPUThrottlingRate), a 1280 × 1000 window, served from a local static server: network time is next to nothing, so these are the page's own costs.`,
      'First view interactive: from navigation start to the first frame after the page drew every view (the map of the first hidden layer, the Sankey, the gallery, the detail) and wired its controls (`data-interactive-ms`, set by the page).',
      `Hover: a pointer move dispatched on the map at a seeded random place, timed in the page to the frame after the handler (nearest input found in a grid of 12 px cells, the map redrawn with its ring, the tooltip filled and placed), ${HOVERS} of them 20 ms apart.`,
      'Band and seed: from the key press or the choice to the end of the redraw (`data-rendered` changes): the selection recomputed over every input, the map, the Sankey (its layout), the gallery of the selected thumbnails and the detail drawn again.',
      `CPU time: the same loads (median of ${LOADS}), ${HOVERS} hovers and 5 bands unthrottled, traced (Chromium's toplevel tasks of the page's renderer main thread, their thread time, not wall time), so that the other processes on a shared machine do not count. DevTools' throttling slows the main thread by the factor given, so × 4 is what the throttled measurements above would read with a core to the browser alone (network and the compositor aside).`,
      'Sizes are the built files: the page loads index.json, one seed file and the sprite sheet; the CSV is a download. gzip level 6, as a server would send them.',
    ],
  };
}
