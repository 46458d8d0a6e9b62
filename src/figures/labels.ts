import type { Result } from '../results/schema.ts';
import { statisticOf, storedStat } from '../analysis/catalogue.ts';
import { meanOverSeeds } from '../stats/seeds.ts';
import { fixed, type Lang, percent } from '../i18n/index.ts';
import { layerName } from '../i18n/layers.ts';
import { nameOf } from '../util/format.ts';

export type { Lang } from '../i18n/index.ts';
export { layerName } from '../i18n/layers.ts';

/** The English or the French text: each figure's sentences are written side by side. */
export const say = (lang: Lang, en: string, fr: string): string => (lang === 'fr' ? fr : en);

/** A number with fixed decimals, in a language ("0.98" / "0,98"). */
export const dec = (x: number, digits: number, lang: Lang): string => fixed(x, digits, lang);

/** A share as a percentage, in a language ("98.0 %" / "98,0 %"). */
export const pctIn = (x: number, lang: Lang, digits = 1): string => percent(x, lang, digits);

/** A layer as a figure's caption names it. */
export const layerIn = (name: string, lang: Lang): string => layerName(name, lang);

/** How a class is shown: its dataset name (e.g. "Fashion-MNIST" for -1), else the digit. */
export function className(r: Result, label: number): string {
  return nameOf(r.dataset.names, label);
}

/** Trained classes, then probes, in the order the experiment lists them. */
export function allLabels(r: Result): number[] {
  return [...r.dataset.classes, ...r.dataset.probes];
}

/** " (seed N)" when a figure shows one of several seeds' models, else nothing. */
export function seedNote(r: Result, lang: Lang = 'en'): string {
  if (r.runs.length <= 1) return '';
  return say(lang, ` (seed ${r.runs[0].seed}, the first of ${r.runs.length})`, ` (graine ${r.runs[0].seed}, la première de ${r.runs.length})`);
}

/** How the spread across seeds is described in a caption. */
export function intervalNote(r: Result, lang: Lang = 'en'): string {
  return r.runs.length > 1
    ? say(
        lang,
        `Lines are means over ${r.runs.length} seeds, bands and bars their 95 % intervals (jackknife over seeds, on a scale that keeps them inside the statistic's bounds; over inputs where every seed shares the layer), dots the seeds`,
        `Les lignes sont les moyennes sur ${r.runs.length} graines, les bandes et les barres leurs intervalles à 95\u202F% (jackknife sur les graines, sur une échelle qui les garde dans les bornes de la statistique${'\u202F'}; sur les entrées là où toutes les graines partagent la couche), les points les graines`,
      )
    : say(
        lang,
        'One seed: bands and bars are 95 % intervals over inputs where the statistic has one',
        'Une seule graine\u00A0: les bandes et les barres sont des intervalles à 95\u202F% sur les entrées, là où la statistique en a un',
      );
}

/** A stored statistic as a figure row: its mean, and its interval's ends (the mean itself where it has none). */
export function storedRow(
  r: Result,
  id: string,
  where: { layer?: string | null; probe?: number | null; class?: number | null },
): { mean: number; low: number; high: number; method: string } | null {
  const e = storedStat(r, id, where);
  if (!e) return null;
  const [low, high] = e.value.interval ?? [e.value.mean, e.value.mean];
  return { mean: e.value.mean, low, high, method: e.value.method };
}

/** Per-seed values of a catalogue statistic not stored per key (e.g. one class pair), summarised the same way. */
export function across(values: number[], statistic: string): { mean: number; low: number; high: number } {
  const { value, interval } = meanOverSeeds(values, statisticOf(statistic).bounds);
  const [low, high] = interval ?? [value, value];
  return { mean: value, low, high };
}

export { pct } from '../util/format.ts';

/**
 * Per-class values in a caption: each class's, in the classes' order, up to
 * three classes ("12/15/9"); past that, their range ("from 43 to 46"), which a
 * reader can take in (the figure's CSV holds each one).
 */
export function perClass(values: string[] | number[], format: (v: number) => string = String, lang: Lang = 'en'): string {
  const nums = (values as (string | number)[]).map(Number);
  if (nums.length <= 3) return nums.map(format).join('/');
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  return lo === hi
    ? say(lang, `${format(lo)} for every class`, `${format(lo)} pour chaque classe`)
    : say(lang, `${format(lo)} to ${format(hi)}`, `de ${format(lo)} à ${format(hi)}`);
}
