import * as Plot from '@observablehq/plot';
import type { SeedRun } from '../results/schema.ts';
import { allLabels, className, seedNote } from './labels.ts';
import { classScale } from './palette.ts';
import type { FigureDef, Row } from './types.ts';

// An alluvial layout of the paths: one column of clusters per hidden layer,
// one band per (class, cluster → cluster) flow, its width the number of
// inputs. Computed here as plain coordinates; Plot only draws them.

const GAP = 0.03;
const NODE = 0.08;

export interface FlowLayout {
  nodes: { layer: number; cluster: number; y1: number; y2: number; size: number }[];
  links: { layer: number; from: number; to: number; label: number; count: number; y1: number; y2: number }[];
  height: number;
}

export function flowLayout(r: SeedRun): FlowLayout {
  const layers = r.paths.layers.length;
  const sizes: Map<number, number>[] = Array.from({ length: layers }, () => new Map());
  for (const f of r.paths.flows) {
    sizes[f.layer].set(f.from, (sizes[f.layer].get(f.from) ?? 0) + f.count);
    if (f.layer + 1 === layers - 1) sizes[f.layer + 1].set(f.to, (sizes[f.layer + 1].get(f.to) ?? 0) + f.count);
  }
  if (layers === 1) for (const l of r.layers[1].clusters) sizes[0].set(l.cluster, (sizes[0].get(l.cluster) ?? 0) + l.count);
  const total = Math.max(...sizes.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const gap = total * GAP;
  const nodes: FlowLayout['nodes'] = [];
  const top = new Map<string, number>();
  let height = 0;
  sizes.forEach((m, layer) => {
    let y = 0;
    for (const [cluster, size] of [...m].sort((a, b) => a[0] - b[0])) {
      nodes.push({ layer, cluster, y1: y, y2: y + size, size });
      top.set(`${layer} ${cluster}`, y);
      y += size + gap;
    }
    height = Math.max(height, y - gap);
  });
  const out = new Map(top);
  const inn = new Map(top);
  const links: FlowLayout['links'] = [];
  const bySource = [...r.paths.flows].sort((a, b) => a.layer - b.layer || a.from - b.from || a.to - b.to || a.label - b.label);
  for (const f of bySource) {
    const key = `${f.layer} ${f.from}`;
    const y = out.get(key)!;
    out.set(key, y + f.count);
    links.push({ ...f, y1: y + f.count / 2, y2: 0 });
  }
  const byTarget = [...links].sort((a, b) => a.layer - b.layer || a.to - b.to || a.from - b.from || a.label - b.label);
  for (const l of byTarget) {
    const key = `${l.layer + 1} ${l.to}`;
    const y = inn.get(key)!;
    inn.set(key, y + l.count);
    l.y2 = y + l.count / 2;
  }
  return { nodes, links, height };
}

export const pathsFlow: FigureDef = {
  name: 'paths-flow',
  title: 'Paths through the hidden layers',
  caption: (r) =>
    `Each column is a hidden layer, each block one of its k-means clusters, numbered by size among the training inputs the clustering was fitted on (c0 the most; with probes and test inputs added, the drawn blocks may rank otherwise); each band carries the inputs of one class from a cluster to a cluster of the next layer, its width their number${seedNote(r)}. All ${r.dataset.counts.reduce((s, c) => s + c.count, 0)} inputs are drawn, probes (${r.dataset.probes.map((l) => className(r, l)).join(', ') || 'none'}) included.`,
  rows: (r) => {
    const p = r.runs[0].paths;
    return p.flows.map((f) => ({ from_layer: p.layers[f.layer], from_cluster: `c${f.from}`, to_layer: p.layers[f.layer + 1], to_cluster: `c${f.to}`, class: className(r, f.label), count: f.count }));
  },
  plot: (result) => {
    const r = result.runs[0];
    const name = (l: number) => className(result, l);
    const { nodes, links, height } = flowLayout(r);
    const px = 360;
    const scale = px / height;
    const marginTop = 10;
    const layerName = (i: number) => r.paths.layers[i];
    return {
      height: px + marginTop + 40,
      marginTop,
      marginLeft: 30,
      marginRight: 30,
      marginBottom: 40,
      x: { domain: [-NODE, r.paths.layers.length - 1 + NODE], ticks: r.paths.layers.map((_, i) => i), tickFormat: layerName, label: 'Hidden layer' },
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
        Plot.text(nodes, { x: (d) => d.layer, y: (d) => (d.y1 + d.y2) / 2, text: (d) => `c${d.cluster}`, fill: 'var(--plot-background, white)', fontWeight: 'bold' }),
      ],
    };
  },
  legend: allLabels,
};
