// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

// The published address, used in citations; set it with CHEMINS_SITE. A site
// published under a path (a project's GitHub Pages, https://owner.github.io/repo)
// is built with that path as its base, so that every link carries it.
const published = new URL(process.env.CHEMINS_SITE || 'https://chemins.example.org');

export default defineConfig({
  site: published.origin,
  base: published.pathname.replace(/\/?$/, '/'),
  integrations: [mdx()],
  outDir: process.env.CHEMINS_DIST ?? './dist',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
});
