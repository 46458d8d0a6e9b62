import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { buildSite } from './build.ts';
import { serve } from './serve.ts';

// A site built from hostile and broken experiment files: every string from a
// file is shown as text, a failure is a card where its page would be, and
// nothing is loaded from another host.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
let site: Awaited<ReturnType<typeof buildSite>>;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

// A build of its own (one tiny experiment, then Astro): its own time limit.
beforeAll(async () => {
  const root = tempDir('chemins-safety-');
  const exps = join(root, 'experiments');
  const content = join(root, 'content');
  mkdirSync(exps);
  mkdirSync(content);
  const tiny = `dataset:\n  classes: [1, 7]\n  probes: [3]\n  samplesPerClass: 60\n  outliers: none\n  names: { 1: '${HOSTILE.replace(/'/g, "''")}' }\nmodel:\n  hidden: [8]\ntraining:\n  epochs: 1\nsignatures:\n  k: 2\n  restarts: 1\nanalysis:\n  permutations: 10\n`;
  writeFileSync(join(exps, 'hostile.yaml'), `title: '${HOSTILE.replace(/'/g, "''")}'\ndescription: 'A description with <b>markup</b> & an ampersand'\n${tiny}`);
  writeFileSync(join(exps, 'typo.yaml'), 'title: typo\ndataset:\n  classes: [1, 7]\ntraining:\n  epoch: 3\n');
  writeFileSync(
    join(exps, 'diverges.yaml'),
    `title: diverges\n${tiny.replace('training:\n  epochs: 1', 'training:\n  epochs: 3\n  optimizer: sgd\n  learningRate: 9.9').replace('hidden: [8]', 'hidden: [32, 32]\n  activation: elu')}`,
  );
  site = await buildSite(root, { experiments: exps, content });
  server = await serve(site.dist);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r: Request) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  const response = await page.goto(server.url + path);
  return { page, context, errors, foreign, status: response?.status() };
}

describe('a site built from hostile and broken files', () => {
  it('still builds, the command having reported the failures', () => {
    expect(site.code).toBe(1);
    expect(site.log).toMatch(/✓ hostile: built/);
  });

  it('renders every string from an experiment file as text, never as markup', async () => {
    for (const path of ['/', '/experiments/hostile/']) {
      const { page, context, errors, status } = await open(path);
      expect(status).toBe(200);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('body').innerText()).toContain('<script>window.__pwned = 1</script>');
      expect(await page.locator('main script, main img[src="x"]').count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }
    const { page, context } = await open('/experiments/hostile/');
    expect(await page.locator('.lede').innerText()).toBe('A description with <b>markup</b> & an ampersand');
    await context.close();
    // The explorer writes the same strings from its data, as text.
    const explorer = await open('/experiments/hostile/explore/#seed=1&sel=node:hidden1:0&input=mnist:1:0');
    await explorer.page.waitForSelector('#explorer[data-state="ready"]');
    await explorer.page.locator('#gallery button[data-row]').first().click();
    await explorer.page.locator('#scatter canvas.scatter-points').hover();
    expect(await explorer.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await explorer.page.locator('#explorer').innerText()).toContain('<script>window.__pwned = 1</script>');
    expect(await explorer.page.locator('main img[src="x"], main script:not([src])').count()).toBe(0);
    expect(explorer.errors).toEqual([]);
    await explorer.context.close();
  });

  it('shows a failed or invalid experiment as a card, on the home page and where its page would be', async () => {
    const { page, context } = await open('/');
    const cards = page.locator('.failure-card');
    expect(await cards.count()).toBe(2);
    const text = await cards.allInnerTexts();
    expect(text.find((t) => t.includes('diverges'))).toMatch(/Run failed[\s\S]*training\.learningRate[\s\S]*training diverged at epoch \d/i);
    expect(text.find((t) => t.includes('typo'))).toMatch(/Invalid experiment file[\s\S]*training[\s\S]*unknown field `epoch`/i);
    await context.close();
    for (const id of ['diverges', 'typo']) {
      const visit = await open(`/experiments/${id}/`);
      expect(visit.status).toBe(200);
      expect(await visit.page.locator('.failure-card').count()).toBe(1);
      await visit.context.close();
    }
  });

  it('loads nothing from other hosts, under a Content-Security-Policy that allows only what the site uses', async () => {
    const { page, context, foreign } = await open('/experiments/hostile/');
    await page.waitForLoadState('networkidle');
    expect(foreign).toEqual([]);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    await context.close();
    // No page of the built site loads from another host: no src, and no <link href> (stylesheets, icons,
    // preloads). A reference's <a href> to a paper is a link a reader may follow, not a load.
    const html = readdirSync(site.dist, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.html'))
      .map((f) => readFileSync(join(site.dist, f), 'utf8'));
    for (const h of html) {
      expect(h).not.toMatch(/\ssrc="(?:https?:)?\/\/(?!www\.w3\.org)/);
      // Every <link> that loads (stylesheet, icon, preload…) is local; rel="alternate" and "canonical" only name pages.
      for (const link of h.match(/<link\b[^>]*>/g) ?? [])
        if (!/\srel="(?:alternate|canonical)"/.test(link)) expect(link).not.toMatch(/\shref="(?:https?:)?\/\//);
    }
  });
});
