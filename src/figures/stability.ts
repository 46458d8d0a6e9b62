import { AGREEMENT } from '../analysis/stability.ts';
import type { Result } from '../results/schema.ts';
import { layerCurveMarks, seriesKey, type SeriesPoint } from './marks.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef } from './types.ts';

const MEASURES = AGREEMENT.map((m) => ({ key: m.key, name: m.label }));
const COLORS = seriesScale(MEASURES.map((m) => m.name));

const pairs = (r: Result) => (r.runs.length * (r.runs.length - 1)) / 2;

export const seedStability: FigureDef = {
  name: 'seed-stability',
  title: 'Do models trained from different seeds agree?',
  applies: (r) => r.runs.length >= 2 && r.stability.length > 0,
  caption: (r) => {
    const last = r.stability[r.stability.length - 1];
    return (
      `Per layer, agreement between the models of every pair of the ${r.runs.length} seeds (${pairs(r)} pairs) on the trained classes' inputs: adjusted Rand index of their k-means clusters and of their paths up to that layer, share of inputs in clusters matched one to one, and linear CKA of the activations, which can agree while the clusterings do not. ` +
      `Lines are means over pairs, dots the pairs; ${r.runs.length >= 3 ? "bands are 95 % intervals by the jackknife over seeds (pairs share seeds, so pairs are not resampled), on a scale that keeps them inside each measure's bounds" : 'with two seeds there is one pair, so no interval'}. At ${last.layer}: cluster ARI ${last.clusterAri.mean.toFixed(2)}, CKA ${last.cka.mean.toFixed(2)}.`
    );
  },
  rows: (r) =>
    r.stability.flatMap((s) =>
      MEASURES.map((m) => ({ layer: s.layer, measure: m.name, mean: s[m.key].mean, low: s[m.key].interval?.[0] ?? s[m.key].mean, high: s[m.key].interval?.[1] ?? s[m.key].mean, interval: s[m.key].method, pairs: s[m.key].values.length })),
    ),
  plot: (r, rows) => {
    const points = rows.map((d) => ({ ...d, series: d.measure })) as SeriesPoint[];
    const seeds = r.stability.flatMap((s) => MEASURES.flatMap((m) => s[m.key].values.map((value) => ({ layer: s.layer, series: m.name, value }))));
    const lowest = Math.min(0, ...seeds.map((d) => d.value), ...points.map((d) => d.low));
    return {
      height: 300,
      marginTop: 34,
      marginLeft: 56,
      x: { type: 'point', domain: r.stability.map((s) => s.layer), label: 'Layer', padding: 0.3 },
      y: { label: 'Agreement between seeds (1 = identical)', domain: [lowest, 1], grid: true },
      color: COLORS,
      marks: [...layerCurveMarks(points, seeds), ...seriesKey(MEASURES.map((m, i) => ({ label: m.name, color: COLORS.range[i] })), { dy: -22 })],
    };
  },
};
