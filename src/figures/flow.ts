import * as Plot from '@observablehq/plot';
import type { SeedRun } from '../results/schema.ts';
import { allLabels, className, layerIn, pctIn, say, seedNote } from './labels.ts';
import { classScale } from './palette.ts';
import { classKey } from './key.ts';
import { layoutFlows, type FlowLayout } from './flow-layout.ts';
import type { FigureDef, Row } from './types.ts';

// An alluvial layout of the paths (flow-layout.ts): one column of clusters
// per hidden layer, one band per (class, cluster → cluster) flow, its width
// the number of inputs. Plot only draws the coordinates.

const NODE = 0.08;

export { crossings, type Flow, type FlowLayout, type FlowNode } from './flow-layout.ts';

/** The figure's layout of the first seed's paths. */
export function flowLayout(r: SeedRun): FlowLayout {
  const single = new Map<number, number>();
  if (r.paths.layers.length === 1) for (const l of r.layers[1].clusters) single.set(l.cluster, (single.get(l.cluster) ?? 0) + l.count);
  return layoutFlows(r.paths.layers.length, r.paths.flows, single);
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
  explore: (r) => `#seed=${r.seeds[0]}`,
  title: { en: 'Cluster paths through the hidden layers', fr: 'Chemins de clusters à travers les couches cachées' },
  caption: (r, lang) =>
    lang === 'fr'
      ? `Chaque colonne est une couche cachée, chaque bloc l’un de ses clusters k-means, nommé par son numéro (c0 le plus grand parmi les entrées d’entraînement sur lesquelles le regroupement a été ajusté) et par la classe de la plupart de ses entrées, avec leur part (entrées inconnues comprises)\u202F; ` +
        `les blocs de chaque colonne sont ordonnés pour que les bandes se croisent le moins possible (ordre barycentrique), pas par numéro. Chaque bande porte les entrées d’une classe d’un cluster à un cluster de la couche suivante, sa largeur leur nombre${seedNote(r, lang)}. ` +
        `Les ${r.dataset.counts.reduce((s, c) => s + c.count, 0)} entrées sont toutes dessinées, entrées inconnues (${r.dataset.probes.map((l) => className(r, l)).join(', ') || 'aucune'}) comprises\u202F; les blocs trop fins pour être nommés le sont dans les données de la figure (CSV).`
      : `Each column is a hidden layer, each block one of its k-means clusters, named by its number (c0 the largest among the training inputs the clustering was fitted on) and by the class most of its inputs belong to, with their share (unseen inputs included); ` +
        `the blocks of each column are ordered to make the bands cross as little as possible (barycentric ordering), not by number. Each band carries the inputs of one class from a cluster to a cluster of the next layer, its width their number${seedNote(r)}. ` +
        `All ${r.dataset.counts.reduce((s, c) => s + c.count, 0)} inputs are drawn, unseen inputs (${r.dataset.probes.map((l) => className(r, l)).join(', ') || 'none'}) included; blocks too thin to name are named in the figure's data (CSV).`,
  rows: (r, lang) => {
    const run = r.runs[0];
    const p = run.paths;
    const named = (layer: string, c: number) => {
      const m = majority(run, layer, c);
      return m ? `${className(r, m.label)} (${pctIn(m.share, lang, 0)})` : '';
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
  plot: (result, _rows, lang) => {
    const r = result.runs[0];
    const name = (l: number) => className(result, l);
    const { nodes, links, height } = flowLayout(r);
    const columns = r.paths.layers.length;
    const most = Math.max(...Array.from({ length: columns }, (_, i) => nodes.filter((n) => n.layer === i).length));
    const px = Math.max(360, 30 * most);
    const scale = px / height;
    const marginTop = 10;
    const layerName = (i: number) => layerIn(r.paths.layers[i], lang);
    const labelled = nodes
      .filter((n) => n.size * scale >= LABEL_MIN_PX)
      .map((n) => {
        const m = majority(r, layerName(n.layer), n.cluster);
        return { ...n, text: m ? `c${n.cluster} · ${name(m.label)} (${pctIn(m.share, lang, 0)})` : `c${n.cluster}`, first: n.layer === 0 };
      });
    const longest = Math.max(40, ...labelled.map((n) => 6 * n.text.length));
    return {
      width: Math.max(640, 2 * longest + 200 * (columns - 1)),
      height: px + marginTop + 40,
      marginTop,
      marginLeft: longest + 14,
      marginRight: longest + 14,
      marginBottom: 40,
      x: {
        domain: [-NODE, columns - 1 + NODE],
        ticks: r.paths.layers.map((_, i) => i),
        tickFormat: layerName,
        label: say(lang, 'Hidden layer', 'Couche cachée'),
      },
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
          title: (d) =>
            `${name(Number(d.label))}${say(lang, ':', '\u00A0:')} ${d.count} ${say(lang, 'inputs', 'entrées')}, ${layerName(Number(d.layer))} c${d.from} → ${layerName(Number(d.layer) + 1)} c${d.to}`,
        }),
        Plot.rect(nodes, {
          x1: (d) => d.layer - NODE / 2,
          x2: (d) => d.layer + NODE / 2,
          y1: 'y1',
          y2: 'y2',
          fill: 'currentColor',
          fillOpacity: 0.8,
          title: (d) => `${layerName(d.layer)} c${d.cluster}${say(lang, ':', '\u00A0:')} ${d.size} ${say(lang, 'inputs', 'entrées')}`,
        }),
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
  key: (r, lang) => classKey(r, allLabels(r), lang),
};
