// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
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

export default defineConfig({
  site: published.origin,
  base: published.pathname.replace(/\/?$/, '/'),
  integrations: [mdx(), jsBudget()],
  outDir: process.env.CHEMINS_DIST ?? './dist',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  // English at the root, French under /fr/: every page exists in both (src/pages/fr/ mirrors src/pages/).
  i18n: { locales: ['en', 'fr'], defaultLocale: 'en', routing: { prefixDefaultLocale: false } },
});
