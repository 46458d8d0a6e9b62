import { readFileSync } from 'node:fs';

// k-means' dot products in WebAssembly SIMD (dots.c): the rows are copied in
// once per fit, the centres each time they move, and results are read from a
// view of the kernel's memory.

export { DOTS_VERSION } from '../stats/kernel-versions.ts';

let compiled: WebAssembly.Module | null = null;

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  dots(x: number, count: number, width: number, c: number, k: number, out: number): void;
  sparse_dots(start: number, index: number, value: number, count: number, ct: number, k: number, out: number): void;
  knn_screen(dots: number, n: number, count: number, tn: number, qn: number, slack: number, k: number, upper: number, pairs: number): number;
  label_sums(x: number, n: number, width: number, labels: number, k: number, sums: number): void;
  inertias(x: number, n: number, width: number, k: number, centres: number, labels: number, R: number, out: number): void;
  pair_distances(x: number, width: number, q: number, count: number, pairs: number, m: number, out: number): void;
  nearest_direct(x: number, n: number, width: number, q: number, count: number, k: number, idx: number, dist: number, found: number): void;
  hamerly_assign(
    x: number,
    n: number,
    width: number,
    c: number,
    k: number,
    norms: number,
    centreNorms: number,
    half: number,
    labels: number,
    upper: number,
    lower: number,
    counts: number,
    sums: number,
    products: number,
  ): number;
}

/**
 * One k-means run's state in the kernel's memory (lloyd.ts's State, read
 * and written through these views by lloyd.ts and by `hamerlyAssign`).
 */
export interface LloydState {
  norms: Float64Array;
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  centreNorms: Float64Array;
  half: Float64Array;
  counts: Int32Array;
  sums: Float64Array;
}

/** Lloyd's buffers (lloyd.ts): every run's labels and centres and the runs' inertias, and the state of the run under way. */
interface Runs {
  count: number;
  labels: number;
  labelsView: Int32Array;
  centres: number;
  centresView: Float64Array;
  out: number;
  outView: Float64Array;
  state: Record<keyof LloydState, number>;
  views: LloydState;
}

/**
 * The k-NN search's buffers (src/stats/knn.ts): the rows' squared norms,
 * the queries (float64) and theirs, each query's k bounds, the pairs kept
 * and their distances, each query's neighbours.
 */
interface Screen {
  k: number;
  tn: number;
  q: number;
  qView: Float64Array;
  qn: number;
  qnView: Float64Array;
  upper: number;
  pairs: number;
  pairsView: Int32Array;
  pairDist: number;
  pairDistView: Float64Array;
  idx: number;
  idxView: Int32Array;
  dist: number;
  distView: Float64Array;
  found: number;
  foundView: Int32Array;
}

/** The rows again as CSR (row starts, columns, values) and the centres transposed, 32 lanes wide, for `sparseDots`. */
interface Sparse {
  start: number;
  index: number;
  value: number;
  ct: number;
  ctView: Float32Array;
}

/** Centres `sparseDots` takes at once: its eight registers of four lanes. */
const SPARSE_LANES = 32;

export class DotKernel {
  private readonly k: Exports;
  private readonly width: number;
  private readonly x: number;
  private readonly centres: number;
  private readonly out: number;
  private readonly maxCentres: number;
  private readonly centreView: Float32Array;
  private readonly outView: Float32Array;
  private readonly sparse: Sparse | null = null;
  private readonly n: number;
  private readonly screenBuffers: Screen | null = null;
  private readonly runs: Runs | null = null;

  /**
   * `x`: `n × width` rows; at most `maxCentres` centres at a time. With
   * `sparse`, the rows are also kept by their non-zeros, for `sparseDots`
   * (at most 32 centres). With `screen`, room for `screen`'s buffers: the
   * k of the k-NN search, and the rows' squared norms (float64). With
   * `runs`, room for that many k-means runs' labels and centres
   * (`labelSums`, `inertias`).
   */
  constructor(x: Float32Array, width: number, maxCentres: number, sparse = false, screen?: { k: number; norms: Float64Array }, runs = 0) {
    compiled ??= new WebAssembly.Module(readFileSync(new URL('./dots.wasm', import.meta.url)));
    this.k = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
    const n = x.length / width;
    const at = (bytes: number) => {
      const p = this.k.alloc(Math.max(16, bytes));
      if (!p) throw new Error(`k-means: the dot-product kernel could not allocate ${bytes} bytes (wasm32 holds at most 4 GiB)`);
      return p;
    };
    this.width = width;
    this.maxCentres = maxCentres;
    this.n = n;
    this.x = at(x.length * 4);
    this.centres = at(maxCentres * width * 4);
    this.out = at(n * maxCentres * 4);
    let csr: { start: Int32Array; index: Int32Array; value: Float32Array; at: Omit<Sparse, 'ctView'> } | null = null;
    if (sparse) {
      if (maxCentres > SPARSE_LANES) throw new Error(`sparse dot products take at most ${SPARSE_LANES} centres, not ${maxCentres}`);
      const start = new Int32Array(n + 1);
      for (let r = 0; r < n; r++) {
        let nz = 0;
        for (let d = r * width; d < (r + 1) * width; d++) if (x[d] !== 0) nz++;
        start[r + 1] = start[r] + nz;
      }
      const index = new Int32Array(start[n]);
      const value = new Float32Array(start[n]);
      for (let r = 0, k = 0; r < n; r++)
        for (let j = 0, q = r * width; j < width; j++, q++)
          if (x[q] !== 0) {
            index[k] = j;
            value[k++] = x[q];
          }
      csr = {
        start,
        index,
        value,
        at: { start: at(start.length * 4), index: at(index.length * 4), value: at(value.length * 4), ct: at(width * SPARSE_LANES * 4) },
      };
    }
    const screenAt = screen && {
      tn: at(n * 8),
      q: at(maxCentres * width * 8),
      qn: at(maxCentres * 8),
      upper: at(maxCentres * screen.k * 8),
      pairs: at(n * maxCentres * 4),
      pairDist: at(n * maxCentres * 8),
      idx: at(maxCentres * screen.k * 4),
      dist: at(maxCentres * screen.k * 8),
      found: at(maxCentres * 4),
    };
    const runsAt = runs > 0 && {
      labels: at(runs * n * 4),
      centres: at(runs * maxCentres * width * 8),
      out: at(runs * 8),
      state: {
        norms: at(n * 8),
        labels: at(n * 4),
        upper: at(n * 8),
        lower: at(n * 8),
        centreNorms: at(maxCentres * 8),
        half: at(maxCentres * 8),
        counts: at(maxCentres * 4),
        sums: at(maxCentres * width * 8),
      },
    };
    // Views made after the last allocation stay valid: the memory no longer grows.
    new Float32Array(this.k.memory.buffer, this.x, x.length).set(x);
    if (csr) {
      const { buffer } = this.k.memory;
      new Int32Array(buffer, csr.at.start, csr.start.length).set(csr.start);
      new Int32Array(buffer, csr.at.index, csr.index.length).set(csr.index);
      new Float32Array(buffer, csr.at.value, csr.value.length).set(csr.value);
      this.sparse = { ...csr.at, ctView: new Float32Array(buffer, csr.at.ct, width * SPARSE_LANES) };
    }
    if (screen && screenAt) {
      const { buffer } = this.k.memory;
      new Float64Array(buffer, screenAt.tn, n).set(screen.norms);
      this.screenBuffers = {
        k: screen.k,
        ...screenAt,
        qView: new Float64Array(buffer, screenAt.q, maxCentres * width),
        qnView: new Float64Array(buffer, screenAt.qn, maxCentres),
        pairsView: new Int32Array(buffer, screenAt.pairs, n * maxCentres),
        pairDistView: new Float64Array(buffer, screenAt.pairDist, n * maxCentres),
        idxView: new Int32Array(buffer, screenAt.idx, maxCentres * screen.k),
        distView: new Float64Array(buffer, screenAt.dist, maxCentres * screen.k),
        foundView: new Int32Array(buffer, screenAt.found, maxCentres),
      };
    }
    if (runsAt) {
      const { buffer } = this.k.memory;
      this.runs = {
        count: runs,
        ...runsAt,
        labelsView: new Int32Array(buffer, runsAt.labels, runs * n),
        centresView: new Float64Array(buffer, runsAt.centres, runs * maxCentres * width),
        outView: new Float64Array(buffer, runsAt.out, runs),
        views: {
          norms: new Float64Array(buffer, runsAt.state.norms, n),
          labels: new Int32Array(buffer, runsAt.state.labels, n),
          upper: new Float64Array(buffer, runsAt.state.upper, n),
          lower: new Float64Array(buffer, runsAt.state.lower, n),
          centreNorms: new Float64Array(buffer, runsAt.state.centreNorms, maxCentres),
          half: new Float64Array(buffer, runsAt.state.half, maxCentres),
          counts: new Int32Array(buffer, runsAt.state.counts, maxCentres),
          sums: new Float64Array(buffer, runsAt.state.sums, maxCentres * width),
        },
      };
    }
    this.centreView = new Float32Array(this.k.memory.buffer, this.centres, maxCentres * width);
    this.outView = new Float32Array(this.k.memory.buffer, this.out, n * maxCentres);
  }

  /** Sets the centres, `k × width` (rounded to float32). */
  setCentres(c: ArrayLike<number>, k: number): void {
    if (k > this.maxCentres) throw new Error(`k-means: ${k} centres, the kernel was sized for ${this.maxCentres}`);
    for (let i = 0; i < k * this.width; i++) this.centreView[i] = c[i];
    const s = this.sparse;
    if (s) {
      // Transposed, and the lanes past k zeroed: an earlier call may have left centres there.
      s.ctView.fill(0);
      for (let j = 0; j < k; j++) for (let d = 0; d < this.width; d++) s.ctView[d * SPARSE_LANES + j] = this.centreView[j * this.width + d];
    }
  }

  /** As `dots(first, count, 0, k)`, by the rows' non-zeros (a kernel made with `sparse`). */
  sparseDots(first: number, count: number, k: number): Float32Array {
    const s = this.sparse;
    if (!s) throw new Error('sparseDots: the kernel was made without its sparse rows');
    this.k.sparse_dots(s.start + first * 4, s.index, s.value, count, s.ct, k, this.out);
    return this.outView;
  }

  /**
   * The k-NN screen (dots.c `knn_screen`) on the last `dots(0, n, 0, count)`
   * or `sparseDots(0, n, count)` of every row with `count` ≤ 32 queries
   * whose squared norms are `queryNorms`: the pairs that may hold one of a
   * query's k nearest rows, as t·count + b ascending, in a view valid until
   * the next call.
   */
  screen(count: number, queryNorms: ArrayLike<number>, slack: number): Int32Array {
    const s = this.screenBuffers;
    if (!s) throw new Error('screen: the kernel was made without its screen buffers');
    if (count > Math.min(32, this.maxCentres)) throw new Error(`screen: ${count} queries, at most ${Math.min(32, this.maxCentres)}`);
    for (let b = 0; b < count; b++) s.qnView[b] = queryNorms[b];
    const m = this.k.knn_screen(this.out, this.n, count, s.tn, s.qn, slack, s.k, s.upper, s.pairs);
    return s.pairsView.subarray(0, m);
  }

  /**
   * The exact squared distances of the first m pairs the last `screen`
   * kept, each pair's row against its query of `queries` (count × width,
   * float64; dots.c `pair_distances`), in a view valid until the next call.
   */
  pairDistances(queries: ArrayLike<number>, count: number, m: number): Float64Array {
    const s = this.searchBuffers(count);
    s.qView.set(queries.length > count * this.width ? (queries as Float64Array).subarray(0, count * this.width) : queries);
    this.k.pair_distances(this.x, this.width, s.q, count, s.pairs, m, s.pairDist);
    return s.pairDistView.subarray(0, m);
  }

  /**
   * Each of the `count` queries' k nearest rows by direct differences
   * (dots.c `nearest_direct`): indices and squared distances at b·k, and
   * how many were found, in views valid until the next call.
   */
  nearestDirect(queries: ArrayLike<number>, count: number): { idx: Int32Array; dist: Float64Array; found: Int32Array } {
    const s = this.searchBuffers(count);
    s.qView.set(queries.length > count * this.width ? (queries as Float64Array).subarray(0, count * this.width) : queries);
    this.k.nearest_direct(this.x, this.n, this.width, s.q, count, s.k, s.idx, s.dist, s.found);
    return { idx: s.idxView, dist: s.distView, found: s.foundView };
  }

  private searchBuffers(count: number): Screen {
    const s = this.screenBuffers;
    if (!s) throw new Error('k-NN search: the kernel was made without its buffers');
    if (count > this.maxCentres) throw new Error(`k-NN search: ${count} queries, at most ${this.maxCentres}`);
    return s;
  }

  /**
   * The state of a run with k centres, in the kernel's memory: views valid
   * for the kernel's life, shared by every run (a run copies out what it keeps).
   */
  lloydState(k: number): LloydState {
    const v = this.lloydRuns(1, k).views;
    return {
      ...v,
      centreNorms: v.centreNorms.subarray(0, k),
      half: v.half.subarray(0, k),
      counts: v.counts.subarray(0, k),
      sums: v.sums.subarray(0, k * this.width),
    };
  }

  /** The state's sums: per label, the rows added in row order (dots.c `label_sums`). */
  labelSums(k: number): void {
    const r = this.lloydRuns(1, k);
    this.k.label_sums(this.x, this.n, this.width, r.state.labels, k, r.state.sums);
  }

  /** One assignment step on the state, with the centres last set (dots.c `hamerly_assign`); returns how many rows moved. */
  hamerlyAssign(k: number): number {
    const { state: s } = this.lloydRuns(1, k);
    return this.k.hamerly_assign(
      this.x,
      this.n,
      this.width,
      this.centres,
      k,
      s.norms,
      s.centreNorms,
      s.half,
      s.labels,
      s.upper,
      s.lower,
      s.counts,
      s.sums,
      this.out,
    );
  }

  /** Each run's Σ ‖x_i − its centre‖² (dots.c `inertias`), runs given by their centres (k × width) and labels. */
  inertias(runs: { centres: Float64Array; labels: Int32Array }[], k: number): Float64Array {
    const r = this.lloydRuns(runs.length, k);
    runs.forEach((u, i) => {
      r.labelsView.set(u.labels, i * this.n);
      r.centresView.set(u.centres, i * k * this.width);
    });
    this.k.inertias(this.x, this.n, this.width, k, r.centres, r.labels, runs.length, r.out);
    return r.outView.slice(0, runs.length);
  }

  private lloydRuns(count: number, k: number): Runs {
    const r = this.runs;
    if (!r || count > r.count || k > this.maxCentres)
      throw new Error(`k-means: room for ${r?.count ?? 0} runs of ${this.maxCentres} centres, not ${count} of ${k}`);
    return r;
  }

  /**
   * Dot products of rows `first…first+count` with centres `from…from+k`, in
   * the first `count × k` values of the returned view (row-major), valid
   * until the next call. One view for every call: no allocation per row.
   */
  dots(first: number, count: number, from: number, k: number): Float32Array {
    this.k.dots(this.x + first * this.width * 4, count, this.width, this.centres + from * this.width * 4, k, this.out);
    return this.outView;
  }
}
