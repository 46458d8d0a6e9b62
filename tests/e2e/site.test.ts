import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresFor } from '../../src/figures/index.ts';
import { Result } from '../../src/results/schema.ts';
import { tempDir } from '../helpers.ts';
import { buildSite } from './build.ts';
import { serve } from './serve.ts';

// The full default path: the committed experiments trained on the embedded
// digits, the site built from their results, and a real browser reading it.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
let site: { results: string; dist: string; log: string };
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let result: Result;

beforeAll(async () => {
  site = await buildSite(tempDir('chemins-site-'));
  result = Result.parse(JSON.parse(readFileSync(join(site.results, 'mnist-1-vs-7.json'), 'utf8')));
  server = await serve(site.dist);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function visit(path: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto(server.url + path);
  return { page, context, errors, status: response?.status() };
}

describe('the built site, in Chromium', () => {
  it('trains the default experiment on the embedded digits and meets its accuracy', () => {
    expect(site.log).toMatch(/mnist-1-vs-7: built/);
    expect(result.run.backend).toBe('wasm');
    expect(result.runs).toHaveLength(5);
    for (const run of result.runs) expect(run.training.testAccuracy).toBeGreaterThan(0.95);
    expect(result.answers.map((a) => a.question)).toEqual(['separation', 'signatures', 'unseen']);
  });

  it('shows every figure of the experiment page as inline SVG, with JavaScript off', async () => {
    const { page, context, errors, status } = await visit('/experiments/mnist-1-vs-7/', { javaScriptEnabled: false });
    expect(status).toBe(200);
    const expected = figuresFor(result).map((f) => `mnist-1-vs-7/${f.name}`);
    const ids = await page.$$eval('figure.figure', (els) => els.map((e) => e.getAttribute('data-figure-id')));
    expect(ids).toEqual(expected);
    const svgs = await page.$$eval('figure.figure .plot > svg', (els) => els.map((e) => e.querySelectorAll('*').length));
    expect(svgs).toHaveLength(expected.length);
    for (const n of svgs) expect(n).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/experiment.png`, fullPage: true });
    await context.close();
  });

  it('prints the answers stored in the result, not typed-in text', async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    const shown = await page.$$eval('.answer p:nth-of-type(3)', (els) => els.map((e) => e.textContent?.trim()));
    expect(shown).toEqual(result.answers.map((a) => a.statement));
    const served = await page.request.get(`${server.url}/experiments/mnist-1-vs-7/result.json`);
    expect(served.headers()['content-type']).toContain('application/json');
    expect(Result.parse(await served.json()).hash).toBe(result.hash);
    await context.close();
  });

  it('serves every figure download with the right type', async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    const links = await page.$$eval('figure.figure .downloads a', (els) => els.map((e) => (e as HTMLAnchorElement).href));
    expect(links.length).toBe(2 * figuresFor(result).length);
    for (const href of links) {
      const res = await page.request.get(href);
      expect(res.status(), href).toBe(200);
      const body = await res.text();
      if (href.endsWith('.svg')) {
        expect(res.headers()['content-type']).toBe('image/svg+xml');
        expect(body).toContain('xmlns="http://www.w3.org/2000/svg"');
        expect(body).not.toContain('currentColor');
      } else {
        expect(res.headers()['content-type']).toContain('text/csv');
        expect(body.split('\n').length).toBeGreaterThan(2);
      }
    }
    await context.close();
  });

  it('loads every page with no console error and no broken internal link', async () => {
    const seen = new Set<string>();
    const queue = ['/'];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const { page, context, errors, status } = await visit(path);
      expect(status, path).toBe(200);
      expect(errors, path).toEqual([]);
      const hrefs = await page.$$eval('a[href]', (els) => els.map((e) => (e as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== server.url) continue;
        if (url.pathname.endsWith('/') || !/\.\w+$/.test(url.pathname)) queue.push(url.pathname);
        else expect((await page.request.get(href)).status(), `${href} linked from ${path}`).toBe(200);
        if (url.hash) {
          const target = await page.request.get(server.url + url.pathname);
          expect(await target.text(), `${href} linked from ${path}`).toContain(`id="${url.hash.slice(1)}"`);
        }
      }
      if (path === '/' || path === '/report/') await page.screenshot({ path: `${SHOTS}/${path === '/' ? 'home' : 'report'}.png`, fullPage: true });
      await context.close();
    }
    expect([...seen]).toEqual(expect.arrayContaining(['/', '/report/', '/experiments/mnist-1-vs-7/']));
  });
});
