import { describe, expect, it } from 'vitest';
import { coveringSet } from '../src/analysis/classes.ts';
import { seededRandom } from '../src/util/random.ts';

/** The definition: every (value, index) pair sorted, largest first, ties by index; summed in that order. */
function reference(contribution: ArrayLike<number>, coverage: number): { neurons: number[]; share: number } {
  const order = Array.from(contribution, (v, j) => [v, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const total = order.reduce((s, [v]) => s + v, 0);
  if (total <= 0) return { neurons: [], share: 0 };
  const neurons: number[] = [];
  let covered = 0;
  for (const [v, j] of order) {
    if (covered >= coverage * total) break;
    neurons.push(j);
    covered += v;
  }
  return { neurons, share: covered / total };
}

describe('coveringSet', () => {
  it('takes the largest contributions first until they cover the share asked', () => {
    expect(coveringSet([1, 5, 2, 2], 0.6)).toEqual({ neurons: [1, 2], share: 0.7 });
    expect(coveringSet([0, 0], 0.5)).toEqual({ neurons: [], share: 0 });
  });

  it('is the definition, bit for bit, ties and zeros included', () => {
    const random = seededRandom(3);
    for (let t = 0; t < 500; t++) {
      const d = 1 + Math.floor(random() * 300);
      // Many zeros (dead units) and many equal values, where the order of ties decides.
      const c = Float64Array.from({ length: d }, () => (random() < 0.3 ? 0 : random() < 0.3 ? 0.5 : random()));
      const coverage = [0.5, 0.8, 1][t % 3];
      expect(coveringSet(c, coverage)).toEqual(reference(c, coverage));
    }
  });
});
