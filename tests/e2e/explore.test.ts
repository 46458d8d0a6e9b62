import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputsIndex, SeedInputs } from '../../src/results/inputs.ts';
import { EXPLORER_JS_BUDGET, pageJavaScript } from '../../src/site/js-budget.ts';
import { tempDir } from '../helpers.ts';
import { buildSite } from './build.ts';
import { serve } from './serve.ts';

// The explorer in a real browser: a site of its own (one small experiment,
// two seeds, three hidden layers), its per-input data, and the linked views
// driven by pointer and keyboard, checked against inputs.csv.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
const ID = 'explore';
const PAGE = `/experiments/${ID}/explore/`;
let site: Awaited<ReturnType<typeof buildSite>>;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let index: InputsIndex;
let seeds: SeedInputs[];
let csv: Record<string, string>[];

beforeAll(async () => {
  const root = tempDir('chemins-explore-');
  const exps = join(root, 'experiments');
  const content = join(root, 'content');
  mkdirSync(exps);
  mkdirSync(content);
  writeFileSync(
    join(exps, `${ID}.yaml`),
    'title: Explorer test\nseeds: [1, 2]\ndataset:\n  classes: [1, 7]\n  probes: [3]\n  samplesPerClass: 200\nmodel:\n  hidden: [32, 16, 8]\ntraining:\n  epochs: 3\nsignatures:\n  k: 3\n  restarts: 2\nanalysis:\n  permutations: 20\n',
  );
  site = await buildSite(root, { experiments: exps, content });
  server = await serve(site.dist);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
  const get = async (path: string) => (await fetch(server.url + path)).text();
  index = JSON.parse(await get(`/experiments/${ID}/inputs/index.json`));
  seeds = await Promise.all(index.seeds.map(async (s) => JSON.parse(await get(`/experiments/${ID}/inputs/seed-${s}.json`))));
  const lines = (await get(`/experiments/${ID}/inputs.csv`)).trim().split('\n');
  const header = lines[0].split(',');
  csv = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(hash = '', options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => !r.url().startsWith(server.url) && errors.push(`request to another host: ${r.url()}`));
  await page.goto(server.url + PAGE + hash);
  await page.waitForSelector('#explorer[data-state="ready"]', { timeout: 20_000 });
  return { page, errors, close: () => context.close() };
}

const rendered = async (page: Page, before: string | null) => page.waitForFunction((n) => document.getElementById('explorer')?.dataset.rendered !== n, before);
const renders = (page: Page) => page.locator('#explorer').getAttribute('data-rendered');
const hiddenLayers = () => index.layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
const csvRow = (seed: number, id: string) => csv.find((r) => r.seed === String(seed) && r.id === id)!;

describe('the per-input data the site publishes', () => {
  it('lists every input once per seed in inputs.csv, under the ids of index.json', () => {
    expect(csv).toHaveLength(index.ids.length * index.seeds.length);
    for (const seed of index.seeds) expect(csv.filter((r) => r.seed === String(seed)).map((r) => r.id)).toEqual(index.ids);
    const total = readFileSync(join(site.results, `${ID}.json`), 'utf8');
    expect(JSON.parse(total).hash).toBe(index.hash);
  });

  it('ships the explorer as one module script of the site within its JavaScript budget, and no script on any other page', () => {
    const pages = readdirSync(site.dist, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.html'));
    for (const p of pages) {
      const html = readFileSync(join(site.dist, p), 'utf8');
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      // The explorer, in each language the site has.
      if (p.endsWith(join('experiments', ID, 'explore', 'index.html'))) {
        expect(scripts.length).toBe(1);
        expect(scripts[0]).toMatch(/^<script type="module" src="\/_astro\/[^"]+\.js">$/);
        expect(html).not.toMatch(/<script\b[^>]*>[^<]/);
      } else expect(scripts, p).toEqual([]);
    }
    const weight = pageJavaScript(site.dist, join('experiments', ID, 'explore', 'index.html'));
    expect(weight.gzipped).toBeLessThanOrEqual(EXPLORER_JS_BUDGET);
    expect(site.log).toMatch(/explorer JavaScript: [\d.]+ KB gzipped/);
  });
});

describe('the explorer, in Chromium', () => {
  it("shows a Sankey band's inputs in the gallery, as many as the band holds and all of its class, and highlights them", async () => {
    const { page, errors, close } = await open('#seed=1');
    // The band with the most inputs below the gallery's first page: chosen with the keyboard.
    const bands = await page.$$eval('svg.sankey path.band', (els) =>
      els.map((e) => ({ key: e.getAttribute('data-key')!, count: Number(e.getAttribute('data-count')), label: e.getAttribute('data-label')! })),
    );
    expect(bands.length).toBeGreaterThan(2);
    const band = bands.filter((b) => b.count <= 300).sort((a, b) => b.count - a.count)[0];
    const before = await renders(page);
    await page.locator(`svg.sankey path[data-key="${band.key}"]`).focus();
    await page.keyboard.press('Enter');
    await rendered(page, before);
    const thumbs = await page.$$eval('#gallery button[data-row]', (els) => els.map((e) => e.getAttribute('data-label')));
    expect(thumbs.length).toBe(band.count);
    expect(new Set(thumbs)).toEqual(new Set([band.label]));
    const [, layer, from, to, label] = band.key.split(' ');
    expect(new URL(page.url()).hash).toContain(`sel=band:${hiddenLayers()[Number(layer)]}:${from}:${to}:${label}`);
    expect(await page.locator('#shown').innerText()).toContain(`${band.count} selected`);
    await expect(page.locator(`svg.sankey path[data-key="${band.key}"]`).getAttribute('aria-pressed')).resolves.toBe('true');
    // A cluster, by mouse: a node is drawn over the bands.
    const node = page.locator('svg.sankey g.node').nth(1);
    const size = Number(await node.getAttribute('data-count'));
    const b2 = await renders(page);
    await node.locator('rect').click();
    await rendered(page, b2);
    expect(await page.locator('#gallery button[data-row]').count()).toBe(Math.min(size, 300));
    await page.screenshot({ path: `${SHOTS}/explore-selection.png`, fullPage: true });
    expect(errors).toEqual([]);
    await close();
  });

  it('shows the input under the pointer, and opens it on a click', async () => {
    const { page, errors, close } = await open('#seed=1&layer=hidden2');
    const s = seeds[0];
    const l = index.layers.findIndex((x) => x.name === 'hidden2');
    const { x, y } = s.pca[l];
    // The plot area (Plot's frame) and the axes' extents as the explorer draws them: the data's, padded by 4 %.
    const frame = await page.locator('#scatter svg rect').first().boundingBox();
    const canvas = await page.locator('#scatter canvas.scatter-points').boundingBox();
    const ext = (v: number[]) => {
      const lo = Math.min(...v);
      const hi = Math.max(...v);
      const pad = (hi - lo || 1) * 0.04;
      return [lo - pad, hi + pad];
    };
    const [x0, x1] = ext(x);
    const [y0, y1] = ext(y);
    const px = (r: number) => frame!.x + ((x[r] - x0) / (x1 - x0)) * frame!.width;
    const py = (r: number) => frame!.y + frame!.height - ((y[r] - y0) / (y1 - y0)) * frame!.height;
    // An input with no other within 8 px, so that the pointer can only mean it.
    const n = index.ids.length;
    const isolated = Array.from({ length: n }, (_, r) => r).find((r) => {
      for (let o = 0; o < n; o++) if (o !== r && Math.hypot(px(o) - px(r), py(o) - py(r)) < 8) return false;
      return true;
    });
    expect(isolated).toBeDefined();
    const r = isolated!;
    await page.mouse.move(px(r) + 1, py(r) + 1);
    const tip = page.locator('#scatter .tip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.locator('.tip-body').getAttribute('data-row')).toBe(String(r));
    expect(await tip.innerText()).toContain(index.ids[r]);
    expect(canvas!.width).toBeGreaterThan(200);
    const before = await renders(page);
    await page.mouse.click(px(r) + 1, py(r) + 1);
    await rendered(page, before);
    expect(new URL(page.url()).hash).toContain(`input=${index.ids[r]}`);
    expect(await page.locator('#detail-title').innerText()).toBe(`Input ${index.ids[r]}`);
    expect(errors).toEqual([]);
    await close();
  });

  it("shows an opened input's path, prediction and scores as inputs.csv has them", async () => {
    const id = index.ids[index.ranges.probe[0] + 3];
    const { page, errors, close } = await open(`#seed=2&input=${id}`);
    const row = csvRow(2, id);
    const path = await page.$$eval('#detail table.path tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')!.textContent!.trim()));
    expect(path).toEqual(hiddenLayers().map((l) => `c${row[`cluster_${l}`]}`));
    expect(row.path).toBe(
      hiddenLayers()
        .map((l) => row[`cluster_${l}`])
        .join('-'),
    );
    const facts = await page.locator('#detail dl.facts').innerText();
    expect(facts).toContain(`Predicted\n${row.predicted_class} at`);
    expect(facts).toMatch(/Seed\s+2/);
    // Its nearest training inputs at every layer, and its k-NN score at the input layer.
    expect(await page.locator('#detail .neighbour-row').count()).toBe(index.layers.length);
    const knn = await page.$$eval('#detail table.scores tbody tr:first-child td', (tds) => tds.map((td) => td.textContent!.split(' ')[0]));
    expect(Number(knn[index.scores.indexOf('knn')])).toBeCloseTo(Number(row.knn_input), 2);
    // A neighbour opens in turn.
    const neighbour = page.locator('#detail .neighbour-row button').first();
    const nid = index.ids[Number(await neighbour.getAttribute('data-row'))];
    const before = await renders(page);
    await neighbour.click();
    await rendered(page, before);
    expect(await page.locator('#detail-title').innerText()).toBe(`Input ${nid}`);
    expect(nid).toMatch(/^mnist:(1|7):/);
    expect(errors).toEqual([]);
    await close();
  });

  it('restores a view from its URL, and writes the view it shows back into it', async () => {
    const id = index.ids[index.ranges.test[0]];
    const hash = `#seed=2&layer=hidden3&proj=umap&input=${id}&sel=node:hidden2:1&hide=3&wrong=1&split=held-out`;
    const { page, errors, close } = await open(hash);
    expect(await page.locator('#c-seed').inputValue()).toBe('2');
    expect(await page.locator('#c-layer').inputValue()).toBe('hidden3');
    expect(await page.locator('input[name="proj"][value="umap"]').isChecked()).toBe(true);
    expect(await page.locator('#c-split').inputValue()).toBe('held-out');
    expect(await page.locator('#c-wrong').isChecked()).toBe(true);
    expect(await page.locator('#c-classes input[data-label="3"]').isChecked()).toBe(false);
    expect(await page.locator('#detail-title').innerText()).toBe(`Input ${id}`);
    // The selection: cluster 1 of hidden2 among the misclassified held-out 1s and 7s of seed 2.
    const expected = csv.filter((r) => r.seed === '2' && r.split === 'test' && r.correct === 'false' && r.cluster_hidden2 === '1').length;
    expect(await page.locator('#gallery button[data-row]').count()).toBe(expected);
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(hash);
    // Changing a control changes the address.
    const before = await renders(page);
    await page.locator('#c-seed').selectOption('1');
    await rendered(page, before);
    expect(new URL(page.url()).hash).toMatch(/^#seed=1&/);
    expect(errors).toEqual([]);
    await close();
  });

  it('is operable from the keyboard alone: the map, the Sankey and the gallery', async () => {
    const { page, errors, close } = await open('#seed=1');
    await page.locator('#scatter').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await expect(page.locator('#announce').innerText()).resolves.toMatch(/predicted .*mnist:\d:\d+/);
    let before = await renders(page);
    await page.keyboard.press('Enter');
    await rendered(page, before);
    expect(new URL(page.url()).hash).toContain('input=');
    // Tab from the map's help to the Sankey: one tab stop, arrows move, Enter selects.
    await page.locator('svg.sankey [tabindex="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-key'));
    expect(focused).toMatch(/^(node|band) /);
    before = await renders(page);
    await page.keyboard.press('Enter');
    await rendered(page, before);
    expect(new URL(page.url()).hash).toContain('sel=');
    const outline = await page.evaluate(
      () => `${getComputedStyle(document.activeElement!).outlineStyle} ${(document.activeElement as Element).matches(':focus-visible')}`,
    );
    expect(outline).toMatch(/true$/);
    // Tab reaches a thumbnail; Enter opens it.
    await page.locator('#gallery button[data-row]').first().focus();
    const row = await page.evaluate(() => document.activeElement?.getAttribute('data-row'));
    before = await renders(page);
    await page.keyboard.press('Enter');
    await rendered(page, before);
    expect(await page.locator('#detail-title').innerText()).toBe(`Input ${index.ids[Number(row)]}`);
    expect(errors).toEqual([]);
    await close();
  });

  it('passes axe-core with no serious or critical violation, light and dark, and fits a phone', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const id = index.ids[index.ranges.probe[0]];
    const views: [string, BrowserContextOptions][] = [
      ['light', { colorScheme: 'light' }],
      ['dark', { colorScheme: 'dark' }],
      ['phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
    ];
    for (const [name, options] of views) {
      // The site's CSP rightly forbids injected scripts: the checker alone is let through.
      const { page, errors, close } = await open(`#seed=1&input=${id}&sel=node:hidden1:0`, { bypassCSP: true, ...options });
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async () => {
        const run = await (
          window as unknown as {
            axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
          }
        ).axe.run({ resultTypes: ['violations'] });
        return run.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help} — ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(', ')}`,
          );
      });
      expect(violations, name).toEqual([]);
      if (name === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      }
      await page.screenshot({ path: `${SHOTS}/explore-${name}.png`, fullPage: true });
      expect(errors, name).toEqual([]);
      await close();
    }
  });

  it("is linked from the report's figures at their view, and says what it needs without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/experiments/${ID}/`);
    const links = await page.$$eval('a.explore-link', (els) => els.map((e) => (e as HTMLAnchorElement).getAttribute('href')));
    expect(links).toContain(`${PAGE}#seed=1`);
    expect(links).toContain(`${PAGE}#seed=1&proj=pca&split=held-out`);
    await page.goto(server.url + PAGE);
    expect(await page.locator('noscript').count()).toBe(1);
    expect(await page.locator('#controls').isVisible()).toBe(false);
    await context.close();
  });
});
