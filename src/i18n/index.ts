// The site's two languages: English at the root, French under /fr/. Every
// string a reader sees is given in both; numbers are formatted per language
// (French: decimal comma, a narrow no-break space before % and between
// groups of thousands). The command line stays English.

export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'en';

/** A text in both languages. */
export type Text = Record<Lang, string>;
/** An experiment file's label: one string for both languages, or one per language. */
export type Localized = string | { en: string; fr?: string };

/** The narrow no-break space French typography puts before % and between groups of digits. */
export const NNBSP = '\u202F';

export const HTML_LANG: Record<Lang, string> = { en: 'en', fr: 'fr' };
export const LANG_NAME: Record<Lang, string> = { en: 'English', fr: 'Français' };

/** The text of a label in a language: its own, else the English one (one string serves both). */
export function localized(label: Localized | undefined, lang: Lang): string {
  if (label === undefined) return '';
  if (typeof label === 'string') return label;
  return label[lang] ?? label.en;
}

/** Picks a language's text. Both are required, so none can be missing. */
export const pick = (lang: Lang, en: string, fr: string): string => (lang === 'fr' ? fr : en);

/** Groups an integer's digits: "12,345" in English, "12 345" (narrow spaces) in French from five digits on. */
function groupDigits(int: string, lang: Lang): string {
  if (lang === 'fr') return int.length >= 5 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP) : int;
  return int.length >= 5 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int;
}

/** A number with fixed decimals: "0.987" / "0,987". English keeps its plain digits. */
export function fixed(x: number, digits: number, lang: Lang): string {
  const s = x.toFixed(digits);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** A share as a percentage: "98.0 %" / "98,0 %" (narrow no-break space in French). */
export function percent(x: number, lang: Lang, digits = 1): string {
  return lang === 'fr' ? `${fixed(100 * x, digits, lang)}${NNBSP}%` : `${(100 * x).toFixed(digits)} %`;
}

/** A count: "12,345" / "12 345"; four digits and fewer stay ungrouped ("6000"). */
export function count(n: number, lang: Lang): string {
  const s = String(Math.round(n));
  const neg = s.startsWith('-');
  return (neg ? '-' : '') + groupDigits(neg ? s.slice(1) : s, lang);
}

/** The language of a page from its path (after the site's base). */
export function langOfPath(pathname: string, base = '/'): Lang {
  const b = base.endsWith('/') ? base : `${base}/`;
  const rest = pathname.startsWith(b) ? pathname.slice(b.length) : pathname.replace(/^\//, '');
  return rest === 'fr' || rest.startsWith('fr/') ? 'fr' : 'en';
}

/** The site prefix of a language: the base, then `fr/` for French. */
export function langBase(lang: Lang, base = '/'): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  return lang === 'fr' ? `${b}fr/` : b;
}

/** The same page in another language: /experiments/x/ ⇄ /fr/experiments/x/. */
export function counterpart(pathname: string, to: Lang, base = '/'): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  let rest = pathname.startsWith(b) ? pathname.slice(b.length) : pathname.replace(/^\//, '');
  if (rest === 'fr') rest = '';
  else if (rest.startsWith('fr/')) rest = rest.slice(3);
  return `${langBase(to, base)}${rest}`;
}

/** The language Astro routed a page to (its `currentLocale`), else read from the path. */
export function langOf(astro: { currentLocale?: string | undefined; url: URL }, base = '/'): Lang {
  if (astro.currentLocale === 'fr' || astro.currentLocale === 'en') return astro.currentLocale;
  return langOfPath(astro.url.pathname, base);
}
