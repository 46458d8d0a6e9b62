import { formatStat, methodText } from '../analysis/catalogue.ts';
import type { Answer } from '../results/schema.ts';
import { pct } from '../util/format.ts';

// How an answer's number reads on the site: formatted by its catalogue
// statistic, as its statement prints it, and its interval says how it was made.

export { pct };

export function formatValue(a: Pick<Answer, 'statistic'>, x: number): string {
  return formatStat(a.statistic, x);
}

export function intervalText(a: Answer, seeds: number): string {
  if (!a.interval) return 'no interval';
  const [lo, hi] = a.interval.map((x) => formatValue(a, x));
  return `95 % CI ${lo}–${hi} (${methodText(a.intervalKind, seeds)})`;
}
