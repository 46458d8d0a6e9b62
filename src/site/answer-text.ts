import type { Lang } from '../i18n/index.ts';
import type { Answer } from '../results/schema.ts';

/** An answer's statement and unit as written in a language (from the same stored facts). */
export function answerIn(a: Answer, lang: Lang): { statement: string; unit: string } {
  return lang === 'en' ? { statement: a.statement, unit: a.unit } : a.translations[lang];
}
