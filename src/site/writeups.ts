import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { Lang } from '../i18n/index.ts';
import { sha256 } from '../util/hash.ts';
import { pageKey, siteResultsKey } from './cache-key.ts';
import { loadFailures, loadResults } from './results.ts';

// Write-ups per language: content/<slug>.mdx is English, content/fr/<slug>.mdx
// its French counterpart, at /<slug>/ and /fr/<slug>/. They are imported as
// MDX modules (the folder is the `@chemins-content` alias, CHEMINS_CONTENT or
// content/; astro.config.mjs), not through a content collection: a collection
// makes every build start a Vite server of its own to load its config, 0.6 s
// of a build after a write-up is edited.

const modules = import.meta.glob<{ default: AstroComponentFactory; frontmatter?: Record<string, unknown> }>('@chemins-content/**/*.mdx', { eager: true });
const sources = import.meta.glob<string>('@chemins-content/**/*.mdx', { eager: true, query: '?raw', import: 'default' });

/** What a write-up's frontmatter must hold. */
const Frontmatter = z.object({ title: z.string().min(1), description: z.string().default('') });

export interface Writeup {
  /** `report`, `fr/report`: its path in the content folder, without `.mdx`. */
  id: string;
  title: string;
  description: string;
  /** The MDX source after its frontmatter (figures and citations are numbered from it). */
  body: string;
  /** The digest of the whole file. */
  digest: string;
  Content: AstroComponentFactory;
}

let all: Writeup[] | undefined;

/**
 * A module's path in the content folder: Vite keys a glob's files from the
 * project's root (`/content/report.mdx`), or by their absolute path when the
 * folder lies outside it.
 */
function idOf(key: string): string {
  const root = process.env.CHEMINS_ROOT ?? process.cwd();
  const dir = resolve(root, process.env.CHEMINS_CONTENT ?? 'content');
  const file = [join(root, key), resolve(key)].find((f) => f.startsWith(`${dir}${sep}`)) ?? key;
  return relative(dir, file)
    .split(sep)
    .join('/')
    .replace(/\.mdx$/, '');
}

/** Every write-up; one whose frontmatter is wrong stops the build, naming its file and field. */
export function writeups(): Writeup[] {
  all ??= Object.entries(modules)
    .map(([path, mod]) => {
      const id = idOf(path);
      const file = `content/${id}.mdx`;
      const parsed = Frontmatter.safeParse(mod.frontmatter ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `[InvalidWriteup] ${file}: frontmatter ${issue.path.join('.') || '(all)'}: ${issue.message}. A write-up starts with ---, a line "title: …" (and optionally "description: …"), then ---.`,
        );
      }
      const source = sources[path] ?? '';
      return {
        id,
        ...parsed.data,
        body: source.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, ''),
        digest: sha256(source),
        Content: mod.default,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return all;
}

/**
 * The write-ups of a language, keyed (cache-key.ts) for their page, which may
 * embed a figure or an answer of any experiment or name one that failed, or
 * for their citation files, which show their title only.
 */
export function writeupPaths(lang: Lang, file: 'page' | 'citation' = 'page') {
  const mine = writeups().filter((p) => (lang === 'fr' ? p.id.startsWith('fr/') : !p.id.startsWith('fr/')));
  const results = file === 'page' ? siteResultsKey(loadResults(), loadFailures()) : '';
  return mine.map((page) => ({
    params: { slug: lang === 'fr' ? page.id.slice(3) : page.id },
    props: { page, title: page.title },
    cacheKey: file === 'page' ? pageKey(lang, 'writeup', page.id, page.digest, results) : pageKey(lang, 'writeup-citation', page.id, page.title),
  }));
}
