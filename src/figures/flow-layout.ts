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

/** Mean position of a node's neighbours in the adjacent column, weighted by the inputs that flow between them. */
function barycentre(flows: Flow[], layer: number, cluster: number, side: 'in' | 'out', rank: Map<string, number>): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const f of flows) {
    if (side === 'in' && f.layer + 1 === layer && f.to === cluster) {
      sum += f.count * rank.get(`${layer - 1} ${f.from}`)!;
      weight += f.count;
    } else if (side === 'out' && f.layer === layer && f.from === cluster) {
      sum += f.count * rank.get(`${layer + 1} ${f.to}`)!;
      weight += f.count;
    }
  }
  return weight ? sum / weight : undefined;
}

/** Crossings of the bands between two columns, weighted by their widths: what the ordering lowers. */
export function crossings(layout: FlowLayout): number {
  let total = 0;
  const rank = new Map(layout.nodes.map((n) => [`${n.layer} ${n.cluster}`, n.rank]));
  const byGap = new Map<number, FlowLayout['links']>();
  for (const l of layout.links) byGap.set(l.layer, [...(byGap.get(l.layer) ?? []), l]);
  for (const links of byGap.values())
    for (let i = 0; i < links.length; i++)
      for (let j = i + 1; j < links.length; j++) {
        const a = links[i];
        const b = links[j];
        const da = rank.get(`${a.layer} ${a.from}`)! - rank.get(`${b.layer} ${b.from}`)!;
        const db = rank.get(`${a.layer + 1} ${a.to}`)! - rank.get(`${b.layer + 1} ${b.to}`)!;
        if (da * db < 0) total += a.count * b.count;
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
  const rankOf = (o: number[][]) => new Map(o.flatMap((col, layer) => col.map((c, i) => [`${layer} ${c}`, i] as [string, number])));
  const build = (o: number[][]) => place(o, sizes, flows);
  let best = build(order);
  let bestCrossings = crossings(best);
  for (let sweep = 0; sweep < 8 && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const next = order.map((col) => [...col]);
    const range = down ? [...Array(layers).keys()].slice(1) : [...Array(layers).keys()].slice(0, -1).reverse();
    for (const layer of range) {
      const rank = rankOf(next);
      const key = (c: number) => barycentre(flows, layer, c, down ? 'in' : 'out', rank) ?? rank.get(`${layer} ${c}`)!;
      next[layer].sort((a, b) => key(a) - key(b) || a - b);
    }
    const layout = build(next);
    const n = crossings(layout);
    order = next;
    if (n < bestCrossings) {
      best = layout;
      bestCrossings = n;
    }
  }
  return best;
}

function place(order: number[][], sizes: Map<number, number>[], flows: Flow[]): FlowLayout {
  const total = Math.max(0, ...sizes.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const gap = total * GAP;
  const nodes: FlowNode[] = [];
  const top = new Map<string, number>();
  const rank = new Map<string, number>();
  let height = 0;
  order.forEach((col, layer) => {
    let y = 0;
    col.forEach((cluster, i) => {
      const size = sizes[layer].get(cluster)!;
      nodes.push({ layer, cluster, y1: y, y2: y + size, size, rank: i });
      top.set(`${layer} ${cluster}`, y);
      rank.set(`${layer} ${cluster}`, i);
      y += size + gap;
    });
    height = Math.max(height, y - gap);
  });
  const at = (layer: number, cluster: number) => rank.get(`${layer} ${cluster}`)!;
  const out = new Map(top);
  const inn = new Map(top);
  const links: FlowLayout['links'] = [];
  const bySource = [...flows].sort(
    (a, b) => a.layer - b.layer || at(a.layer, a.from) - at(b.layer, b.from) || at(a.layer + 1, a.to) - at(b.layer + 1, b.to) || a.label - b.label,
  );
  for (const f of bySource) {
    const key = `${f.layer} ${f.from}`;
    const y = out.get(key)!;
    out.set(key, y + f.count);
    links.push({ ...f, y1: y + f.count / 2, y2: 0 });
  }
  const byTarget = [...links].sort(
    (a, b) => a.layer - b.layer || at(a.layer + 1, a.to) - at(b.layer + 1, b.to) || at(a.layer, a.from) - at(b.layer, b.from) || a.label - b.label,
  );
  for (const l of byTarget) {
    const key = `${l.layer + 1} ${l.to}`;
    const y = inn.get(key)!;
    inn.set(key, y + l.count);
    l.y2 = y + l.count / 2;
  }
  return { nodes, links, height };
}
