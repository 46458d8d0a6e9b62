import type { Fact, Result } from '../results/schema.ts';
import { count, fixed, type Lang, NNBSP } from '../i18n/index.ts';
import { layerName } from '../i18n/layers.ts';
import { formatStat, methodText, statSource, storedStat } from './catalogue.ts';

// The builder every answer's sentence goes through (answers.ts): each number
// enters as a stored value, is formatted by the catalogue for the sentence's
// language, and is recorded as a fact with where it is stored, so that a test
// can recompute it.

/** What the answers read: the result without its answers. */
export type Draft = Pick<Result, 'spec' | 'dataset' | 'runs' | 'statistics'>;

export type Where = { layer?: string | null; probe?: number | null; class?: number | null };

/** A statement under construction: each number goes in through it, and is recorded as a fact. */
export class Facts {
  readonly list: Fact[] = [];
  private readonly r: Draft;
  readonly lang: Lang;
  constructor(r: Draft, lang: Lang) {
    this.r = r;
    this.lang = lang;
  }

  /** A stored statistic's estimate (or an end of its interval), as printed. */
  stat(id: string, where: Where, field: 'mean' | 'lo' | 'hi' = 'mean'): string {
    const e = storedStat(this.r, id, where);
    if (!e) throw new Error(`answers: no stored ${id} at ${JSON.stringify(where)}`);
    const value = field === 'mean' ? e.value.mean : e.value.interval![field === 'lo' ? 0 : 1];
    return this.add(formatStat(id, value, this.lang), value, statSource(id, where, field));
  }

  /** "95 % CI lo–hi, how" for a stored statistic, or says it has none. */
  ci(id: string, where: Where): string {
    const e = storedStat(this.r, id, where)!;
    if (!e.value.interval)
      return this.say(
        'no interval: one sample, and no interval over inputs for this statistic',
        'pas d’intervalle : un seul échantillon, et aucun intervalle sur les entrées pour cette statistique',
      );
    // The number of seeds an interval is over is printed, so it is a fact like any other.
    const n = this.r.runs.length;
    const how =
      e.value.method === 'seeds'
        ? this.say(
            () => `over ${this.num(n, 'runs.length')} seeds`,
            () => `sur ${this.num(n, 'runs.length')} graines`,
          )
        : methodText(e.value.method, n, this.lang);
    return this.say(
      `95 % CI ${this.stat(id, where, 'lo')}–${this.stat(id, where, 'hi')}, ${how}`,
      `IC à 95${NNBSP}% ${this.stat(id, where, 'lo')}–${this.stat(id, where, 'hi')}, ${how}`,
    );
  }

  /** Any other stored number, with its source, printed with `digits` decimals (a count when omitted). */
  num(value: number, source: string, digits?: number): string {
    return this.add(digits === undefined ? count(value, this.lang) : fixed(value, digits, this.lang), value, source);
  }

  /** A number already formatted for this language. */
  text(value: number, text: string, source: string): string {
    return this.add(text, value, source);
  }

  /** The English or the French template: only the one of this statement's language is built. */
  say(en: string | (() => string), fr: string | (() => string)): string {
    const t = this.lang === 'fr' ? fr : en;
    return typeof t === 'function' ? t() : t;
  }

  /** A layer's name as this language shows it. */
  layer(name: string): string {
    return layerName(name, this.lang, true);
  }

  private add(text: string, value: number, source: string): string {
    this.list.push({ text, value, source });
    return text;
  }
}
