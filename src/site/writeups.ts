import { getCollection } from 'astro:content';
import type { Lang } from '../i18n/index.ts';

// Write-ups per language: content/<slug>.mdx is English, content/fr/<slug>.mdx
// its French counterpart, at /<slug>/ and /fr/<slug>/.

export async function writeupPaths(lang: Lang) {
  const pages = await getCollection('writeups');
  const mine = pages.filter((p) => (lang === 'fr' ? p.id.startsWith('fr/') : !p.id.startsWith('fr/')));
  return mine.map((page) => ({ params: { slug: lang === 'fr' ? page.id.slice(3) : page.id }, props: { page, title: page.data.title } }));
}
