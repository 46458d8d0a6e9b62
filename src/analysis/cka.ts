import { linearCkaMatrix } from '../stats/cka.ts';
import type { Activations } from '../activations/index.ts';

/** Linear CKA between every pair of layers of one model, over the trained classes' test inputs. */
export function ckaMatrix(acts: Activations, rows: number[], seed: number): number[][] {
  const mats = acts.layers.map((l) => {
    const out = new Float32Array(rows.length * l.units);
    rows.forEach((r, i) => out.set(l.values.subarray(r * l.units, (r + 1) * l.units), i * l.units));
    return { x: out, d: l.units };
  });
  const m = linearCkaMatrix(mats, rows.length, seed);
  return m.map((row) => row.map((v) => Math.round(v * 1e4) / 1e4));
}
