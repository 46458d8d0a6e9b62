import { tQuantile } from './summary.ts';

/**
 * Where a statistic lives: [lo, hi] for a bounded one (a share, an AUC, an
 * index), [lo, null] for one bounded below only (a distance, a ratio), or
 * null for an unbounded one.
 */
export type Bounds = [number, number | null] | null;

/**
 * An estimate over seeds and its 95 % interval by the jackknife over seeds:
 * `estimate(keep)` recomputes the statistic from the seeds kept (a mean, or a
 * mean over pairs of seeds), each seed is left out in turn, and the interval
 * is t_{n−1} standard errors either side on a scale where the bounds are
 * infinitely far (logit for [lo, hi], log for [lo, ∞)), mapped back: it can
 * never leave the bounds. For a plain mean on an unbounded scale this is
 * exactly Student's t-interval. Null when the seeds cannot give one (fewer
 * than two, or a statistic of pairs with fewer than three seeds).
 */
export function jackknifeOverSeeds(
  estimate: (keep: boolean[]) => number,
  seeds: number,
  bounds: Bounds,
  level = 0.95,
): { value: number; interval: [number, number] | null } {
  const all = new Array<boolean>(seeds).fill(true);
  const value = estimate(all);
  if (seeds < 2) return { value, interval: null };
  const { to, from } = scaleOf(bounds);
  const leftOut: number[] = [];
  for (let i = 0; i < seeds; i++) {
    const keep = all.map((_, j) => j !== i);
    const v = estimate(keep);
    if (!Number.isFinite(v)) return { value, interval: null };
    leftOut.push(to(v));
  }
  const centre = leftOut.reduce((a, b) => a + b, 0) / seeds;
  const se = Math.sqrt(((seeds - 1) / seeds) * leftOut.reduce((s, v) => s + (v - centre) ** 2, 0));
  const half = tQuantile(1 - (1 - level) / 2, seeds - 1) * se;
  const t = to(value);
  return { value, interval: [from(t - half), from(t + half)] };
}

/** Mean over seeds of per-seed values, with the jackknife interval above (Student's t on the bounded scale). */
export function meanOverSeeds(values: number[], bounds: Bounds): { value: number; interval: [number, number] | null } {
  return jackknifeOverSeeds((keep) => mean(values.filter((_, i) => keep[i])), values.length, bounds);
}

/**
 * Mean over the pairs of seeds (a < b) of `pairValues[k]`, listed in the
 * order (0,1), (0,2) … (1,2) …, with the jackknife over seeds: pairs share
 * seeds, so they are not independent and the pairs are never resampled.
 */
export function meanOverSeedPairs(pairValues: number[], seeds: number, bounds: Bounds): { value: number; interval: [number, number] | null } {
  const pairs: [number, number][] = [];
  for (let a = 0; a < seeds; a++) for (let b = a + 1; b < seeds; b++) pairs.push([a, b]);
  if (pairs.length !== pairValues.length) throw new Error(`meanOverSeedPairs: ${pairValues.length} values for ${pairs.length} pairs of ${seeds} seeds`);
  const estimate = (keep: boolean[]) => mean(pairValues.filter((_, k) => keep[pairs[k][0]] && keep[pairs[k][1]]));
  if (seeds < 3) return { value: estimate(new Array(seeds).fill(true)), interval: null };
  return jackknifeOverSeeds(estimate, seeds, bounds);
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** A 0-to-1 share at exactly 0 or 1 would sit at ±∞ on the logit scale: held this close inside. */
const EDGE = 1e-6;

/** The variance-stabilising scale for the bounds, and back. */
export function scaleOf(bounds: Bounds): { to: (v: number) => number; from: (t: number) => number } {
  if (!bounds) return { to: (v) => v, from: (t) => t };
  const [lo, hi] = bounds;
  if (hi === null) {
    const floor = EDGE;
    return { to: (v) => Math.log(Math.max(v - lo, floor)), from: (t) => lo + Math.exp(t) };
  }
  const w = hi - lo;
  return {
    to: (v) => {
      const u = Math.min(1 - EDGE, Math.max(EDGE, (v - lo) / w));
      return Math.log(u / (1 - u));
    },
    from: (t) => lo + w / (1 + Math.exp(-t)),
  };
}
