import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { className, layerIn, pctIn, perClass, say, seedNote } from './labels.ts';
import { textWidth } from './key.ts';
import { rgbPngDataUri } from './png.ts';
import type { FigureDef, Row } from './types.ts';

const hidden = (r: Result) => r.runs[0].layers.filter((l) => l.kind === 'hidden' && l.classes.length > 0);

// A wide layer would make an SVG of megabytes: past this many neurons, the
// specific ones and then the most active are shown.
const MAX_NEURONS = 256;

function shown(classes: { mean: number[]; specific: number[] }[]): Set<number> {
  const units = classes[0].mean.length;
  const specific = new Set(classes.flatMap((c) => c.specific));
  const strength = (j: number) => Math.max(...classes.map((c) => Math.abs(c.mean[j])));
  const ranked = Array.from({ length: units }, (_, j) => j).sort(
    (a, b) => Number(specific.has(b)) - Number(specific.has(a)) || strength(b) - strength(a) || a - b,
  );
  return new Set(ranked.slice(0, MAX_NEURONS));
}

/**
 * Neuron order within a layer: grouped by the class each fires most for, then
 * strongest first, so that class-specific blocks show; raw indices are arbitrary.
 */
function neuronOrder(classes: { mean: number[] }[]): number[] {
  const units = classes[0].mean.length;
  const best = Array.from({ length: units }, (_, j) => {
    let c = 0;
    for (let k = 1; k < classes.length; k++) if (classes[k].mean[j] > classes[c].mean[j]) c = k;
    return { j, c, v: classes[c].mean[j] };
  });
  return best.sort((a, b) => Number(a.v <= 0) - Number(b.v <= 0) || a.c - b.c || b.v - a.v || a.j - b.j).map((n) => n.j);
}

export const signatures: FigureDef = {
  name: 'signatures',
  title: { en: 'Class signatures in each hidden layer', fr: 'Signatures des classes dans chaque couche cachée' },
  applies: (r) => hidden(r).length > 0,
  caption: (r, lang) => {
    const layers = hidden(r);
    if (lang === 'fr') {
      const counts = layers
        .map((l) => {
          const n = layerIn(l.name, lang);
          if (l.noSpecificPath) return `${n}\u00A0: aucun, ses ${l.units} colonnes sont des composantes principales`;
          if (l.classes.length > 3)
            return `${n}\u00A0: ${perClass(
              l.classes.map((c) => c.specific.length),
              String,
              lang,
            )} sur ${l.units} par classe`;
          return `${n}\u00A0: ${l.classes.map((c) => `${c.specific.length} pour ${className(r, c.label)}`).join(', ')} sur ${l.units}`;
        })
        .join('\u202F; ');
      const cut = layers.filter((l) => l.units > MAX_NEURONS).map((l) => layerIn(l.name, lang));
      const cutNote = cut.length ? ` Dans ${cut.join(', ')}, seuls ${MAX_NEURONS} neurones sont dessinés\u00A0: les spécifiques, puis les plus actifs.` : '';
      return (
        `La signature de chaque classe entraînée (lignes)\u00A0: l’activation moyenne de chaque neurone (colonnes) sur ses entrées d’entraînement${seedNote(r, lang)}, divisée par la plus grande moyenne de la couche pour que les couches se comparent\u202F; les neurones sont groupés selon la classe à laquelle ils répondent le plus. ` +
        `Les points marquent le chemin spécifique de chaque classe\u00A0: le moins de neurones portant ${pctIn(r.spec.analysis.coverage, lang, 0)} de sa contribution (|activation| moyenne × poids sortant) à la couche suivante (${counts}).${cutNote}`
      );
    }
    const counts = layers
      .map((l) =>
        l.noSpecificPath
          ? `${l.name}: none, its ${l.units} columns are principal components`
          : l.classes.length > 3
            ? `${l.name}: ${perClass(l.classes.map((c) => c.specific.length))} of ${l.units} per class`
            : `${l.name}: ${l.classes.map((c) => `${c.specific.length} for ${className(r, c.label)}`).join(', ')} of ${l.units}`,
      )
      .join('; ');
    const cut = layers.filter((l) => l.units > MAX_NEURONS).map((l) => l.name);
    const cutNote = cut.length ? ` In ${cut.join(', ')}, only ${MAX_NEURONS} neurons are drawn: the specific ones, then the most active.` : '';
    return (
      `Each trained class's signature (rows): the mean activation of every neuron (columns) over its training inputs${seedNote(r)}, divided by the layer's largest mean so that layers compare; neurons are grouped by the class they respond to most. ` +
      `Dots mark each class's specific path: the fewest neurons carrying ${pctIn(r.spec.analysis.coverage, lang, 0)} of its contribution (mean |activation| × outgoing weight) to the next layer (${counts}).${cutNote}`
    );
  },
  rows: (r) =>
    hidden(r).flatMap((l) => {
      const keep = shown(l.classes);
      const order = neuronOrder(l.classes).filter((j) => keep.has(j));
      const scale = Math.max(1e-12, ...l.classes.flatMap((c) => c.mean.map(Math.abs)));
      return order.flatMap((neuron, position) =>
        l.classes.map((c) => ({
          layer: l.name,
          neuron,
          position,
          class: className(r, c.label),
          mean: c.mean[neuron],
          scaled: c.mean[neuron] / scale,
          specific: c.specific.includes(neuron),
        })),
      );
    }),
  key: (r, lang) => {
    const signed = signatures.rows(r, lang).some((d) => Number(d.scaled) < 0);
    return {
      items: [{ label: say(lang, "on the class's specific path", 'sur le chemin spécifique de la classe'), color: 'currentColor', shape: 'dot' }],
      ramp: {
        label: say(lang, 'Mean activation / layer max', 'Activation moyenne / max de la couche'),
        scheme: signed ? 'rdbu' : 'blues',
        reverse: signed,
        domain: signed ? [-1, 1] : [0, 1],
      },
    };
  },
  plot: (r, rows, lang) => {
    const layers = hidden(r);
    const classes = r.dataset.classes.map((l) => className(r, l));
    const widest = Math.max(...layers.map((l) => Math.min(MAX_NEURONS, l.units)));
    const cellW = Math.max(2, Math.min(14, 720 / widest));
    const cellH = classes.length > 5 ? 14 : 22;
    const GAP = 26;
    const signed = rows.some((d) => Number(d.scaled) < 0);
    const color = Plot.scale({
      color: signed ? { type: 'linear', scheme: 'rdbu', reverse: true, domain: [-1, 1] } : { type: 'linear', scheme: 'blues', domain: [0, 1] },
    });
    const rgb = (v: number) =>
      /rgb\((\d+), ?(\d+), ?(\d+)\)/
        .exec(String(color.apply(v)))
        ?.slice(1)
        .map(Number) ?? [0, 0, 0];
    // Each layer is one image, a pixel per (class, neuron) cell, stretched to its cells: a heat map is one
    // raster, not a rectangle per cell. Rows in pixels from the top; x in neurons.
    const blocks = layers.map((l, i) => {
      const mine = rows.filter((d) => d.layer === l.name);
      const drawn = Math.max(0, ...mine.map((d) => Number(d.position) + 1));
      const pixels = new Uint8Array(3 * drawn * classes.length);
      for (const d of mine) pixels.set(rgb(Number(d.scaled)), 3 * (classes.indexOf(String(d.class)) * drawn + Number(d.position)));
      return { layer: l.name, units: l.units, drawn, top: i * (classes.length * cellH + GAP), src: rgbPngDataUri(pixels, drawn, classes.length) };
    });
    const blockH = classes.length * cellH;
    const totalH = layers.length * (blockH + GAP) - GAP;
    const rowY = (layer: string, cls: string) => blocks.find((b) => b.layer === layer)!.top + (classes.indexOf(cls) + 0.5) * cellH;
    const marked = rows.filter((d) => d.specific).map((d) => ({ ...d, y: rowY(String(d.layer), String(d.class)) }));
    const contrast = (dark: boolean) => (d: Row) => Math.abs(Number(d.scaled)) > 0.55 === dark;
    // Room for the longest class name left of the rows (Fashion-MNIST's "Ankle boot").
    const marginLeft = Math.max(40, 14 + Math.max(...classes.map((c) => textWidth(c, 10))));
    const marginTop = 6;
    const marginBottom = 34;
    const marginRight = 130;
    return {
      width: marginLeft + widest * cellW + marginRight,
      height: marginTop + totalH + marginBottom,
      marginTop,
      marginLeft,
      marginRight,
      marginBottom,
      x: {
        domain: [0, widest],
        label: say(lang, 'Neuron (grouped by the class it responds to most) →', 'Neurone (groupé selon la classe à laquelle il répond le plus) →'),
        ticks: [],
      },
      y: { domain: [totalH, 0], axis: null },
      marks: [
        Plot.image(blocks, {
          x: (d) => d.drawn / 2,
          y: (d) => d.top + blockH / 2,
          width: (d) => d.drawn * cellW,
          height: blockH,
          src: 'src',
          preserveAspectRatio: 'none',
          imageRendering: 'pixelated',
        }),
        Plot.text(
          blocks.flatMap((b) => classes.map((c) => ({ y: rowY(b.layer, c), c }))),
          { x: 0, y: 'y', text: 'c', dx: -6, textAnchor: 'end' },
        ),
        Plot.text(blocks, {
          x: widest,
          y: (d) => d.top + blockH / 2,
          text: (d) => `${layerIn(String(d.layer), lang)} (${d.units} ${say(lang, 'units', 'unités')})`,
          dx: 10,
          textAnchor: 'start',
        }),
        Plot.dot(marked.filter(contrast(true)), { x: (d) => Number(d.position) + 0.5, y: 'y', r: Math.min(2.5, cellW / 2.5), fill: 'white' }),
        Plot.dot(marked.filter(contrast(false)), { x: (d) => Number(d.position) + 0.5, y: 'y', r: Math.min(2.5, cellW / 2.5), fill: 'black' }),
      ],
    };
  },
};
