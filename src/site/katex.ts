import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';

// KaTeX's stylesheet and fonts, copied from the katex package into the site
// as plain files under /katex/<version>/: served by the site itself, never
// turned into data: URIs by the bundler (a Content-Security-Policy with
// font-src 'self' would block those), and cached safely by version.

const dist = () => join(dirname(createRequire(join(process.cwd(), 'package.json')).resolve('katex/package.json')), 'dist');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** The files to publish, relative to /katex/<version>/: the stylesheet, then the fonts it names. */
export function katexAssets(): string[] {
  return [
    'katex.min.css',
    ...readdirSync(join(dist(), 'fonts'))
      .filter((f) => /^KaTeX_.*\.(woff2?|ttf)$/.test(f))
      .map((f) => `fonts/${f}`),
  ];
}

export function katexAsset(path: string): { body: Uint8Array<ArrayBuffer>; type: string } {
  if (!katexAssets().includes(path)) throw new Error(`[KatexAsset] no KaTeX file ${path}`);
  const ext = path.slice(path.lastIndexOf('.'));
  return { body: new Uint8Array(readFileSync(join(dist(), path))), type: TYPES[ext] ?? 'application/octet-stream' };
}

/** The URL path of the stylesheet, under the site's base. */
export function katexStylesheet(base: string): string {
  return `${base.replace(/\/?$/, '/')}katex/${katex.version}/katex.min.css`;
}
