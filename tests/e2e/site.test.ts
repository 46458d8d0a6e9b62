import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresFor } from '../../src/figures/index.ts';
import { Result } from '../../src/results/schema.ts';
import { tempDir } from '../helpers.ts';
import { factProblems } from '../statement-facts.ts';
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

// Training every committed experiment takes minutes on two shared cores: the build gets its own time limit.
beforeAll(async () => {
  site = await buildSite(tempDir('chemins-site-'), { env: { CHEMINS_SITE: 'https://chemins.test' } });
  result = Result.parse(JSON.parse(readFileSync(join(site.results, 'mnist-1-vs-7.json'), 'utf8')));
  server = await serve(site.dist);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 1_500_000);

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

  it("prints in every committed experiment's answers only numbers recomputed from its stored result", () => {
    const files = readdirSync(site.results).filter((f) => f.endsWith('.json') && !f.endsWith('.error.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const r = Result.parse(JSON.parse(readFileSync(join(site.results, f), 'utf8')));
      expect(factProblems(r), f).toEqual([]);
    }
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
    const shown = await page.$$eval('.answer .statement', (els) => els.map((e) => e.textContent?.trim()));
    expect(shown).toEqual(result.answers.map((a) => a.statement));
    const served = await page.request.get(`${server.url}/experiments/mnist-1-vs-7/result.json`);
    expect(served.headers()['content-type']).toContain('application/json');
    expect(Result.parse(await served.json()).hash).toBe(result.hash);
    await context.close();
  });

  it('serves every figure download with the right type', async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    // SVG and CSV here; PNG and citations in 'figures for print and citation' below.
    const all = await page.$$eval('figure.figure .downloads a', (els) => els.map((e) => (e as HTMLAnchorElement).href));
    const links = all.filter((href) => /\.(svg|csv)$/.test(href));
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
        // The explorer's fragment is its view's state (seed=…&layer=…), not an anchor.
        if (url.hash && !url.pathname.endsWith('/explore/')) {
          const target = await page.request.get(server.url + url.pathname);
          expect(await target.text(), `${href} linked from ${path}`).toContain(`id="${url.hash.slice(1)}"`);
        }
      }
      if (path === '/' || path === '/report/') await page.screenshot({ path: `${SHOTS}/${path === '/' ? 'home' : 'report'}.png`, fullPage: true });
      await context.close();
    }
    expect([...seen]).toEqual(expect.arrayContaining(['/', '/report/', '/experiments/mnist-1-vs-7/']));
  }, 600_000);

  it('passes an accessibility check (axe-core) with no serious or critical violation', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    for (const path of [
      '/',
      '/experiments/mnist-1-vs-7/',
      '/report/',
      '/figures/',
      '/glossary/',
      '/fr/',
      '/fr/experiments/mnist-1-vs-7/',
      '/fr/report/',
      '/fr/figures/',
      '/fr/glossary/',
    ]) {
      // The site's CSP rightly forbids injected scripts: the checker alone is let through.
      const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.url + path);
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
      expect(violations, path).toEqual([]);
      await context.close();
    }
  });
});

/** Every HTML page of the built site, by its path. */
function htmlPages(dir: string, prefix = '/'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return htmlPages(join(dir, e.name), `${prefix}${e.name}/`);
    return e.name === 'index.html' ? [prefix] : [];
  });
}

/** English function words: three of them in one stretch of visible text make an English sentence. */
const ENGLISH = /\b(the|and|of|which|with|from|is|are|each|every|its|their|this|that|by|to|not|where|what)\b/gi;

describe('the French edition, in Chromium', () => {
  it('has every page in both languages, with the right lang and hreflang alternates', () => {
    const pages = htmlPages(site.dist);
    const english = pages.filter((p) => !p.startsWith('/fr/'));
    const french = new Set(pages.filter((p) => p.startsWith('/fr/')));
    expect(english.filter((p) => !french.has(`/fr${p}`))).toEqual([]);
    expect([...french].filter((p) => !english.includes(p.slice(3)))).toEqual([]);
    for (const p of pages) {
      const html = readFileSync(join(site.dist, p, 'index.html'), 'utf8');
      const fr = p.startsWith('/fr/');
      expect(/<html lang="(\w+)"/.exec(html)?.[1], p).toBe(fr ? 'fr' : 'en');
      const en = fr ? p.slice(3) : p;
      expect(html, p).toContain(`<link rel="alternate" hreflang="en" href="https://chemins.test${en}">`);
      expect(html, p).toContain(`<link rel="alternate" hreflang="fr" href="https://chemins.test/fr${en}">`);
    }
  });

  it('shows no English sentence on a French page: interface, answers, captions, figures and tables', async () => {
    const pages = htmlPages(site.dist).filter((p) => p.startsWith('/fr/') && !p.endsWith('/explore/'));
    for (const path of pages) {
      const { page, context, errors } = await visit(path, { javaScriptEnabled: false });
      expect(errors, path).toEqual([]);
      // Visible text, SVG text included; passages marked lang="en" (a command line's own report, references' titles, the spec) are English by design.
      const stretches = await page.evaluate(() => {
        const out: string[] = [];
        const walk = (el: Element) => {
          if (el.closest('[lang="en"], code, pre, script, style, title, .fig-id')) return;
          for (const node of el.childNodes) {
            if (node.nodeType === 3 && node.textContent!.trim()) out.push(node.textContent!.trim());
            else if (node.nodeType === 1) walk(node as Element);
          }
        };
        walk(document.body);
        return out;
      });
      const english = stretches.filter(
        (t) => (t.match(/\b(the|and|of|which|with|from|is|are|each|every|its|their|this|that|by|to|not|where|what)\b/gi) ?? []).length >= 3,
      );
      expect(english, path).toEqual([]);
      await context.close();
    }
    expect(ENGLISH.test('the model and its layers')).toBe(true);
  }, 600_000);

  it('switches language on the same page, and each figure to its counterpart at its anchor', async () => {
    const { page, context } = await visit('/fr/experiments/mnist-1-vs-7/');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('.answer .value').first().innerText()).toMatch(/^\d+,\d/);
    await page.locator('header a.lang-switch').click();
    await page.waitForURL(`${server.url}/experiments/mnist-1-vs-7/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const figureLink = await page.locator('#fig-purity a.figure-lang').getAttribute('href');
    expect(figureLink).toBe('/fr/experiments/mnist-1-vs-7/#fig-purity');
    // French downloads: the figure drawn in French, its citation pointing at the French page.
    const svg = await page.request.get(`${server.url}/fr/figures/mnist-1-vs-7/purity.svg`);
    expect(await svg.text()).toContain('Pureté');
    const bib = await (await page.request.get(`${server.url}/fr/figures/mnist-1-vs-7/purity.bib`)).text();
    expect(bib).toContain('/fr/experiments/mnist-1-vs-7/#fig-purity');
    for (const lang of ['', '/fr']) {
      await page.goto(`${server.url}${lang}/experiments/mnist-1-vs-7/`);
      await page.screenshot({ path: `${SHOTS}/experiment${lang ? '-fr' : '-en'}.png`, fullPage: true });
      await page.goto(`${server.url}${lang}/report/`);
      await page.screenshot({ path: `${SHOTS}/report${lang ? '-fr' : '-en'}.png`, fullPage: true });
    }
    await context.close();
  }, 300_000);

  it('links a term’s first use on a page to the glossary, in each language', async () => {
    for (const [path, glossary] of [
      ['/experiments/mnist-1-vs-7/', '/glossary/'],
      ['/fr/experiments/mnist-1-vs-7/', '/fr/glossary/'],
    ]) {
      const { page, context } = await visit(path, { javaScriptEnabled: false });
      const terms = await page.$$eval('a.term', (els) => els.map((e) => e.getAttribute('href')!));
      expect(terms.length, path).toBeGreaterThan(5);
      expect(new Set(terms).size, path).toBe(terms.length);
      for (const href of terms) expect(href.startsWith(`${glossary}#`), href).toBe(true);
      await context.close();
    }
  });
});

describe('figures for print and citation, in Chromium', () => {
  const figureIds = () => figuresFor(result).map((f) => `mnist-1-vs-7/${f.name}`);

  it('serves a PNG at print resolution and the citations beside every figure', async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    const links = await page.$$eval('figure.figure .downloads a', (els) => els.map((e) => (e as HTMLAnchorElement).href));
    const ids = figureIds();
    for (const [ext, type] of [
      ['.png', 'image/png'],
      ['.bib', 'application/x-bibtex'],
      ['.cite.txt', 'text/plain'],
    ]) {
      const hrefs = links.filter((h) => h.endsWith(ext));
      expect(
        hrefs.map((h) => new URL(h).pathname),
        ext,
      ).toEqual(ids.map((id) => `/figures/${id}${ext}`));
      for (const [i, href] of hrefs.entries()) {
        const res = await page.request.get(href);
        expect(res.status(), href).toBe(200);
        expect(res.headers()['content-type'], href).toContain(type);
        const body = await res.body();
        if (ext === '.png') {
          expect([...body.subarray(0, 8)], href).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
          expect(body.readUInt32BE(16), `${href} width`).toBeGreaterThanOrEqual(2400);
        } else {
          const text = body.toString('utf8');
          expect(text, href).toContain(`id ${ids[i]}`);
          expect(text, href).toMatch(/from commit \w+/);
          if (ext === '.bib') expect(text.startsWith(`@misc{chemins:mnist-1-vs-7:${figuresFor(result)[i].name},`), href).toBe(true);
          else expect(text, href).toContain(`Figure ${i + 1}: ${figuresFor(result)[i].title.en}`);
        }
      }
    }
    await context.close();
  });

  it('lists every figure on the figures page, each with a thumbnail and its downloads', async () => {
    const { page, context, errors, status } = await visit('/figures/', { javaScriptEnabled: false });
    expect(status).toBe(200);
    const cards = await page.$$eval('.figure-card', (els) =>
      els.map((e) => ({
        id: e.getAttribute('data-figure-id'),
        thumb: (e.querySelector('img') as HTMLImageElement | null)?.getAttribute('src'),
        downloads: e.querySelectorAll('.card-downloads a').length,
      })),
    );
    const mine = cards.filter((c) => c.id?.startsWith('mnist-1-vs-7/'));
    expect(mine.map((c) => c.id)).toEqual(figureIds());
    for (const card of mine) {
      expect(card.thumb).toBe(`/figures/${card.id}.svg`);
      expect(card.downloads).toBe(6);
      const res = await page.request.get(server.url + card.thumb);
      expect(res.headers()['content-type']).toBe('image/svg+xml');
    }
    expect(await page.$$eval('header.site nav a', (els) => els.map((e) => e.textContent?.trim()))).toContain('Figures');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('links a FigureRef to its figure, and typesets math with no script and nothing from other hosts', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => !r.url().startsWith(server.url) && !r.url().startsWith('data:') && foreign.push(r.url()));
    expect((await page.goto(`${server.url}/report/`))?.status()).toBe(200);
    // The report numbers the figures it embeds in its own order; a reference to one of them follows that number.
    const numbers = await page.$$eval('figure.figure', (els) =>
      els.map((e) => ({ id: e.getAttribute('data-figure-id'), anchor: e.id, label: e.querySelector('figcaption strong')?.textContent?.trim() })),
    );
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers.map((n) => n.label)).toEqual(numbers.map((_, i) => `Figure ${i + 1}.`));
    expect(new Set(numbers.map((n) => n.label)).size).toBe(numbers.length);
    const refs = await page.$$eval('a.figure-ref', (els) =>
      els.map((e) => ({ text: e.textContent, href: (e as HTMLAnchorElement).href, id: e.getAttribute('data-figure-ref') })),
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const at = numbers.findIndex((n) => n.id === ref.id);
      expect(at, ref.id!).toBeGreaterThanOrEqual(0);
      expect(ref.text?.replace(/\s/g, ' ')).toBe(`Figure ${at + 1}`);
      expect(new URL(ref.href).hash).toBe(`#${numbers[at].anchor}`);
    }
    // Every citation resolves to an entry of the references list.
    const cites = await page.$$eval('.cite a', (els) => els.map((e) => e.getAttribute('href')));
    expect(cites.length).toBeGreaterThan(8);
    for (const href of cites) expect(await page.locator(`li${href}`).count(), href!).toBe(1);
    expect(await page.locator('.katex-display').count()).toBeGreaterThan(0);
    expect(await page.locator('.katex math').count()).toBeGreaterThan(0);
    expect(await page.$$eval('script', (els) => els.filter((e) => /katex/i.test(e.outerHTML)).length)).toBe(0);
    // KaTeX's own fonts, loaded from this site.
    await page.waitForLoadState('networkidle');
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/["']/g, ''));
    });
    expect(fonts).toContain('KaTeX_Main');
    expect(foreign).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/report-math.png`, fullPage: false });
    await context.close();
  });
});

describe('figures that go into a thesis, pages that read on paper and on a phone', () => {
  const budget = { gzip: 250 * 1024, elements: 12_000 };

  it("carries each figure's key inside its standalone SVG: the name of every class it colours", async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    const names = [...result.dataset.classes, ...result.dataset.probes].map((l) => result.dataset.names[String(l)] ?? String(l));
    for (const def of figuresFor(result)) {
      const key = def.key?.(result, 'en');
      if (!key) continue;
      // The SVG file alone, as a thesis takes it: no page, no stylesheet.
      const res = await page.request.get(`${server.url}/figures/mnist-1-vs-7/${def.name}.svg`);
      const svg = await res.text();
      const alone = await browser.newPage();
      await alone.setContent(svg);
      const texts = await alone.$$eval('g.figure-key text', (els) => els.map((e) => e.textContent ?? ''));
      for (const item of key.items ?? []) expect(texts, `${def.name}: ${item.label}`).toContain(item.label);
      if ((key.items ?? []).some((i) => i.shape === 'square'))
        for (const n of names.filter((n) => texts.some((t) => t.startsWith(n)))) expect(texts.join('|'), def.name).toContain(n);
      await alone.close();
    }
    for (const name of ['paths-flow', 'cluster-composition', 'projections-pca', 'probe-predictions']) {
      const svg = await (await page.request.get(`${server.url}/figures/mnist-1-vs-7/${name}.svg`)).text();
      for (const l of result.dataset.classes) expect(svg, name).toContain(`>${result.dataset.names[String(l)] ?? l}<`);
    }
    await context.close();
  });

  it('serves a vector PDF of every figure, its font embedded', async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    const hrefs = (await page.$$eval('figure.figure .downloads a', (els) => els.map((e) => (e as HTMLAnchorElement).href))).filter((h) => h.endsWith('.pdf'));
    expect(hrefs).toHaveLength(figuresFor(result).length);
    for (const href of hrefs) {
      const res = await page.request.get(href);
      expect(res.headers()['content-type'], href).toBe('application/pdf');
      const pdf = (await res.body()).toString('latin1');
      expect(pdf.startsWith('%PDF-'), href).toBe(true);
      expect(pdf, href).toMatch(/\/FontFile2 \d+ 0 R/);
      // Vector content: a compressed content stream and no page-sized raster.
      expect(pdf, href).toMatch(/\/Contents \d+ 0 R/);
      expect(pdf.match(/\/Type \/Page\b/g), href).toHaveLength(1);
    }
    await context.close();
  });

  it('gives figures, experiment pages and the report BibTeX with an absolute url, real authors and no doubled stop', async () => {
    const { page, context } = await visit('/experiments/mnist-1-vs-7/');
    for (const path of ['/figures/mnist-1-vs-7/separation.bib', '/experiments/mnist-1-vs-7/cite.bib', '/report/cite.bib']) {
      const bib = await (await page.request.get(server.url + path)).text();
      expect(bib, path).toMatch(/url\s+= \{https:\/\/chemins\.test\//);
      expect(bib, path).toMatch(/urldate\s+= \{\d{4}-\d{2}-\d{2}\}/);
      expect(bib, path).not.toContain('author       = {{Chemins}}');
    }
    const text = await (await page.request.get(`${server.url}/figures/mnist-1-vs-7/separation.cite.txt`)).text();
    expect(text).not.toContain('?.');
    expect(await page.locator('.cite-this').count()).toBe(1);
    await context.close();
  });

  it('keeps every experiment page within its weight (gzipped HTML) and element budget', async () => {
    const ids = readdirSync(site.results)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.error.json'))
      .map((f) => f.replace(/\.json$/, ''));
    for (const id of ids) {
      const html = readFileSync(join(site.dist, 'experiments', id, 'index.html'));
      expect(gzipSync(html, { level: 9 }).length, id).toBeLessThanOrEqual(budget.gzip);
      const { page, context } = await visit(`/experiments/${id}/`, { javaScriptEnabled: false });
      expect(await page.evaluate(() => document.getElementsByTagName('*').length), id).toBeLessThanOrEqual(budget.elements);
      await context.close();
    }
  });

  it('never scrolls sideways on a 390 px phone, and keeps figure text at 8 px or more', async () => {
    for (const path of ['/', '/experiments/mnist-1-vs-7/', '/experiments/mnist-nine-digits/', '/report/', '/figures/']) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(server.url + path);
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      expect(scroll, path).toBeLessThanOrEqual(width);
      if (path.startsWith('/experiments/')) {
        const smallest = await page.$$eval('figure.figure .plot svg', (svgs) =>
          Math.min(...svgs.map((svg) => (svg.getBoundingClientRect().width / Number(svg.getAttribute('width'))) * 10)),
        );
        expect(smallest, path).toBeGreaterThanOrEqual(7.9);
      }
      if (path === '/experiments/mnist-1-vs-7/') await page.screenshot({ path: `${SHOTS}/phone-experiment.png`, fullPage: false });
      await context.close();
    }
  });

  it('prints without download links or navigation, each answer card and figure whole', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/experiments/mnist-1-vs-7/`);
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => ({
      downloads: [...document.querySelectorAll('.downloads, nav.toc, header.site nav')].filter((e) => getComputedStyle(e).display !== 'none').length,
      answer: getComputedStyle(document.querySelector('.answer')!).breakInside,
      figure: getComputedStyle(document.querySelector('figure.figure')!).breakInside,
      heading: getComputedStyle(document.querySelector('h2')!).breakAfter,
    }));
    expect(shown).toEqual({ downloads: 0, answer: 'avoid', figure: 'avoid', heading: 'avoid' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    await context.close();
  });
});
