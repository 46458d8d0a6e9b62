import { counterpart, type Lang, langBase, langOf, LANGS } from './index.ts';
import { translator } from './strings.ts';

// What a page or component needs to speak its language: the language Astro
// routed it to, its translator, and links that stay in that language.

interface AstroLike {
  currentLocale?: string | undefined;
  url: URL;
}

export function pageLang(astro: AstroLike) {
  const base = import.meta.env.BASE_URL;
  const lang: Lang = langOf(astro, base);
  const page = astro.url.pathname;
  return {
    lang,
    t: translator(lang, page),
    /** The site's root in this language: `/` or `/fr/` (under the base). */
    root: langBase(lang, base),
    /** A page of the site in this language: `href('experiments/x/')`. */
    href: (path = '') => `${langBase(lang, base)}${path.replace(/^\//, '')}`,
    /** This page in every language, for the switch and `hreflang`. */
    alternates: LANGS.map((l) => ({ lang: l, href: counterpart(page, l, base) })),
  };
}
