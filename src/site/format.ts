import type { Answer } from '../results/schema.ts';
import { pct } from '../util/format.ts';

// How numbers read on the site: shares as percentages, AUCs and other
// unitless scores to three decimals, and intervals say what they are.

export { pct };

const isShare = (unit: string) => !/AUC|distance|silhouette|CKA/i.test(unit);

export function formatValue(a: Pick<Answer, 'unit'>, x: number): string {
  return isShare(a.unit) ? pct(x) : x.toFixed(3);
}

export function intervalText(a: Answer, seeds: number): string {
  const [lo, hi] = a.interval.map((x) => formatValue(a, x));
  const kind = a.intervalKind === 'seeds' ? `over ${seeds} seeds` : a.intervalKind === 'wilson' ? 'Wilson, over inputs' : 'Hanley–McNeil, over inputs';
  return `95 % CI ${lo}–${hi} (${kind})`;
}
