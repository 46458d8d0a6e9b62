import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Lang } from '../i18n/index.ts';
import { INPUT_PIXELS_FILE, INPUTS_INDEX_FILE, seedInputsFile } from '../results/inputs.ts';
import type { Result } from '../results/schema.ts';
import { systemFontsDigest } from '../figures/system-fonts.ts';
import { fileDigest } from '../util/file-digest.ts';
import { canonicalJson, sha256 } from '../util/hash.ts';
import { bibliographyPath } from './bibliography.ts';
import { buildCommit, buildDate } from './build-info.ts';
import { resultsDir, storedDigest } from './stored.ts';

// Cache keys for Astro's incremental build (`experimental.incrementalBuild`):
// a path returned by getStaticPaths() with a `cacheKey` is not rendered again
// when its key and its route's module graph (the code, which Astro hashes,
// every local module it imports; dependencies through the lockfile, the
// config through its output options) are the same as in the last build.
// What the code reads at build time from outside its module graph must
// therefore be in the key, and only here is that decided:
//
//   - a result: its stored file's text (sealed) and the labels (title,
//     description) read from its experiment file, which the site shows;
//   - its per-input files (the explorer's data, inputs' pixels), whose
//     presence also decides the links to the explorer on its pages;
//   - the build's stamp: date and commit (citations, PDF metadata), the
//     citation file (authors, title, address), the BibTeX references, the
//     Astro config's own text (integrations are outside Astro's
//     config hash);
//   - the language of the page;
//   - a write-up: its own source (Astro also tracks the components it renders).
//
// Figure assets (SVG, PNG, CSV) depend on the result, the figure and the
// language only, not on the stamp: a new commit or a new day does not draw
// them again. The PDF also records the build date. A test checks that the
// routes keyed without the stamp do not import what reads it.

/** The key of several parts: a digest that no concatenation of other parts can give. */
export function digest(...parts: unknown[]): string {
  return sha256(canonicalJson(parts.map((p) => p ?? null)));
}

/** The language of a route from its pattern (`/fr/figures/[experiment]/[figure].png`), for the French routes that share an English route's paths. */
export function routeLang(routePattern: string | undefined): Lang {
  return routePattern === '/fr' || routePattern?.startsWith('/fr/') ? 'fr' : 'en';
}

const keys = new WeakMap<Result, string>();

/**
 * What a page shows of one result: the digest of its stored file and the
 * labels shown; for a result not loaded from a file (tests), of its value.
 */
export function resultKey(result: Result): string {
  let key = keys.get(result);
  if (key === undefined) {
    const stored = storedDigest(result);
    key = stored ? digest('result', stored, result.spec.title, result.spec.description) : digest('result-value', sha256(canonicalJson(result)));
    keys.set(result, key);
  }
  return key;
}

const inputKeys = new WeakMap<Result, string>();

/**
 * The result and the bytes of its per-input files and inputs' pixels as they
 * are now (their digests are read again only when a file changed: see
 * src/util/file-digest.ts).
 */
export function inputsKey(result: Result): string {
  let key = inputKeys.get(result);
  if (key === undefined) {
    const dir = join(resultsDir(), result.id);
    const files = [INPUTS_INDEX_FILE, ...result.seeds.map(seedInputsFile), INPUT_PIXELS_FILE].map((f) => join(dir, f));
    key = digest('inputs', resultKey(result), ...files.map(fileDigest));
    inputKeys.set(result, key);
  }
  return key;
}

const fileText = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

let stamp: string | undefined;

/**
 * What every page (but the figure assets) reads besides its results and code:
 * build date and commit, CITATION.cff, references.bib, the Astro and content
 * configs. Read once per build.
 */
export function buildStamp(): string {
  stamp ??= digest(
    'stamp',
    buildDate(),
    buildCommit(),
    sha256(fileText(process.env.CHEMINS_CITATION ?? resolve('CITATION.cff'))),
    sha256(fileText(bibliographyPath())),
    sha256(fileText(resolve('astro.config.mjs'))),
  );
  return stamp;
}

/**
 * A figure's SVG, PNG or CSV: its result, its name and the language of its
 * labels; for a PNG, the system's fonts too, on which resvg may fall back for
 * a glyph (they are outside any module graph Astro hashes).
 */
export function figureAssetKey(result: Result, figure: string, format: 'svg' | 'png' | 'csv', lang: Lang): string {
  return digest('figure', format, resultKey(result), figure, lang, format === 'png' ? systemFontsDigest() : null);
}

/** A figure's PDF: as its SVG, and the build date it records. */
export function figurePdfKey(result: Result, figure: string, lang: Lang): string {
  return digest('figure', 'pdf', resultKey(result), figure, lang, buildDate());
}

/** A page or file that cites or lists: the build's stamp and whatever else it reads (results, a write-up's source). */
export function pageKey(lang: Lang, ...parts: unknown[]): string {
  return digest('page', lang, buildStamp(), ...parts);
}

/** Every result (with its per-input files) and every failure card the site shows, for the pages that list or may embed any of them. */
export function siteResultsKey(results: Result[], failures: unknown[]): string {
  return digest('all', ...results.map(inputsKey), ...failures.map((f) => sha256(canonicalJson(f))));
}
