import * as Plot from '@observablehq/plot';
import type { SeedRun } from '../results/schema.ts';
import { allLabels, className, seedNote } from './labels.ts';
import { classScale } from './palette.ts';
import { classKey } from './key.ts';
import type { FigureDef, Row } from './types.ts';

// An alluvial layout of the paths: one column of clusters per hidden layer,
// one band per (class, cluster → cluster) flow, its width the number of
// inputs. Computed here as plain coordinates; Plot only draws them.

const GAP = 0.03;
const NODE = 0.08;

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

type Flow = SeedRun['paths']['flows'][number];

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
 * An alluvial layout of the paths: the clusters of each column ordered by the
 * barycentre of the clusters they exchange inputs with (sweeps down and up the
 * layers, keeping the ordering with the fewest weighted crossings), and within
 * each block the bands ordered by where they come from or go, so that bands
 * cross as little as the flows allow.
 */
export function flowLayout(r: SeedRun): FlowLayout {
  const layers = r.paths.layers.length;
  const flows = r.paths.flows;
  const sizes: Map<number, number>[] = Array.from({ length: layers }, () => new Map());
  for (const f of flows) {
    sizes[f.layer].set(f.from, (sizes[f.layer].get(f.from) ?? 0) + f.count);
    if (f.layer + 1 === layers - 1) sizes[f.layer + 1].set(f.to, (sizes[f.layer + 1].get(f.to) ?? 0) + f.count);
  }
  if (layers === 1) for (const l of r.layers[1].clusters) sizes[0].set(l.cluster, (sizes[0].get(l.cluster) ?? 0) + l.count);
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
  const total = Math.max(...sizes.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
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
  const bySource = [...flows].sort((a, b) => a.layer - b.layer || at(a.layer, a.from) - at(b.layer, b.from) || at(a.layer + 1, a.to) - at(b.layer + 1, b.to) || a.label - b.label);
  for (const f of bySource) {
    const key = `${f.layer} ${f.from}`;
    const y = out.get(key)!;
    out.set(key, y + f.count);
    links.push({ ...f, y1: y + f.count / 2, y2: 0 });
  }
  const byTarget = [...links].sort((a, b) => a.layer - b.layer || at(a.layer + 1, a.to) - at(b.layer + 1, b.to) || at(a.layer, a.from) - at(b.layer, b.from) || a.label - b.label);
  for (const l of byTarget) {
    const key = `${l.layer + 1} ${l.to}`;
    const y = inn.get(key)!;
    inn.set(key, y + l.count);
    l.y2 = y + l.count / 2;
  }
  return { nodes, links, height };
}

/** The class most of a cluster's inputs (all of them, probes included) belong to, and its share. */
export function majority(r: SeedRun, layerName: string, cluster: number): { label: number; share: number; size: number } | undefined {
  const cells = r.layers.find((l) => l.name === layerName)?.clusters.filter((c) => c.cluster === cluster) ?? [];
  const size = cells.reduce((s, c) => s + c.count, 0);
  const top = [...cells].sort((a, b) => b.count - a.count || a.label - b.label)[0];
  return top && size ? { label: top.label, share: top.count / size, size } : undefined;
}

/** Blocks thinner than this many pixels are left unnamed: their names would overlap. */
const LABEL_MIN_PX = 11;

export const pathsFlow: FigureDef = {
  name: 'paths-flow',
  title: 'Paths through the hidden layers',
  caption: (r) =>
    `Each column is a hidden layer, each block one of its k-means clusters, named by its number (c0 the largest among the training inputs the clustering was fitted on) and by the class most of its inputs belong to, with their share (probes included); ` +
    `the blocks of each column are ordered to make the bands cross as little as possible (barycentric ordering), not by number. Each band carries the inputs of one class from a cluster to a cluster of the next layer, its width their number${seedNote(r)}. ` +
    `All ${r.dataset.counts.reduce((s, c) => s + c.count, 0)} inputs are drawn, probes (${r.dataset.probes.map((l) => className(r, l)).join(', ') || 'none'}) included; blocks too thin to name are named in the figure's data (CSV).`,
  rows: (r) => {
    const run = r.runs[0];
    const p = run.paths;
    const named = (layer: string, c: number) => {
      const m = majority(run, layer, c);
      return m ? `${className(r, m.label)} (${Math.round(100 * m.share)} %)` : '';
    };
    return p.flows.map((f) => ({
      from_layer: p.layers[f.layer],
      from_cluster: `c${f.from}`,
      from_majority: named(p.layers[f.layer], f.from),
      to_layer: p.layers[f.layer + 1],
      to_cluster: `c${f.to}`,
      to_majority: named(p.layers[f.layer + 1], f.to),
      class: className(r, f.label),
      count: f.count,
    }));
  },
  plot: (result) => {
    const r = result.runs[0];
    const name = (l: number) => className(result, l);
    const { nodes, links, height } = flowLayout(r);
    const columns = r.paths.layers.length;
    const most = Math.max(...Array.from({ length: columns }, (_, i) => nodes.filter((n) => n.layer === i).length));
    const px = Math.max(360, 30 * most);
    const scale = px / height;
    const marginTop = 10;
    const layerName = (i: number) => r.paths.layers[i];
    const labelled = nodes
      .filter((n) => n.size * scale >= LABEL_MIN_PX)
      .map((n) => {
        const m = majority(r, layerName(n.layer), n.cluster);
        return { ...n, text: m ? `c${n.cluster} · ${name(m.label)} (${Math.round(100 * m.share)} %)` : `c${n.cluster}`, first: n.layer === 0 };
      });
    const longest = Math.max(40, ...labelled.map((n) => 6 * n.text.length));
    return {
      width: Math.max(640, 2 * longest + 200 * (columns - 1)),
      height: px + marginTop + 40,
      marginTop,
      marginLeft: longest + 14,
      marginRight: longest + 14,
      marginBottom: 40,
      x: { domain: [-NODE, columns - 1 + NODE], ticks: r.paths.layers.map((_, i) => i), tickFormat: layerName, label: 'Hidden layer' },
      y: { domain: [height, 0], axis: null },
      color: classScale(allLabels(result), name),
      marks: [
        Plot.link(links as unknown as Row[], {
          x1: (d) => Number(d.layer) + NODE / 2,
          x2: (d) => Number(d.layer) + 1 - NODE / 2,
          y1: 'y1',
          y2: 'y2',
          curve: 'bump-x',
          stroke: (d) => name(Number(d.label)),
          strokeWidth: (d) => Math.max(0.5, Number(d.count) * scale),
          strokeOpacity: 0.55,
          title: (d) => `${name(Number(d.label))}: ${d.count} inputs, ${layerName(Number(d.layer))} c${d.from} → ${layerName(Number(d.layer) + 1)} c${d.to}`,
        }),
        Plot.rect(nodes, { x1: (d) => d.layer - NODE / 2, x2: (d) => d.layer + NODE / 2, y1: 'y1', y2: 'y2', fill: 'currentColor', fillOpacity: 0.8, title: (d) => `${layerName(d.layer)} c${d.cluster}: ${d.size} inputs` }),
        // Names beside the blocks, on a halo of the background: left of the first column, right of the others.
        ...[true, false].map((first) =>
          Plot.text(
            labelled.filter((n) => n.first === first),
            {
              x: (d) => d.layer + (first ? -NODE / 2 : NODE / 2),
              y: (d) => (d.y1 + d.y2) / 2,
              text: 'text',
              dx: first ? -4 : 4,
              textAnchor: first ? 'end' : 'start',
              fill: 'currentColor',
              stroke: 'var(--plot-background, white)',
              strokeWidth: 3,
              paintOrder: 'stroke',
            },
          ),
        ),
      ],
    };
  },
  key: (r) => classKey(r, allLabels(r)),
};
