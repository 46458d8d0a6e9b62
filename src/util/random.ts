// A small seeded generator (mulberry32): every random choice in the pipeline
// goes through one of these, so the same seed gives the same result.

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * At most `n` of `items`, a seeded choice: all of them, in their order, when
 * there are no more than `n`; else the first `n` of a seeded shuffle.
 */
export function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (items.length <= n) return [...items];
  return (shuffle([...items], seededRandom(seed)) as T[]).slice(0, n);
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(items: T[] | Int32Array, random: Random): typeof items {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
