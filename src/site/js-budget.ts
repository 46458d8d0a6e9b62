import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../util/hash.ts';

// The explorer's JavaScript budget, measured on the built site: every module
// an explorer page may load (its module scripts and what they import,
// statically or dynamically, followed through the files), gzipped at level 9.
// Over budget, the build fails.

export const EXPLORER_JS_BUDGET = 150 * 1024;

export interface JsWeight {
  page: string;
  files: string[];
  bytes: number;
  gzipped: number;
  /** What the page loads before anything is done on it: its module scripts and their static imports. */
  initial: { bytes: number; gzipped: number };
}

// Every explorer page, in both walks, loads the same few modules: each distinct
// content is gzipped once per process (0.4 s of a warm build otherwise).
const gzippedSizes = new Map<string, number>();
function gzippedSize(code: Buffer): number {
  const key = sha256(code);
  let size = gzippedSizes.get(key);
  if (size === undefined) gzippedSizes.set(key, (size = gzipSync(code, { level: 9 }).byteLength));
  return size;
}

/** The JavaScript a built page may load: its module scripts and every module they import, statically or dynamically. */
export function pageJavaScript(dist: string, page: string): JsWeight {
  const html = readFileSync(join(dist, page), 'utf8');
  const entries = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => resolve(dist, `.${m[1]}`));
  const walk = (dynamic: boolean) => {
    const seen = new Set<string>();
    const queue = [...entries];
    while (queue.length) {
      const file = queue.shift()!;
      if (seen.has(file) || !existsSync(file)) continue;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bfrom\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]|\bimport\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g))
        queue.push(resolve(dirname(file), m[1] ?? m[2]));
      // Dynamic imports, which the bundler may quote with backticks.
      if (dynamic) for (const m of code.matchAll(/\bimport\s*\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g)) queue.push(resolve(dirname(file), m[1]));
    }
    let bytes = 0;
    let gzipped = 0;
    for (const f of seen) {
      const code = readFileSync(f);
      bytes += code.byteLength;
      gzipped += gzippedSize(code);
    }
    return { files: [...seen], bytes, gzipped };
  };
  const all = walk(true);
  const initial = walk(false);
  return {
    page,
    files: all.files.map((f) => f.slice(dist.length)),
    bytes: all.bytes,
    gzipped: all.gzipped,
    initial: { bytes: initial.bytes, gzipped: initial.gzipped },
  };
}

/** Every explorer page of a built site, in every language. */
export function explorerPages(dist: string): string[] {
  if (!existsSync(dist)) return [];
  return readdirSync(dist, { recursive: true })
    .map(String)
    .filter((p) => /(^|\/)experiments\/[^/]+\/explore\/index\.html$/.test(p));
}

/** An Astro integration: after the build, measures the explorer's JavaScript and fails over budget. */
export function jsBudget(budget = EXPLORER_JS_BUDGET) {
  return {
    name: 'chemins-js-budget',
    hooks: {
      'astro:build:done': ({ dir, logger }: { dir: URL; logger: { info: (m: string) => void } }) => {
        const dist = fileURLToPath(dir).replace(/\/$/, '');
        const weights = explorerPages(dist).map((p) => pageJavaScript(dist, p));
        if (weights.length === 0) return;
        const heaviest = weights.reduce((a, b) => (b.gzipped > a.gzipped ? b : a));
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        const line = `explorer JavaScript: ${kb(heaviest.gzipped)} gzipped in all (${kb(heaviest.bytes)} minified, ${heaviest.files.length} files), ${kb(heaviest.initial.gzipped)} before the first input is opened; budget ${kb(budget)}`;
        if (heaviest.gzipped > budget) throw new Error(`[chemins] ${line}: over budget (${heaviest.page})`);
        logger.info(line);
      },
    },
  };
}
