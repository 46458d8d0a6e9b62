// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

export default defineConfig({
  // The published address, used in citations; override with CHEMINS_SITE.
  site: process.env.CHEMINS_SITE ?? 'https://chemins.example.org',
  integrations: [mdx()],
  outDir: process.env.CHEMINS_DIST ?? './dist',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
});
