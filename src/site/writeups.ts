import { getCollection } from 'astro:content';
import type { Lang } from '../i18n/index.ts';
import { sha256 } from '../util/hash.ts';
import { pageKey, siteResultsKey } from './cache-key.ts';
import { loadFailures, loadResults } from './results.ts';

// Write-ups per language: content/<slug>.mdx is English, content/fr/<slug>.mdx
// its French counterpart, at /<slug>/ and /fr/<slug>/.

/**
 * The write-ups of a language, keyed (cache-key.ts) for their page, which may
 * embed a figure or an answer of any experiment or name one that failed, or
 * for their citation files, which show their title only.
 */
export async function writeupPaths(lang: Lang, file: 'page' | 'citation' = 'page') {
  const pages = await getCollection('writeups');
  const mine = pages.filter((p) => (lang === 'fr' ? p.id.startsWith('fr/') : !p.id.startsWith('fr/')));
  const all = file === 'page' ? siteResultsKey(loadResults(), loadFailures()) : '';
  return mine.map((page) => ({
    params: { slug: lang === 'fr' ? page.id.slice(3) : page.id },
    props: { page, title: page.data.title },
    cacheKey:
      file === 'page'
        ? pageKey(lang, 'writeup', page.id, page.digest ?? sha256(page.body ?? ''), all)
        : pageKey(lang, 'writeup-citation', page.id, page.data.title),
  }));
}
