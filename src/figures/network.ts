import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { className, type Lang, layerIn, pctIn, perClass, say, seedNote } from './labels.ts';
import { classColor } from './palette.ts';
import { pointsAsPath } from './marks.ts';
import { facetGrid } from './projections.ts';
import type { FigureDef, Row } from './types.ts';

// Each trained class's specific path drawn on the network: one column of
// neurons per hidden layer, the neurons of the class's path in its colour.

/** Neurons drawn per layer at most: past this, the most specific ones are kept. */
export const MAX_DRAWN = 48;

// Conv layers read by PCA have no specific path: they are left out.
const hidden = (r: Result) => r.runs[0].layers.filter((l) => l.kind === 'hidden' && l.classes.length > 0 && !l.noSpecificPath);

type Layer = ReturnType<typeof hidden>[number];

const pcaNote = (r: Result, lang: Lang) => {
  const left = r.runs[0].layers.filter((l) => l.noSpecificPath).map((l) => layerIn(l.name, lang));
  if (!left.length) return '';
  return say(
    lang,
    ` Not drawn: ${left.join(', ')}, whose units are principal components of the conv map, not neurons with their own weights.`,
    ` Non dessinées\u00A0: ${left.join(', ')}, dont les unités sont des composantes principales de la carte de convolution, pas des neurones avec leurs propres poids.`,
  );
};

/**
 * The neurons of a layer drawn, in drawing order (top first): grouped by the
 * first class (in the experiment's order) whose path holds them, neurons on no
 * path last, each group by index. When the layer is wider than MAX_DRAWN, the
 * neurons ranked highest on any class's path are kept, then the lowest-numbered.
 */
export function drawnNeurons(layer: Layer): number[] {
  const rank = (j: number) => Math.min(...layer.classes.map((c) => (c.specific.includes(j) ? c.specific.indexOf(j) : Infinity)));
  const all = Array.from({ length: layer.units }, (_, j) => j);
  const kept = layer.units <= MAX_DRAWN ? all : [...all].sort((a, b) => rank(a) - rank(b) || a - b).slice(0, MAX_DRAWN);
  const group = (j: number) => {
    const c = layer.classes.findIndex((cl) => cl.specific.includes(j));
    return c < 0 ? layer.classes.length : c;
  };
  return kept.sort((a, b) => group(a) - group(b) || a - b);
}

export const specificNetwork: FigureDef = {
  name: 'specific-network',
  title: { en: "Each class's specific path through the network", fr: 'Le chemin spécifique de chaque classe à travers le réseau' },
  applies: (r) => hidden(r).length > 0,
  caption: (r, lang) => {
    const layers = hidden(r);
    const cut = layers.filter((l) => l.units > MAX_DRAWN);
    const cutNote = cut.length
      ? ' ' +
        cut
          .map((l) => {
            const drawn = new Set(drawnNeurons(l));
            const missing = new Set(l.classes.flatMap((c) => c.specific).filter((j) => !drawn.has(j))).size;
            if (lang === 'fr')
              return `Dans ${layerIn(l.name, lang)}, ${MAX_DRAWN} neurones sur ${l.units} sont dessinés\u00A0: ${missing ? `les mieux classés sur les chemins spécifiques (${missing} neurones de ces chemins laissés de côté)` : 'tous les neurones des chemins spécifiques, puis les autres aux plus petits numéros'}.`;
            return `In ${l.name}, ${MAX_DRAWN} of ${l.units} neurons are drawn: ${missing ? `the highest-ranked on the specific paths (${missing} of their neurons left out)` : 'every neuron of a specific path, then the lowest-numbered others'}.`;
          })
          .join(' ')
      : '';
    const sizes = layers
      .map(
        (l) =>
          `${layerIn(l.name, lang)} ${perClass(
            l.classes.map((c) => c.specific.length),
            String,
            lang,
          )} ${say(lang, 'of', 'sur')} ${l.units}`,
      )
      .join(', ');
    const shares = layers
      .map((l) =>
        perClass(
          l.classes.map((c) => c.specificShare),
          (x) => pctIn(x, lang, 0),
          lang,
        ),
      )
      .join(', ');
    if (lang === 'fr')
      return (
        `Un panneau par classe entraînée (${r.dataset.classes.map((l) => className(r, l)).join(', ')})${seedNote(r, lang)}\u00A0: les couches cachées en colonnes de neurones, dans le même ordre dans chaque panneau. ` +
        `Remplis de la couleur de la classe, les neurones de son chemin spécifique\u00A0: le moins de neurones portant ${pctIn(r.spec.analysis.coverage, lang, 0)} de sa contribution (|activation| moyenne × poids sortant) à la couche suivante (${sizes} neurones, classe par classe, portant ${shares} de celle-ci). ` +
        `Cerclés\u00A0: aussi sur le chemin spécifique d’une autre classe. Creux\u00A0: sur aucun chemin spécifique de cette classe.${cutNote}${pcaNote(r, lang)}`
      );
    return (
      `One panel per trained class (${r.dataset.classes.map((l) => className(r, l)).join(', ')})${seedNote(r)}: the hidden layers as columns of neurons, in the same order in every panel. ` +
      `Filled in the class's colour, the neurons of its specific path: the fewest that carry ${pctIn(r.spec.analysis.coverage, lang, 0)} of its contribution (mean |activation| × outgoing weight) to the next layer (${sizes} neurons, class by class, carrying ${shares} of it). ` +
      `Ringed: also on another class's specific path. Hollow: on none of this class's specific path.${cutNote}${pcaNote(r, lang)}`
    );
  },
  rows: (r) =>
    r.dataset.classes.flatMap((label) =>
      hidden(r).flatMap((l) => {
        const c = l.classes.find((cl) => cl.label === label);
        if (!c) return [];
        return drawnNeurons(l).map((neuron, position) => {
          const specific = c.specific.includes(neuron);
          const shared = specific && l.classes.some((o) => o.label !== label && o.specific.includes(neuron));
          return { class: className(r, label), layer: l.name, neuron, position, specific, rank: specific ? c.specific.indexOf(neuron) + 1 : null, shared };
        });
      }),
    ),
  key: (_, lang) => ({
    items: [
      {
        label: say(lang, "on the specific path of the panel's class", 'sur le chemin spécifique de la classe du panneau'),
        color: 'currentColor',
        shape: 'dot',
      },
      {
        label: say(lang, "also on another class's specific path (ringed)", 'aussi sur celui d’une autre classe (cerclé)'),
        color: 'currentColor',
        shape: 'ring',
      },
      { label: say(lang, 'on neither (hollow, faint)', 'sur aucun (creux, pâle)'), color: '#999', shape: 'ring' },
    ],
  }),
  plot: (r, rows, lang) => {
    const layers = hidden(r);
    const classes = r.dataset.classes.filter((label) => rows.some((d) => d.class === className(r, label)));
    const grid = facetGrid(classes.length, 3);
    const at = new Map(classes.map((label, i) => [className(r, label), { ...grid.at(i), color: classColor(label) }]));
    const drawn = new Map(layers.map((l) => [l.name, drawnNeurons(l).length]));
    const most = Math.max(...drawn.values());
    const step = Math.max(5, Math.min(12, 380 / most));
    const points = rows.map((d) => {
      const f = at.get(String(d.class))!;
      // Columns centred on the middle, so that short layers sit level with long ones.
      return { ...d, fx: f.fx, fy: f.fy, color: f.color, yy: (drawn.get(String(d.layer))! - 1) / 2 - Number(d.position) };
    }) as (Row & { fx: number; fy: number; color: string; yy: number })[];
    const titles = classes.map((label) => ({ ...at.get(className(r, label))!, text: `${say(lang, 'Class', 'Classe')} ${className(r, label)}` }));
    const counts = classes.flatMap((label) =>
      layers.map((l) => {
        const c = l.classes.find((cl) => cl.label === label);
        return { ...at.get(className(r, label))!, layer: l.name, text: `${c?.specific.length ?? 0} ${say(lang, 'of', 'sur')} ${l.units}` };
      }),
    );
    const half = (most - 1) / 2 + 1.4;
    const panelW = Math.max(160, layers.length * 70);
    const panelH = most * step + 40;
    const facet = { fx: 'fx', fy: 'fy' };
    return {
      width: 40 + grid.columns * (panelW + 20),
      height: 40 + grid.rows * (panelH + 50),
      marginTop: 30,
      marginLeft: 20,
      marginRight: 20,
      marginBottom: 36,
      x: { type: 'point', domain: layers.map((l) => l.name), label: null, padding: 0.5 },
      y: { domain: [-half, half + 1.2], axis: null },
      fx: { domain: Array.from({ length: grid.columns }, (_, i) => i), axis: null, padding: 0.1 },
      fy: { domain: Array.from({ length: grid.rows }, (_, i) => i), axis: null, padding: 0.18 },
      marks: [
        Plot.text(titles, { ...facet, frameAnchor: 'top', dy: -14, text: 'text', fontWeight: 'bold', fontSize: 12 }),
        Plot.text(counts, { ...facet, x: 'layer', y: half + 0.6, text: 'text', fontSize: 10 }),
        Plot.dot(
          points.filter((d) => !d.specific),
          // Neurons on no path of the panel's class: hundreds of rings, drawn as one path per panel.
          { ...facet, x: 'layer', y: 'yy', render: pointsAsPath({ r: +(step * 0.36).toFixed(2), stroke: 'currentColor', strokeWidth: 1, opacity: 0.35 }) },
        ),
        ...[false, true].map((shared) =>
          Plot.dot(
            points.filter((d) => d.specific && d.shared === shared),
            {
              ...facet,
              x: 'layer',
              y: 'yy',
              r: step * 0.4,
              fill: 'color',
              ...(shared ? { stroke: 'currentColor', strokeWidth: 1.3 } : {}),
              title: (d: Row) =>
                lang === 'fr'
                  ? `${layerIn(String(d.layer), lang)}, neurone ${d.neuron}\u00A0: rang ${d.rank} sur le chemin spécifique de ${d.class}${shared ? ', aussi sur celui d’une autre classe' : ''}`
                  : `${d.layer} neuron ${d.neuron}: rank ${d.rank} on the specific path of ${d.class}${shared ? ", also on another class's" : ''}`,
            },
          ),
        ),
      ],
    };
  },
};
