import { seededRandom, shuffle } from '../util/random.ts';
import { type Block, type Gemm, sharedGemm, toFloat64 } from './gemm.ts';

/**
 * The rows (n × d) in the float64 kernel once, for the many regroupings a
 * permutation test or a bootstrap makes: per-group sums there (each adds
 * its rows in the same order as a plain loop, two columns at a time).
 */
class GroupedRows {
  // One test or bootstrap at a time: the module's own instance, emptied.
  private readonly kernel: Gemm = sharedGemm('between.ts');
  private readonly x: Block;
  private readonly rows: Block;
  private readonly groups: Block;
  private readonly sums: Block;
  private readonly rowView: Int32Array;
  private readonly groupView: Int32Array;
  private readonly sumView: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly nGroups: number;

  constructor(x: ArrayLike<number>, n: number, d: number, nGroups: number) {
    this.n = n;
    this.d = d;
    this.nGroups = nGroups;
    this.x = this.kernel.block(n * d, toFloat64(x, n * d));
    this.rows = this.kernel.intBlock(n);
    this.groups = this.kernel.intBlock(n);
    this.sums = this.kernel.block(nGroups * d);
    // Views made after the last allocation stay valid: the memory no longer grows.
    this.rowView = this.kernel.ints(this.rows);
    this.groupView = this.kernel.ints(this.groups);
    this.sumView = this.kernel.view(this.sums);
  }

  /** Per-group sums (nGroups × d) of the rows `rows` (all, in order, when null) labelled `groups`; valid until the next call. */
  groupSums(groups: ArrayLike<number>, rows: ArrayLike<number> | null): Float64Array {
    const count = this.load(groups, rows);
    this.kernel.groupSums(this.x, this.d, this.rows, count, this.groups, this.nGroups, this.sums);
    return this.sumView;
  }

  /** Σ ‖x_i − means[g_i]‖² over the rows of the last `groupSums`, with `means` (nGroups × d) written into its sums. */
  withinSquares(rows: ArrayLike<number> | null): number {
    return this.kernel.withinSquares(this.x, this.d, this.rows, rows ? rows.length : this.n, this.groups, this.sums);
  }

  private load(groups: ArrayLike<number>, rows: ArrayLike<number> | null): number {
    for (let i = 0; i < this.n; i++) this.groupView[i] = groups[i];
    if (rows) for (let r = 0; r < rows.length; r++) this.rowView[r] = rows[r];
    else for (let i = 0; i < this.n; i++) this.rowView[i] = i;
    return rows ? rows.length : this.n;
  }
}

/** Column sums of all the rows, in row order (they do not depend on the grouping). */
function columnTotals(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) total[j] += x[i * d + j];
  return total;
}

/**
 * Between-class scatter of `n` rows (`d` wide) grouped by `groups` (0..G-1):
 * Σ_g n_g ‖mean_g − mean‖². For two groups it is n_a n_b / n · ‖mean_a − mean_b‖²,
 * a monotone function of the distance between the two class signatures.
 */
export function betweenScatter(x: ArrayLike<number>, n: number, d: number, groups: ArrayLike<number>, nGroups: number): number {
  return scatterOf(new GroupedRows(x, n, d, nGroups), columnTotals(x, n, d), groups);
}

function scatterOf(rows: GroupedRows, total: Float64Array, groups: ArrayLike<number>): number {
  const { n, d, nGroups } = rows;
  const sizes = new Float64Array(nGroups);
  for (let i = 0; i < n; i++) sizes[groups[i]]++;
  const sums = rows.groupSums(groups, null);
  let s = 0;
  for (let g = 0; g < nGroups; g++) {
    if (sizes[g] === 0) continue;
    for (let j = 0; j < d; j++) {
      const diff = sums[g * d + j] / sizes[g] - total[j] / n;
      s += sizes[g] * diff * diff;
    }
  }
  return s;
}

/**
 * Permutation test of "the groups' mean vectors differ": the labels are
 * shuffled `permutations` times (seeded) and the p-value is the share of
 * shuffles whose scatter reaches the observed one, (1 + #≥) / (1 + permutations).
 */
export function scatterPermutationTest(
  x: ArrayLike<number>,
  n: number,
  d: number,
  groups: ArrayLike<number>,
  nGroups: number,
  permutations: number,
  seed: number,
): { statistic: number; p: number } {
  const rows = new GroupedRows(x, n, d, nGroups);
  const total = columnTotals(x, n, d);
  const statistic = scatterOf(rows, total, groups);
  const shuffled = Int32Array.from(groups);
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffle(shuffled, random);
    if (scatterOf(rows, total, shuffled) >= statistic * (1 - 1e-12)) atLeast++;
  }
  return { statistic, p: (1 + atLeast) / (1 + permutations) };
}

/**
 * How far apart the groups' mean vectors are, in units of the spread within
 * them: the mean over pairs of groups of ‖μ_a − μ_b‖, divided by the root
 * mean squared distance of a row to its own group's mean. 0 when the means
 * coincide; about 2 for two unit-variance Gaussians with means 2 apart per
 * dimension, whatever the dimension. NaN with fewer than two groups present.
 */
export function meanDistanceRatio(x: ArrayLike<number>, n: number, d: number, groups: ArrayLike<number>, nGroups: number, rows?: ArrayLike<number>): number {
  return ratioOf(new GroupedRows(x, n, d, nGroups), groups, rows ?? null);
}

function ratioOf(grouped: GroupedRows, groups: ArrayLike<number>, rows: ArrayLike<number> | null): number {
  const { n, d, nGroups } = grouped;
  const sizes = new Float64Array(nGroups);
  const count = rows ? rows.length : n;
  for (let r = 0; r < count; r++) sizes[groups[rows ? rows[r] : r]]++;
  // The sums become the means in place: the within-group pass reads them there.
  const sums = grouped.groupSums(groups, rows);
  for (let g = 0; g < nGroups; g++) if (sizes[g] > 0) for (let j = 0; j < d; j++) sums[g * d + j] /= sizes[g];
  const spread = Math.sqrt(grouped.withinSquares(rows) / count);
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < nGroups; a++)
    for (let b = a + 1; b < nGroups; b++) {
      if (sizes[a] === 0 || sizes[b] === 0) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (sums[a * d + j] - sums[b * d + j]) ** 2;
      total += Math.sqrt(s);
      pairs++;
    }
  if (pairs === 0) return NaN;
  return spread > 0 ? total / pairs / spread : total > 0 ? Infinity : 0;
}

/**
 * `meanDistanceRatio` with a 95 % percentile-bootstrap interval over the rows,
 * resampled within each group (seeded), so that every replicate keeps the
 * groups' sizes.
 */
export function meanDistanceRatioInterval(
  x: ArrayLike<number>,
  n: number,
  d: number,
  groups: ArrayLike<number>,
  nGroups: number,
  replicates: number,
  seed: number,
): { value: number; interval: [number, number] } {
  const grouped = new GroupedRows(x, n, d, nGroups);
  const value = ratioOf(grouped, groups, null);
  const members: number[][] = Array.from({ length: nGroups }, () => []);
  for (let i = 0; i < n; i++) members[groups[i]].push(i);
  const random = seededRandom(seed);
  const rows = new Int32Array(n);
  const draws: number[] = [];
  for (let b = 0; b < replicates; b++) {
    let k = 0;
    for (const m of members) for (let t = 0; t < m.length; t++) rows[k++] = m[Math.floor(random() * m.length)];
    draws.push(ratioOf(grouped, groups, rows));
  }
  draws.sort((a, b) => a - b);
  const at = (q: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))];
  return { value, interval: [at(0.025), at(0.975)] };
}
