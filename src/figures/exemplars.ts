import * as Plot from '@observablehq/plot';
import { decodePixels } from '../data/image.ts';
import type { Result } from '../results/schema.ts';
import { allLabels, className, layerIn, pctIn, say, seedNote } from './labels.ts';
import { classColor } from './palette.ts';
import { greySheetDataUri } from './png.ts';
import { classKey } from './key.ts';
import type { FigureDef } from './types.ts';

// Each cluster of each layer as a few of its member digits, with the class
// mix of all its members beside them: what a cluster "means" at a glance.

const SIZE = 24;
const PAD = 2;
const PER_ROW = 4;
const MIX_LINES = 3;
const CLUSTERS_PER_LINE = 6;
const BLOCK_W = PER_ROW * (SIZE + PAD) + 18;
const TITLE_H = 16;
const TEXT_H = 12;

const exemplarsOf = (r: Result) => r.runs[0].exemplars;

/** Past this many clusters in all, each shows one row of members: the page stays light (nine digits: 60 clusters). */
const MANY_CLUSTERS = 32;

/** The members drawn for a cluster: all stored, or the first row of them when the figure has many clusters. */
function shownImages(r: Result, images: number[]): number[] {
  return (exemplarsOf(r)?.clusters.length ?? 0) > MANY_CLUSTERS ? images.slice(0, PER_ROW) : images;
}

/** The layers of the first seed that have exemplars, in network order. */
function layersOf(r: Result) {
  const ex = exemplarsOf(r);
  if (!ex) return [];
  const named = new Set(ex.clusters.map((c) => c.layer));
  return r.runs[0].layers.filter((l) => named.has(l.name));
}

/** The members of a cluster by class, most first, as shares of the cluster. */
function mixOf(r: Result, layer: string, cluster: number): { label: number; count: number; share: number }[] {
  const stats = r.runs[0].layers.find((l) => l.name === layer)!;
  const cells = stats.clusters.filter((c) => c.cluster === cluster);
  const total = cells.reduce((s, c) => s + c.count, 0);
  return cells.map((c) => ({ label: c.label, count: c.count, share: total ? c.count / total : 0 })).sort((a, b) => b.count - a.count || a.label - b.label);
}

interface Block {
  layer: string;
  cluster: number;
  images: number[];
  x: number;
  y: number;
}

/** Where each cluster's block goes: a line per layer (more when it has many clusters). */
function layout(r: Result): { blocks: Block[]; titles: { layer: string; y: number; k: number }[]; width: number; height: number; rowsOfImages: number } {
  const ex = exemplarsOf(r)!;
  const most = Math.max(1, ...ex.clusters.map((c) => shownImages(r, c.images).length));
  const rowsOfImages = Math.ceil(most / PER_ROW);
  const blockH = rowsOfImages * (SIZE + PAD) + (1 + MIX_LINES) * TEXT_H + 10;
  const blocks: Block[] = [];
  const titles: { layer: string; y: number; k: number }[] = [];
  let y = 0;
  let widest = 1;
  for (const layer of layersOf(r)) {
    const clusters = ex.clusters.filter((c) => c.layer === layer.name).sort((a, b) => a.cluster - b.cluster);
    titles.push({ layer: layer.name, y, k: clusters.length });
    y += TITLE_H;
    clusters.forEach((c, i) => {
      const column = i % CLUSTERS_PER_LINE;
      if (i > 0 && column === 0) y += blockH;
      blocks.push({ layer: layer.name, cluster: c.cluster, images: shownImages(r, c.images), x: column * BLOCK_W, y });
      widest = Math.max(widest, column + 1);
    });
    y += blockH + 8;
  }
  return { blocks, titles, width: widest * BLOCK_W, height: y, rowsOfImages };
}

export const clusterExemplars: FigureDef = {
  name: 'cluster-exemplars',
  explore: (r) => `#seed=${r.seeds[0]}${r.dataset.probes.length ? `&hide=${r.dataset.probes.join(',')}` : ''}`,
  title: { en: 'What each cluster looks like', fr: 'À quoi ressemble chaque cluster' },
  applies: (r) => (exemplarsOf(r)?.clusters.length ?? 0) > 0 && layersOf(r).length > 0,
  caption: (r, lang) => {
    const ex = exemplarsOf(r)!;
    const most = Math.max(...ex.clusters.map((c) => shownImages(r, c.images).length));
    // The purest cluster of the last hidden layer, to anchor the reading.
    const hidden = layersOf(r).filter((l) => l.kind === 'hidden');
    const last = hidden[hidden.length - 1];
    let anchor = '';
    if (last) {
      const best = [...new Set(last.clusters.map((c) => c.cluster))]
        .map((c) => ({ c, top: mixOf(r, last.name, c)[0] }))
        .sort((a, b) => b.top.share - a.top.share || a.c - b.c)[0];
      if (best)
        anchor = say(
          lang,
          ` In ${last.name}, the purest cluster, c${best.c}, is ${pctIn(best.top.share, lang, 0)} ${className(r, best.top.label)}.`,
          ` Dans ${layerIn(last.name, lang)}, le cluster le plus pur, c${best.c}, contient ${pctIn(best.top.share, lang, 0)} de ${className(r, best.top.label)}.`,
        );
    }
    if (lang === 'fr')
      return (
        `Pour chaque couche${seedNote(r, lang)}, chaque cluster k-means montré par au plus ${most} de ses membres, tirés au hasard (avec graine) parmi les entrées d’entraînement et de test des classes entraînées\u202F; les entrées inconnues ne sont jamais montrées en exemple. ` +
        `Un même tirage sert à toutes les couches\u00A0: on peut suivre un même chiffre de cluster en cluster à travers le réseau. ` +
        `Sous chaque cluster\u00A0: son nombre d’entrées et les classes qui le composent, entrées inconnues comprises, de la plus grande à la plus petite (au plus ${MIX_LINES}).${anchor}`
      );
    return (
      `For every layer${seedNote(r)}, each k-means cluster shown as up to ${most} of its members, drawn at random (seeded) from the training and test inputs of the trained classes; unseen inputs are never shown as examples. ` +
      `One draw serves every layer, so the same digit can be followed from cluster to cluster as it goes through the network. ` +
      `Under each cluster: its number of inputs and the classes that make it up, unseen inputs included, largest first (at most ${MIX_LINES}).${anchor}`
    );
  },
  rows: (r) => {
    const ex = exemplarsOf(r);
    if (!ex) return [];
    return layersOf(r).flatMap((l) =>
      ex.clusters
        .filter((c) => c.layer === l.name)
        .sort((a, b) => a.cluster - b.cluster)
        .flatMap((c) => {
          const size = mixOf(r, l.name, c.cluster).reduce((s, m) => s + m.count, 0);
          return shownImages(r, c.images).map((img, slot) => ({
            layer: l.name,
            cluster: `c${c.cluster}`,
            slot,
            class: className(r, ex.images[img].label),
            clusterInputs: size,
            image: img,
          }));
        }),
    );
  },
  plot: (r, _rows, lang) => {
    const ex = exemplarsOf(r)!;
    const { blocks, titles, width, height, rowsOfImages } = layout(r);
    // Every digit on one sheet at its own resolution, drawn as one image over the figure: a grid of
    // digits is one raster, not an element per digit (the same picture, a fraction of the page's weight).
    const scale = r.dataset.width / SIZE;
    const sheet = greySheetDataUri(
      Math.ceil(width * scale),
      Math.ceil(height * scale),
      blocks.flatMap((b) =>
        b.images.map((img, slot) => ({
          x: Math.round((b.x + (slot % PER_ROW) * (SIZE + PAD)) * scale),
          y: Math.round((b.y + Math.floor(slot / PER_ROW) * (SIZE + PAD)) * scale),
          width: r.dataset.width,
          height: r.dataset.height,
          pixels: decodePixels(ex.images[img].pixels),
        })),
      ),
    );
    const textTop = (b: Block) => b.y + rowsOfImages * (SIZE + PAD) + 2;
    const heads = blocks.map((b) => ({
      x: b.x,
      y: textTop(b),
      text: `c${b.cluster} · ${mixOf(r, b.layer, b.cluster).reduce((s, m) => s + m.count, 0)} ${say(lang, 'inputs', 'entrées')}`,
    }));
    const mixes = blocks.flatMap((b) =>
      mixOf(r, b.layer, b.cluster)
        .slice(0, MIX_LINES)
        .map((m, i) => ({
          x: b.x,
          y: textTop(b) + (i + 1) * TEXT_H,
          text: `${className(r, m.label)}${say(lang, ':', '\u00A0:')} ${m.share < 0.005 ? `< ${pctIn(0.01, lang, 0)}` : pctIn(m.share, lang, 0)}`,
          color: classColor(m.label),
        })),
    );
    const marginLeft = 12;
    return {
      width: marginLeft + width + 10,
      height: height + 20,
      marginLeft,
      marginRight: 10,
      marginTop: 10,
      marginBottom: 10,
      x: { domain: [0, width], axis: null },
      y: { domain: [height, 0], axis: null },
      marks: [
        Plot.text(titles, {
          x: 0,
          y: 'y',
          text: (d) => `${layerIn(d.layer, lang)} (k = ${d.k})`,
          textAnchor: 'start',
          lineAnchor: 'top',
          fontWeight: 'bold',
          fontSize: 12,
        }),
        Plot.image([sheet], {
          x: Math.ceil(width * scale) / scale / 2,
          y: Math.ceil(height * scale) / scale / 2,
          src: (d) => d,
          width: Math.ceil(width * scale) / scale,
          height: Math.ceil(height * scale) / scale,
          imageRendering: 'pixelated',
        }),
        Plot.text(heads, { x: 'x', y: 'y', text: 'text', textAnchor: 'start', lineAnchor: 'top', fontSize: 10 }),
        Plot.text(mixes, { x: 'x', y: 'y', text: () => '■', textAnchor: 'start', lineAnchor: 'top', fontSize: 10, fill: 'color' }),
        Plot.text(mixes, { x: 'x', y: 'y', dx: 11, text: 'text', textAnchor: 'start', lineAnchor: 'top', fontSize: 10 }),
      ],
    };
  },
  key: (r, lang) => classKey(r, allLabels(r), lang),
};
