import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { across, className, intervalNote } from './labels.ts';
import { layerCurveMarks, type SeriesPoint } from './marks.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef } from './types.ts';

const MEASURES = ['Jaccard overlap of specific paths', 'Cosine distance of signatures'] as const;
// Past a few class pairs, one line each would be unreadable: they are averaged.
const MAX_PAIRS = 6;

const hiddenIndices = (r: Result) => r.runs[0].layers.flatMap((l, i) => (l.kind === 'hidden' && l.pairs.length > 0 ? [i] : []));

/** Per seed, layer and measure: each class pair's value, or their mean when there are many pairs. */
function perSeed(r: Result): { layer: string; series: string; measure: string; seed: number; value: number }[] {
  const many = r.runs[0].layers[hiddenIndices(r)[0]].pairs.length > MAX_PAIRS;
  return r.runs.flatMap((run) =>
    hiddenIndices(r).flatMap((i) => {
      const l = run.layers[i];
      return MEASURES.flatMap((measure) => {
        // A conv layer read by PCA has no specific path to overlap.
        if (measure === MEASURES[0] && l.noSpecificPath) return [];
        const value = (p: (typeof l.pairs)[number]) => (measure === MEASURES[0] ? (p.jaccard ?? 0) : p.cosine);
        if (many) return [{ layer: l.name, series: 'mean over class pairs', measure, seed: run.seed, value: l.pairs.reduce((s, p) => s + value(p), 0) / l.pairs.length }];
        return l.pairs.map((p) => ({ layer: l.name, series: `${className(r, p.a)} vs ${className(r, p.b)}`, measure, seed: run.seed, value: value(p) }));
      });
    }),
  );
}

/** The largest permutation p over seeds at each hidden layer: the weakest evidence. */
const worstP = (r: Result, i: number) => Math.max(...r.runs.map((run) => run.layers[i].permutation?.p ?? NaN));

export const specificOverlap: FigureDef = {
  name: 'specific-overlap',
  title: 'How different are the class signatures?',
  applies: (r) => hiddenIndices(r).length > 0,
  caption: (r) => {
    const ps = hiddenIndices(r).map((i) => worstP(r, i)).filter(Number.isFinite);
    const perm = ps.length
      ? ` Above each layer, the p-value of a permutation test of the between-class scatter of the held-out test inputs against ${r.spec.analysis.permutations} label shuffles (largest over seeds: ${Math.max(...ps).toFixed(3)} at worst; ${(1 / (r.spec.analysis.permutations + 1)).toFixed(3)}, 1/(shuffles + 1), is the smallest it can be).`
      : '';
    const pcaLayers = r.runs[0].layers.filter((l) => l.noSpecificPath).map((l) => l.name);
    const pcaNote = pcaLayers.length ? ` ${pcaLayers.join(', ')}: no Jaccard overlap, since ${pcaLayers.length > 1 ? 'their' : 'its'} units are principal components, which have no specific path.` : '';
    return (
      `Per hidden layer and pair of trained classes: the Jaccard overlap of their specific paths (0 = no neuron shared) and the cosine distance between their mean activations (0 = same direction). ` +
      `${intervalNote(r)}.${perm}${pcaNote}`
    );
  },
  rows: (r) => {
    const seeds = perSeed(r);
    const keys = [...new Set(seeds.map((d) => `${d.layer}\u0000${d.series}\u0000${d.measure}`))];
    return keys.map((key) => {
      const [layer, pair, measure] = key.split('\u0000');
      const s = across(seeds.filter((d) => d.layer === layer && d.series === pair && d.measure === measure).map((d) => d.value), measure === MEASURES[0] ? 'jaccard' : 'cosine');
      const p = worstP(r, r.runs[0].layers.findIndex((l) => l.name === layer));
      return { layer, pair, measure, mean: s.mean, low: s.low, high: s.high, permutationP: Number.isFinite(p) ? p : null };
    });
  },
  key: (r) => {
    const pairs = [...new Set(specificOverlap.rows(r).map((d) => String(d.pair)))];
    const colors = seriesScale(pairs);
    return { items: pairs.map((p, i) => ({ label: p, color: colors.range[i], shape: 'line' as const })) };
  },
  plot: (r, rows) => {
    const layers = hiddenIndices(r).map((i) => r.runs[0].layers[i].name);
    const pairs = [...new Set(rows.map((d) => String(d.pair)))];
    const colors = seriesScale(pairs);
    const points = rows.map((d) => ({ ...d, series: d.pair })) as SeriesPoint[];
    const top = Math.max(1, ...points.map((d) => d.high), ...perSeed(r).map((d) => d.value));
    const perm = hiddenIndices(r)
      .map((i) => ({ layer: r.runs[0].layers[i].name, p: worstP(r, i) }))
      .filter((d) => Number.isFinite(d.p));
    return {
      width: Math.max(640, 120 + 2 * (60 + 70 * layers.length)),
      height: 320,
      marginTop: 40,
      marginLeft: 56,
      marginRight: 20,
      x: { type: 'point', domain: layers, label: 'Hidden layer', padding: 0.3 },
      y: { label: 'Jaccard index · cosine distance', domain: [0, top], grid: true },
      fx: { domain: [...MEASURES], label: null, padding: 0.12 },
      color: colors,
      marks: [
        Plot.frame({ strokeOpacity: 0.25 }),
        ...layerCurveMarks(points, perSeed(r), { fx: 'measure' }),
        Plot.text(perm, { x: 'layer', fx: () => MEASURES[0], frameAnchor: 'top', dy: -8, text: (d) => `p ≤ ${d.p.toFixed(3)}` }),
      ],
    };
  },
};
