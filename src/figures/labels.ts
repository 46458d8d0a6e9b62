import type { Result } from '../results/schema.ts';
import { meanInterval } from '../stats/summary.ts';
import { nameOf } from '../util/format.ts';

/** How a class is shown: its dataset name (e.g. "Fashion-MNIST" for -1), else the digit. */
export function className(r: Result, label: number): string {
  return nameOf(r.dataset.names, label);
}

/** Trained classes, then probes, in the order the experiment lists them. */
export function allLabels(r: Result): number[] {
  return [...r.dataset.classes, ...r.dataset.probes];
}

/** " (seed N)" when a figure shows one of several seeds' models, else nothing. */
export function seedNote(r: Result): string {
  return r.runs.length > 1 ? ` (seed ${r.runs[0].seed}, the first of ${r.runs.length})` : '';
}

/** How the spread across seeds is described in a caption. */
export function intervalNote(r: Result): string {
  return r.runs.length > 1 ? `Lines are means over ${r.runs.length} seeds, bands and bars their 95 % t-intervals, dots the seeds` : 'One seed: no interval across seeds';
}

/** Mean and 95 % t-interval across seeds ([v, v] for one seed: no spread to show). */
export function across(values: number[]): { mean: number; low: number; high: number } {
  const { mean, interval } = meanInterval(values);
  return { mean, low: interval[0], high: interval[1] };
}

export { pct } from '../util/format.ts';
