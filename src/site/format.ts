import { formatStat, methodText } from '../analysis/catalogue.ts';
import { type Lang, NNBSP } from '../i18n/index.ts';
import type { Answer } from '../results/schema.ts';
import { pct } from '../util/format.ts';

// How an answer's number reads on the site: formatted by its catalogue
// statistic, as its statement prints it, and its interval says how it was made.

export { pct };

export function formatValue(a: Pick<Answer, 'statistic'>, x: number, lang: Lang = 'en'): string {
  return formatStat(a.statistic, x, lang);
}

export function intervalText(a: Answer, seeds: number, lang: Lang = 'en'): string {
  if (!a.interval) return lang === 'fr' ? 'sans intervalle' : 'no interval';
  const [lo, hi] = a.interval.map((x) => formatValue(a, x, lang));
  const how = methodText(a.intervalKind, seeds, lang);
  return lang === 'fr' ? `IC à 95${NNBSP}% ${lo}–${hi} (${how})` : `95 % CI ${lo}–${hi} (${how})`;
}
