// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { figureStore, keepOutput } from './src/site/build-hooks.ts';
import { jsBudget } from './src/site/js-budget.ts';

// The published address, used in every citation: CHEMINS_SITE, else `url` in CITATION.cff.
const cff = process.env.CHEMINS_CITATION ?? 'CITATION.cff';
const cffUrl = existsSync(cff) ? parse(readFileSync(cff, 'utf8'))?.url : undefined;
const site = process.env.CHEMINS_SITE || cffUrl || undefined;
if (!site && process.argv.includes('build')) console.warn('[chemins] no site address: citations carry no URL (set CHEMINS_SITE, or url in CITATION.cff).');

// A site published under a path (a project's GitHub Pages, https://owner.github.io/repo)
// is built with that path as its base, so that every link carries it. Without an
// address, a placeholder that citations never print (src/site/build-info.ts).
const published = new URL(site || 'https://chemins.example.org');

// Where Astro keeps what a build reuses (its content store, and with
// incremental builds the pages it may skip): CHEMINS_CACHE/astro when set;
// for a build into another folder (CHEMINS_DIST), beside that folder, so
// that two builds at once never share one; else Astro's own default.
const outDir = process.env.CHEMINS_DIST ?? './dist';
const cacheDir = process.env.CHEMINS_CACHE
  ? resolve(process.env.CHEMINS_CACHE, 'astro')
  : process.env.CHEMINS_DIST
    ? `${resolve(outDir)}.cache`
    : './node_modules/.astro';

// Figures are drawn as PNG and PDF on worker threads that run the project's
// own source (src/figures/draw-pool.ts): this is where it is.
process.env.CHEMINS_ROOT = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  site: published.origin,
  base: published.pathname.replace(/\/?$/, '/'),
  integrations: [mdx(), jsBudget(), figureStore(), keepOutput()],
  outDir,
  cacheDir,
  trailingSlash: 'ignore',
  // Several pages at once: while a figure is drawn on a worker thread, the next page renders.
  build: { format: 'directory', concurrency: 4 },
  devToolbar: { enabled: false },
  // No write-up shows code: not loading a highlighter saves a warm build 0.2 s.
  markdown: { syntaxHighlight: false },
  // English at the root, French under /fr/: every page exists in both (src/pages/fr/ mirrors src/pages/).
  i18n: { locales: ['en', 'fr'], defaultLocale: 'en', routing: { prefixDefaultLocale: false } },
  // A page whose cacheKey (src/site/cache-key.ts) and code are unchanged since
  // the last build is not rendered again: its file stays in the output
  // folder, which keepOutput (src/site/build-hooks.ts) keeps from one build
  // to the next and cleans, or is copied from cacheDir.
  experimental: { incrementalBuild: true },
  // Write-ups are imported from this folder (src/site/writeups.ts): CHEMINS_CONTENT points a build at other write-ups.
  vite: {
    build: { emptyOutDir: false },
    resolve: { alias: { '@chemins-content': resolve(process.env.CHEMINS_ROOT, process.env.CHEMINS_CONTENT ?? 'content') } },
  },
});
