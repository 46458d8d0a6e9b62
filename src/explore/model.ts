import type { Flow } from '../figures/flow-layout.ts';
import type { InputsIndex, SeedInputs } from '../results/inputs.ts';
import type { Selection, ViewState } from './state.ts';

// The explorer's data: the per-input artifact of one experiment (index) and
// one seed's columns, with what the views ask of them. No DOM: tested in Node.

export const SPLITS = ['train', 'test', 'probe'] as const;
export type Split = (typeof SPLITS)[number];

export class Inputs {
  readonly index: InputsIndex;
  readonly n: number;
  readonly labels: Int32Array;
  readonly split: Uint8Array;
  /** Indices (into `index.layers`) of the hidden layers, the Sankey's columns. */
  readonly hidden: number[];
  readonly rowOf: Map<string, number>;
  readonly trained: Set<number>;

  constructor(index: InputsIndex) {
    this.index = index;
    this.n = index.ids.length;
    this.labels = Int32Array.from(index.labels);
    this.split = new Uint8Array(this.n);
    for (let r = 0; r < this.n; r++) this.split[r] = r < index.ranges.train[1] ? 0 : r < index.ranges.test[1] ? 1 : 2;
    this.hidden = index.layers.flatMap((l, i) => (l.kind === 'hidden' ? [i] : []));
    this.rowOf = new Map(index.ids.map((id, r) => [id, r]));
    this.trained = new Set(index.classes);
  }

  layerIndex(name: string): number {
    return this.index.layers.findIndex((l) => l.name === name);
  }

  splitOf(r: number): Split {
    return SPLITS[this.split[r]];
  }

  name(label: number): string {
    return this.index.names[String(label)] ?? String(label);
  }

  /** Every label, trained classes then probes. */
  get allLabels(): number[] {
    return [...this.index.classes, ...this.index.probes];
  }

  /** Whether input `r` was scored (held out): its index among scored rows, or -1. */
  scoredIndex(r: number): number {
    return r >= this.index.scored[0] ? r - this.index.scored[0] : -1;
  }
}

export interface Coordinates {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export class SeedView {
  readonly inputs: Inputs;
  readonly seed: SeedInputs;
  readonly predicted: Int32Array;
  private percentiles = new Map<string, Float64Array>();

  constructor(inputs: Inputs, seed: SeedInputs) {
    this.inputs = inputs;
    this.seed = seed;
    this.predicted = Int32Array.from(seed.prediction, (p) => inputs.index.classes[p]);
  }

  /** A trained class's input the model gets wrong (a probe is never wrong: it has no right answer). */
  wrong(r: number): boolean {
    const label = this.inputs.labels[r];
    return this.inputs.trained.has(label) && this.predicted[r] !== label;
  }

  probability(r: number, classIndex: number): number {
    return this.seed.probabilities[r * this.inputs.index.classes.length + classIndex];
  }

  /** Input `r`'s clusters at the hidden layers. */
  path(r: number): number[] {
    return this.inputs.hidden.map((l) => this.seed.clusters[l][r]);
  }

  coordinates(layer: number, proj: 'pca' | 'umap'): Coordinates | null {
    return proj === 'pca' ? this.seed.pca[layer] : this.seed.umap[layer];
  }

  /** The rows the filters let through, in row order. */
  visible(state: ViewState): Int32Array {
    const hide = new Set(state.hide);
    const { labels, split } = this.inputs;
    const out: number[] = [];
    for (let r = 0; r < this.inputs.n; r++) {
      const label = labels[r];
      if (hide.has(label)) continue;
      if (state.probesOnly && split[r] !== 2) continue;
      if (state.wrongOnly && !this.wrong(r)) continue;
      if (state.split === 'train' && split[r] !== 0) continue;
      if (state.split === 'held-out' && split[r] === 0) continue;
      out.push(r);
    }
    return Int32Array.from(out);
  }

  /** The flows of `rows` between consecutive hidden layers, as the paths-flow figure counts them. */
  flows(rows: ArrayLike<number>): Flow[] {
    const hidden = this.inputs.hidden;
    const labels = this.inputs.allLabels;
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const k = Math.max(1, ...this.inputs.index.layers.map((l) => l.k));
    // One number per (layer, from, to, label): a flat count, no string keys.
    const L = labels.length;
    const counts = new Map<number, number>();
    for (let h = 0; h + 1 < hidden.length; h++) {
      const a = this.seed.clusters[hidden[h]];
      const b = this.seed.clusters[hidden[h + 1]];
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const key = ((h * k + a[r]) * k + b[r]) * L + labelIndex.get(this.inputs.labels[r])!;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return [...counts].map(([key, count]) => {
      const label = labels[key % L];
      const rest = Math.floor(key / L);
      return { layer: Math.floor(rest / (k * k)), from: Math.floor(rest / k) % k, to: rest % k, label, count };
    });
  }

  /** Members of each cluster of the only hidden layer (a network with one hidden layer has no flows). */
  clusterSizes(rows: ArrayLike<number>): Map<number, number> {
    const out = new Map<number, number>();
    const l = this.inputs.hidden[0];
    if (l === undefined) return out;
    for (let i = 0; i < rows.length; i++) out.set(this.seed.clusters[l][rows[i]], (out.get(this.seed.clusters[l][rows[i]]) ?? 0) + 1);
    return out;
  }

  /** The rows of `rows` a selection holds. */
  select(sel: Selection | null, rows: ArrayLike<number>): Int32Array {
    if (!sel) return new Int32Array(0);
    const layer = this.inputs.layerIndex(sel.layer);
    if (layer < 0) return new Int32Array(0);
    const out: number[] = [];
    if (sel.kind === 'node') {
      const c = this.seed.clusters[layer];
      for (let i = 0; i < rows.length; i++) if (c[rows[i]] === sel.cluster) out.push(rows[i]);
    } else if (sel.kind === 'band') {
      const h = this.inputs.hidden.indexOf(layer);
      const next = this.inputs.hidden[h + 1];
      if (h < 0 || next === undefined) return new Int32Array(0);
      const a = this.seed.clusters[layer];
      const b = this.seed.clusters[next];
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (a[r] === sel.from && b[r] === sel.to && this.inputs.labels[r] === sel.label) out.push(r);
      }
    } else {
      const xy = this.coordinates(layer, sel.proj);
      if (!xy) return new Int32Array(0);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        if (xy.x[r] >= sel.x0 && xy.x[r] <= sel.x1 && xy.y[r] >= sel.y0 && xy.y[r] <= sel.y1) out.push(r);
      }
    }
    return Int32Array.from(out);
  }

  /** The most common path of a label's inputs (all splits, as the result's byClass counts them), and how many take it. */
  topPath(label: number): { path: number[]; count: number; total: number } | null {
    if (!this.tops.has(label)) this.tops.set(label, this.findTopPath(label));
    return this.tops.get(label)!;
  }

  private tops = new Map<number, { path: number[]; count: number; total: number } | null>();

  private findTopPath(label: number): { path: number[]; count: number; total: number } | null {
    const counts = new Map<string, number>();
    let total = 0;
    for (let r = 0; r < this.inputs.n; r++) {
      if (this.inputs.labels[r] !== label) continue;
      total++;
      const key = this.path(r).join('-');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestN = 0;
    for (const [key, n] of counts) if (n > bestN || (n === bestN && best !== null && key.localeCompare(best) < 0)) [best, bestN] = [key, n];
    return best === null ? null : { path: best === '' ? [] : best.split('-').map(Number), count: bestN, total };
  }

  /** A scored input's value of score `s` at layer `l`, or null. */
  score(r: number, l: number, s: number): number | null {
    const q = this.inputs.scoredIndex(r);
    return q < 0 ? null : (this.seed.scores[l][s][q] ?? null);
  }

  /**
   * Share of the trained classes' test inputs scoring below `value` (score
   * `s`, layer `l`): where an input stands among inputs like those the model
   * was trained on; ties count half.
   */
  percentile(l: number, s: number, value: number): number {
    const key = `${l} ${s}`;
    let sorted = this.percentiles.get(key);
    if (!sorted) {
      const { index } = this.inputs;
      const values: number[] = [];
      for (let r = index.ranges.test[0]; r < index.ranges.test[1]; r++) {
        const v = this.score(r, l, s);
        if (v !== null && this.inputs.trained.has(this.inputs.labels[r])) values.push(v);
      }
      sorted = Float64Array.from(values).sort();
      this.percentiles.set(key, sorted);
    }
    if (sorted.length === 0) return NaN;
    const below = lowerBound(sorted, value);
    let upper = below;
    while (upper < sorted.length && sorted[upper] === value) upper++;
    return (below + (upper - below) / 2) / sorted.length;
  }

  /** Input `r`'s nearest training inputs at layer `l` (rows, nearest first), or none for a training input. */
  neighbours(r: number, l: number): number[] {
    const q = this.inputs.scoredIndex(r);
    const k = this.inputs.index.neighbours;
    return q < 0 ? [] : this.seed.neighbours[l].slice(q * k, (q + 1) * k);
  }
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
