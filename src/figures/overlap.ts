import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { across, className, dec, intervalNote, type Lang, layerIn, say } from './labels.ts';
import { layerCurveMarks, type SeriesPoint } from './marks.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef } from './types.ts';

const MEASURES = ['Jaccard overlap of specific paths', 'Cosine distance of signatures'] as const;
const MEASURES_FR: Record<string, string> = {
  [MEASURES[0]]: 'Recouvrement de Jaccard des chemins spécifiques',
  [MEASURES[1]]: 'Distance cosinus des signatures',
};
// Past a few class pairs, one line each would be unreadable: they are averaged.
const MAX_PAIRS = 6;

const hiddenIndices = (r: Result) => r.runs[0].layers.flatMap((l, i) => (l.kind === 'hidden' && l.pairs.length > 0 ? [i] : []));

/** Per seed, layer and measure: each class pair's value, or their mean when there are many pairs. */
function perSeed(r: Result, lang: Lang = 'en'): { layer: string; series: string; measure: string; seed: number; value: number }[] {
  const many = r.runs[0].layers[hiddenIndices(r)[0]].pairs.length > MAX_PAIRS;
  return r.runs.flatMap((run) =>
    hiddenIndices(r).flatMap((i) => {
      const l = run.layers[i];
      return MEASURES.flatMap((measure) => {
        // A conv layer read by PCA has no specific path to overlap.
        if (measure === MEASURES[0] && l.noSpecificPath) return [];
        const value = (p: (typeof l.pairs)[number]) => (measure === MEASURES[0] ? (p.jaccard ?? 0) : p.cosine);
        if (many)
          return [
            {
              layer: l.name,
              series: say(lang, 'mean over class pairs', 'moyenne sur les paires de classes'),
              measure,
              seed: run.seed,
              value: l.pairs.reduce((s, p) => s + value(p), 0) / l.pairs.length,
            },
          ];
        return l.pairs.map((p) => ({ layer: l.name, series: `${className(r, p.a)} vs ${className(r, p.b)}`, measure, seed: run.seed, value: value(p) }));
      });
    }),
  );
}

/** The largest permutation p over seeds at each hidden layer: the weakest evidence. */
const worstP = (r: Result, i: number) => Math.max(...r.runs.map((run) => run.layers[i].permutation?.p ?? NaN));

export const specificOverlap: FigureDef = {
  name: 'specific-overlap',
  title: { en: 'How different are the class signatures?', fr: 'À quel point les signatures des classes diffèrent-elles\u202F?' },
  applies: (r) => hiddenIndices(r).length > 0,
  caption: (r, lang) => {
    const ps = hiddenIndices(r)
      .map((i) => worstP(r, i))
      .filter(Number.isFinite);
    if (lang === 'fr') {
      const B = r.spec.analysis.permutations;
      const perm = ps.length
        ? ` Au-dessus de chaque couche, la valeur p d’un test de permutation de la dispersion inter-classes des entrées de test contre ${B} permutations des étiquettes (la plus grande des graines\u00A0: ${dec(Math.max(...ps), 3, lang)} au pire\u202F; ${dec(1 / (B + 1), 3, lang)}, 1/(permutations + 1), est le plus petit possible).`
        : '';
      const pcaLayers = r.runs[0].layers.filter((l) => l.noSpecificPath).map((l) => layerIn(l.name, lang));
      const pcaNote = pcaLayers.length
        ? ` ${pcaLayers.join(', ')}\u00A0: pas de recouvrement de Jaccard, car ${pcaLayers.length > 1 ? 'leurs' : 'ses'} unités sont des composantes principales, sans chemin spécifique.`
        : '';
      return `Par couche cachée et par paire de classes entraînées\u00A0: le recouvrement de Jaccard de leurs chemins spécifiques (0 = aucun neurone partagé) et la distance cosinus entre leurs signatures (0 = même direction). ${intervalNote(r, lang)}.${perm}${pcaNote}`;
    }
    const perm = ps.length
      ? ` Above each layer, the p-value of a permutation test of the between-class scatter of the held-out test inputs against ${r.spec.analysis.permutations} label shuffles (largest over seeds: ${Math.max(...ps).toFixed(3)} at worst; ${(1 / (r.spec.analysis.permutations + 1)).toFixed(3)}, 1/(shuffles + 1), is the smallest it can be).`
      : '';
    const pcaLayers = r.runs[0].layers.filter((l) => l.noSpecificPath).map((l) => l.name);
    const pcaNote = pcaLayers.length
      ? ` ${pcaLayers.join(', ')}: no Jaccard overlap, since ${pcaLayers.length > 1 ? 'their' : 'its'} units are principal components, which have no specific path.`
      : '';
    return (
      `Per hidden layer and pair of trained classes: the Jaccard overlap of their specific paths (0 = no neuron shared) and the cosine distance between their signatures (0 = same direction). ` +
      `${intervalNote(r)}.${perm}${pcaNote}`
    );
  },
  rows: (r, lang) => {
    const seeds = perSeed(r, lang);
    const keys = [...new Set(seeds.map((d) => `${d.layer}\u0000${d.series}\u0000${d.measure}`))];
    return keys.map((key) => {
      const [layer, pair, measure] = key.split('\u0000');
      const s = across(
        seeds.filter((d) => d.layer === layer && d.series === pair && d.measure === measure).map((d) => d.value),
        measure === MEASURES[0] ? 'jaccard' : 'cosine',
      );
      const p = worstP(
        r,
        r.runs[0].layers.findIndex((l) => l.name === layer),
      );
      return { layer, pair, measure, mean: s.mean, low: s.low, high: s.high, permutationP: Number.isFinite(p) ? p : null };
    });
  },
  key: (r, lang) => {
    const pairs = [...new Set(specificOverlap.rows(r, lang).map((d) => String(d.pair)))];
    const colors = seriesScale(pairs);
    return { items: pairs.map((p, i) => ({ label: p, color: colors.range[i], shape: 'line' as const })) };
  },
  plot: (r, rows, lang) => {
    const layers = hiddenIndices(r).map((i) => r.runs[0].layers[i].name);
    const pairs = [...new Set(rows.map((d) => String(d.pair)))];
    const colors = seriesScale(pairs);
    const points = rows.map((d) => ({ ...d, series: d.pair })) as SeriesPoint[];
    const top = Math.max(1, ...points.map((d) => d.high), ...perSeed(r, lang).map((d) => d.value));
    const perm = hiddenIndices(r)
      .map((i) => ({ layer: r.runs[0].layers[i].name, p: worstP(r, i) }))
      .filter((d) => Number.isFinite(d.p));
    return {
      width: Math.max(640, 120 + 2 * (60 + 70 * layers.length)),
      height: 320,
      marginTop: 40,
      marginLeft: 56,
      marginRight: 20,
      x: { type: 'point', domain: layers, label: say(lang, 'Hidden layer', 'Couche cachée'), padding: 0.3 },
      y: { label: say(lang, 'Jaccard index · cosine distance', 'Indice de Jaccard · distance cosinus'), domain: [0, top], grid: true },
      fx: { domain: [...MEASURES], label: null, padding: 0.12, ...(lang === 'fr' ? { tickFormat: (m: string) => MEASURES_FR[m] } : {}) },
      color: colors,
      marks: [
        Plot.frame({ strokeOpacity: 0.25 }),
        ...layerCurveMarks(points, perSeed(r, lang), { fx: 'measure' }),
        Plot.text(perm, { x: 'layer', fx: () => MEASURES[0], frameAnchor: 'top', dy: -8, text: (d) => `p ≤ ${dec(d.p, 3, lang)}` }),
      ],
    };
  },
};
