import { linearCkaMatrix } from '../stats/cka.ts';
import type { Activations } from '../activations/index.ts';

/**
 * The raw input's centred Gram matrix over given rows, by the input values
 * it was computed from: every seed's model sees the same input, so it is
 * computed once per experiment, not once per seed.
 */
const inputGrams = new WeakMap<ArrayLike<number>, { key: string; gram: { g: Float64Array; norm: number } }>();

/** Linear CKA between every pair of layers of one model, over the trained classes' test inputs. */
export function ckaMatrix(acts: Activations, rows: number[], seed: number): number[][] {
  const mats = acts.layers.map((l) => {
    const out = new Float32Array(rows.length * l.units);
    rows.forEach((r, i) => out.set(l.values.subarray(r * l.units, (r + 1) * l.units), i * l.units));
    return { x: out, d: l.units };
  });
  const input = acts.layers.findIndex((l) => l.kind === 'input');
  const key = `${seed} ${rows.join(',')}`;
  const stored = input >= 0 ? inputGrams.get(acts.layers[input].values) : undefined;
  const known = new Map(stored?.key === key ? [[input, stored.gram]] : []);
  const m = linearCkaMatrix(mats, rows.length, seed, undefined, known);
  const gram = known.get(input);
  if (gram) inputGrams.set(acts.layers[input].values, { key, gram });
  return m.map((row) => row.map((v) => Math.round(v * 1e4) / 1e4));
}
