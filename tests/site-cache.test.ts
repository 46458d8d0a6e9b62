import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outputState, siteInputs } from '../scripts/site/fingerprint.ts';
import { cachedPdf, cachedPng } from '../src/figures/asset-cache.ts';
import { cached, cacheStats, storeDir, pruneFigureCache } from '../src/util/cache-store.ts';
import { svgToPdf } from '../src/figures/pdf.ts';
import { rasterise } from '../src/figures/raster.ts';
import { tempDir } from './helpers.ts';

// The build's caches: the content-addressed store of rasterised figures, and
// the rules that keep Astro's incremental build exact (every keyed route has
// a key; the figure assets keyed without the build's stamp never read it).
// tests/e2e/incremental.test.ts builds a site and checks what is reused.

const SVG = (fill: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32" viewBox="0 0 64 32"><rect width="64" height="32" fill="white"/><circle cx="16" cy="16" r="10" fill="${fill}"/><text x="30" y="20" font-family="system-ui, sans-serif" font-size="10">ab</text></svg>\n`;

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => statSync(join(dir, f)).isFile())
    : [];

describe('the figure store', () => {
  let previous: string | undefined;
  beforeEach(() => {
    previous = process.env.CHEMINS_CACHE;
    process.env.CHEMINS_CACHE = tempDir('chemins-cache-');
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.CHEMINS_CACHE;
    else process.env.CHEMINS_CACHE = previous;
  });

  it('makes a file once per inputs, then reads it back, and leaves no temporary file', async () => {
    let made = 0;
    const make = () => Buffer.from(`made ${++made}`);
    const a = await cached('bin', ['one', 'two'], make);
    const b = await cached('bin', ['one', 'two'], make);
    expect(b.equals(a)).toBe(true);
    expect(made).toBe(1);
    // Other inputs, or the same inputs split otherwise, are other entries.
    await cached('bin', ['one', 'three'], make);
    await cached('bin', ['onetwo'], make);
    await cached('txt', ['one', 'two'], make);
    expect(made).toBe(4);
    const stored = files(storeDir());
    expect(stored).toHaveLength(4);
    expect(stored.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('draws the PNG and PDF a build would draw, keyed by the SVG', async () => {
    const before = { ...cacheStats };
    const png = await cachedPng(SVG('#4269d0'));
    expect(png.equals(rasterise(SVG('#4269d0')).png)).toBe(true);
    expect((await cachedPng(SVG('#4269d0'))).equals(png)).toBe(true);
    const other = await cachedPng(SVG('#efb118'));
    expect(other.equals(png)).toBe(false);
    const options = { title: 'A figure', subject: 'tiny', date: '2026-01-02' };
    const pdf = await cachedPdf(SVG('#4269d0'), options);
    expect(pdf.equals(await svgToPdf(SVG('#4269d0'), options))).toBe(true);
    // The PDF records its date: another date is another file.
    const later = await cachedPdf(SVG('#4269d0'), { ...options, date: '2026-01-03' });
    expect(later.equals(pdf)).toBe(false);
    expect(cacheStats.misses - before.misses).toBe(4);
    expect(cacheStats.hits - before.hits).toBe(1);
  });

  it('prunes entries unused for two weeks, and nothing used since', async () => {
    await cached('bin', ['old'], () => Buffer.from('old'));
    await cached('bin', ['new'], () => Buffer.from('new'));
    const [old] = files(storeDir())
      .map((f) => join(storeDir(), f))
      .filter((f) => readFileSync(f, 'utf8') === 'old');
    const monthAgo = (Date.now() - 30 * 86_400_000) / 1000;
    utimesSync(old, monthAgo, monthAgo);
    expect(pruneFigureCache(14)).toBe(1);
    expect(files(storeDir()).map((f) => readFileSync(join(storeDir(), f), 'utf8'))).toEqual(['new']);
    // A pruned entry is made again when needed.
    let made = 0;
    await cached('bin', ['old'], () => Buffer.from(`old ${++made}`));
    expect(made).toBe(1);
  });
});

/** The local modules a file imports (static imports of relative paths, `?raw` text left out), followed through. */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  for (const m of readFileSync(file, 'utf8').matchAll(/^\s*import\s+(?!type\b)[^'"]*?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    if (m[1].includes('?')) continue;
    const target = resolve(dirname(file), m[1]);
    if (seen.has(target) || !existsSync(target)) continue;
    seen.add(target);
    localImports(target, seen);
  }
  return seen;
}

describe('the keys of the incremental build', () => {
  const pages = join(process.cwd(), 'src/pages');
  const routes = files(pages).map((f) => join(pages, f));

  it('every route with static paths gives each a cache key', () => {
    const source = (f: string) => readFileSync(f, 'utf8');
    // The shared path functions each set a key on every path they return.
    const helpers: Record<string, string> = { figurePaths: 'site/figure-paths.ts', experimentPaths: 'site/results.ts', writeupPaths: 'site/writeups.ts' };
    for (const [name, file] of Object.entries(helpers))
      expect(source(join(process.cwd(), 'src', file)), name).toMatch(new RegExp(`function ${name}[\\s\\S]*cacheKey`));
    const keyed = (f: string): boolean => {
      const text = source(f);
      if (/cacheKey/.test(text) || new RegExp(`getStaticPaths = (\\(\\) => )?(${Object.keys(helpers).join('|')})\\b`).test(text)) return true;
      // A French route that re-exports the English one's paths.
      const from = /export \{[^}]*\bgetStaticPaths\b[^}]*\} from '([^']+)'/.exec(text)?.[1];
      return from !== undefined && keyed(resolve(dirname(f), from));
    };
    const dynamic = routes.filter((f) => /getStaticPaths/.test(source(f)));
    expect(dynamic.length).toBeGreaterThan(20);
    expect(dynamic.filter((f) => !keyed(f)).map((f) => f.slice(pages.length))).toEqual([]);
  });

  it("draws a figure's SVG, PNG and CSV from its result and code alone, never from the build's date, commit or citation file", () => {
    // Their keys (cache-key.ts figureAssetKey) leave out the build's stamp: what renders them must not read it.
    const stamp = ['site/build-info.ts', 'site/citations.ts', 'site/citation-file.ts', 'site/bibliography.ts'].map((f) => join(process.cwd(), 'src', f));
    for (const format of ['svg', 'png', 'csv']) {
      const route = join(pages, 'figures/[experiment]', `[figure].${format}.ts`);
      const rendering = new Set<string>();
      for (const m of readFileSync(route, 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
        const target = resolve(dirname(route), m[1]);
        // The paths module computes the keys (it reads the stamp for other routes' keys); it renders nothing.
        if (target.endsWith('site/figure-paths.ts')) continue;
        rendering.add(target);
        for (const t of localImports(target)) rendering.add(t);
      }
      expect(rendering.size).toBeGreaterThan(2);
      expect([...rendering].filter((f) => stamp.includes(f))).toEqual([]);
    }
  });
});

describe("the site's fingerprint (scripts/site.ts builds nothing when it is unchanged)", () => {
  let cwd: string;
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    cwd = process.cwd();
    saved = { ...process.env };
    const root = tempDir('chemins-fingerprint-');
    for (const d of ['src', 'public', 'experiments', 'content', 'results/a', 'dist']) mkdirSync(join(root, d), { recursive: true });
    const files: Record<string, string> = {
      'src/page.ts': 'export const a = 1;\n',
      'public/favicon.svg': '<svg/>',
      'experiments/a.yaml': 'title: A\n',
      'content/report.mdx': '---\ntitle: R\n---\nText.\n',
      'content/references.bib': '',
      'results/a.json': '{}',
      'results/a/inputs.json': '{}',
      'results/a.lock': '123 host',
      'astro.config.mjs': 'export default {};\n',
      'package-lock.json': '{}',
      'dist/index.html': '<p>site</p>',
    };
    for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text);
    process.chdir(root);
    for (const k of Object.keys(process.env)) if (/^CHEMINS_/.test(k)) delete process.env[k];
    process.env.CHEMINS_CACHE = join(root, 'cache');
    process.env.CHEMINS_COMMIT = 'abc1234';
  });
  afterEach(() => {
    process.chdir(cwd);
    process.env = saved;
  });

  it('changes with any source, configuration, input, result or setting, and not with a lock', () => {
    const base = siteInputs().digest;
    expect(siteInputs().digest).toBe(base);
    const edits: [string, () => void][] = [
      ['a source', () => writeFileSync('src/page.ts', 'export const a = 2;\n')],
      ['a new source', () => writeFileSync('src/other.ts', '')],
      ['a public file', () => writeFileSync('public/favicon.svg', '<svg></svg>')],
      ['the config', () => writeFileSync('astro.config.mjs', 'export default { };\n')],
      ['the lockfile', () => writeFileSync('package-lock.json', '{ }')],
      ['an experiment', () => writeFileSync('experiments/a.yaml', 'title: B\n')],
      ['a write-up', () => writeFileSync('content/report.mdx', '---\ntitle: R\n---\nText!\n')],
      ['a result', () => writeFileSync('results/a.json', '{ }')],
      ['a per-input file', () => writeFileSync('results/a/inputs.json', '{ }')],
      ['the address', () => (process.env.CHEMINS_SITE = 'https://example.test')],
      ['the commit', () => (process.env.CHEMINS_COMMIT = 'def5678')],
    ];
    let previous = base;
    for (const [what, edit] of edits) {
      edit();
      const now = siteInputs().digest;
      expect(now, what).not.toBe(previous);
      previous = now;
    }
    writeFileSync('results/a.lock', '456 host');
    expect(siteInputs().digest, 'a lock').toBe(previous);
  });

  it('sees a file of the output folder changed, added or removed', () => {
    const before = outputState();
    expect(outputState()).toBe(before);
    writeFileSync('dist/index.html', '<p>edited</p>');
    const edited = outputState();
    expect(edited).not.toBe(before);
    writeFileSync('dist/extra.html', '');
    expect(outputState()).not.toBe(edited);
    rmSync('dist/extra.html');
    rmSync('dist/index.html');
    expect(outputState()).not.toBe(edited);
  });
});
