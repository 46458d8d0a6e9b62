// The alluvial layout of the paths-flow figure, as plain coordinates: one
// column of clusters per hidden layer, one band per (class, cluster →
// cluster) flow, its width the number of inputs. No import, so that the
// explorer's Sankey (in the browser) lays out its bands exactly as the figure.

const GAP = 0.03;

/** Inputs of one class going from cluster `from` of hidden layer `layer` to cluster `to` of the next. */
export interface Flow {
  layer: number;
  from: number;
  to: number;
  label: number;
  count: number;
}

export interface FlowNode {
  layer: number;
  cluster: number;
  y1: number;
  y2: number;
  size: number;
  /** Its position in its column, top first, after ordering. */
  rank: number;
}

export interface FlowLayout {
  nodes: FlowNode[];
  links: { layer: number; from: number; to: number; label: number; count: number; y1: number; y2: number }[];
  height: number;
}

/** A (layer, cluster) pair as one number, for the maps of ranks and positions. */
const at = (layer: number, cluster: number) => layer * 65536 + cluster;

/**
 * Mean position of each node of `layer` among its neighbours in the adjacent
 * column (`in`: the one before, `out`: the one after), weighted by the inputs
 * that flow between them; undefined for a node with no such flow. One pass
 * over the flows, each node's sum taken in the flows' order.
 */
function barycentres(flows: Flow[], layer: number, side: 'in' | 'out', rank: Map<number, number>): Map<number, number> {
  const sum = new Map<number, number>();
  const weight = new Map<number, number>();
  for (const f of flows) {
    if (side === 'in' && f.layer + 1 === layer) {
      sum.set(f.to, (sum.get(f.to) ?? 0) + f.count * rank.get(at(layer - 1, f.from))!);
      weight.set(f.to, (weight.get(f.to) ?? 0) + f.count);
    } else if (side === 'out' && f.layer === layer) {
      sum.set(f.from, (sum.get(f.from) ?? 0) + f.count * rank.get(at(layer + 1, f.to))!);
      weight.set(f.from, (weight.get(f.from) ?? 0) + f.count);
    }
  }
  const out = new Map<number, number>();
  for (const [c, w] of weight) if (w) out.set(c, sum.get(c)! / w);
  return out;
}

/**
 * Crossings of the bands between two columns, weighted by their widths: what
 * the ordering lowers. Two bands cross when their ends are in opposite orders
 * (ties do not cross). Counted per gap in one pass over the bands sorted by
 * where they start, keeping the widths seen so far by where they end: a few
 * milliseconds for the thousand bands of a nine-class network, in the browser.
 */
export function crossings(layout: FlowLayout): number {
  return weightedCrossings(new Map(layout.nodes.map((n) => [at(n.layer, n.cluster), n.rank])), layout.links);
}

/** The same, for flows between clusters ranked by `rank`. */
function weightedCrossings(rank: Map<number, number>, flows: Flow[]): number {
  const byGap = new Map<number, { from: number; to: number; count: number }[]>();
  for (const l of flows) {
    const list = byGap.get(l.layer) ?? [];
    list.push({ from: rank.get(at(l.layer, l.from))!, to: rank.get(at(l.layer + 1, l.to))!, count: l.count });
    byGap.set(l.layer, list);
  }
  let total = 0;
  for (const links of byGap.values()) {
    links.sort((a, b) => a.from - b.from);
    const seen = new Float64Array(Math.max(0, ...links.map((l) => l.to)) + 1);
    for (let i = 0; i < links.length; ) {
      let j = i;
      while (j < links.length && links[j].from === links[i].from) j++;
      // Bands that start above these and end below them.
      for (let q = i; q < j; q++) {
        let below = 0;
        for (let t = links[q].to + 1; t < seen.length; t++) below += seen[t];
        total += links[q].count * below;
      }
      for (let q = i; q < j; q++) seen[links[q].to] += links[q].count;
      i = j;
    }
  }
  return total;
}

/**
 * An alluvial layout of `layers` columns (with one hidden layer there are no
 * flows, and `single` gives its clusters' sizes): the clusters of each column ordered by the
 * barycentre of the clusters they exchange inputs with (sweeps down and up the
 * layers, keeping the ordering with the fewest weighted crossings), and within
 * each block the bands ordered by where they come from or go, so that bands
 * cross as little as the flows allow.
 */
export function layoutFlows(layers: number, flows: Flow[], single?: Map<number, number>): FlowLayout {
  const sizes: Map<number, number>[] = Array.from({ length: layers }, () => new Map());
  for (const f of flows) {
    sizes[f.layer].set(f.from, (sizes[f.layer].get(f.from) ?? 0) + f.count);
    if (f.layer + 1 === layers - 1) sizes[f.layer + 1].set(f.to, (sizes[f.layer + 1].get(f.to) ?? 0) + f.count);
  }
  if (layers === 1 && single) for (const [cluster, n] of single) sizes[0].set(cluster, (sizes[0].get(cluster) ?? 0) + n);
  // Start from the clusters' numbers (by size), then sweep.
  let order: number[][] = sizes.map((m) => [...m.keys()].sort((a, b) => a - b));
  const rankOf = (o: number[][]) => new Map(o.flatMap((col, layer) => col.map((c, i) => [at(layer, c), i] as [number, number])));
  // Each sweep's ordering is judged by its crossings alone; only the best one is laid out.
  let best = order;
  let bestCrossings = weightedCrossings(rankOf(order), flows);
  for (let sweep = 0; sweep < 8 && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const next = order.map((col) => [...col]);
    const range = down ? [...Array(layers).keys()].slice(1) : [...Array(layers).keys()].slice(0, -1).reverse();
    for (const layer of range) {
      const rank = rankOf(next);
      const centre = barycentres(flows, layer, down ? 'in' : 'out', rank);
      const keys = new Map(next[layer].map((c) => [c, centre.get(c) ?? rank.get(at(layer, c))!]));
      next[layer].sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
    }
    const n = weightedCrossings(rankOf(next), flows);
    order = next;
    if (n < bestCrossings) {
      best = next;
      bestCrossings = n;
    }
  }
  return place(best, sizes, flows);
}

function place(order: number[][], sizes: Map<number, number>[], flows: Flow[]): FlowLayout {
  const total = Math.max(0, ...sizes.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const gap = total * GAP;
  const nodes: FlowNode[] = [];
  const top = new Map<number, number>();
  const rank = new Map<number, number>();
  let height = 0;
  order.forEach((col, layer) => {
    let y = 0;
    col.forEach((cluster, i) => {
      const size = sizes[layer].get(cluster)!;
      nodes.push({ layer, cluster, y1: y, y2: y + size, size, rank: i });
      top.set(at(layer, cluster), y);
      rank.set(at(layer, cluster), i);
      y += size + gap;
    });
    height = Math.max(height, y - gap);
  });
  const r = (layer: number, cluster: number) => rank.get(at(layer, cluster))!;
  const out = new Map(top);
  const inn = new Map(top);
  const links: FlowLayout['links'] = [];
  const bySource = [...flows].sort(
    (a, b) => a.layer - b.layer || r(a.layer, a.from) - r(b.layer, b.from) || r(a.layer + 1, a.to) - r(b.layer + 1, b.to) || a.label - b.label,
  );
  for (const f of bySource) {
    const key = at(f.layer, f.from);
    const y = out.get(key)!;
    out.set(key, y + f.count);
    links.push({ ...f, y1: y + f.count / 2, y2: 0 });
  }
  const byTarget = [...links].sort(
    (a, b) => a.layer - b.layer || r(a.layer + 1, a.to) - r(b.layer + 1, b.to) || r(a.layer, a.from) - r(b.layer, b.from) || a.label - b.label,
  );
  for (const l of byTarget) {
    const key = at(l.layer + 1, l.to);
    const y = inn.get(key)!;
    inn.set(key, y + l.count);
    l.y2 = y + l.count / 2;
  }
  return { nodes, links, height };
}
