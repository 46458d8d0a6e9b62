import type { Answer } from '../results/schema.ts';

// Where an answer card sends a reader: the figure that draws its headline
// number (by the catalogue statistic the number is), else the table that
// lists it, else the figure the analysis named.

const DRAWN_BY: Record<string, string> = {
  probeAccuracy: 'separation',
  knnAccuracy: 'separation',
  nmiAtClasses: 'separation',
  purity: 'purity',
  predictedShare: 'probe-predictions',
};

/** `{ anchor }` of the figure or table on the experiment page that shows the answer's number. */
export function answerTarget(a: Answer, figures: string[]): { anchor: string; figure?: string } {
  const byStat = DRAWN_BY[a.statistic] ?? (a.statistic.startsWith('auc:') ? 'ood-auc' : undefined);
  if (byStat && figures.includes(byStat)) return { anchor: `fig-${byStat}`, figure: byStat };
  // The share of inputs on their own class's path is listed, path by path, in the trained classes' table.
  if (a.statistic === 'ownPathShare') return { anchor: 'paths-trained' };
  return figures.includes(a.figure) ? { anchor: `fig-${a.figure}`, figure: a.figure } : { anchor: a.question };
}
