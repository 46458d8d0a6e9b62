import { AGREEMENT } from '../analysis/agreement.ts';
import type { Lang } from '../i18n/index.ts';
import type { Result } from '../results/schema.ts';
import { dec, layerIn, say } from './labels.ts';
import { layerCurveMarks, seriesKey, type SeriesPoint } from './marks.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef } from './types.ts';

const FR: Record<string, string> = {
  'cluster ARI': 'ARI des clusters',
  'path ARI': 'ARI des chemins de clusters',
  'matched cluster overlap': 'recouvrement des clusters appariés',
  'linear CKA': 'CKA linéaire',
};
const MEASURES = (lang: Lang) => AGREEMENT.map((m) => ({ key: m.key, name: lang === 'fr' ? FR[m.label] : m.label }));
const COLORS = (lang: Lang) => seriesScale(MEASURES(lang).map((m) => m.name));

const pairs = (r: Result) => (r.runs.length * (r.runs.length - 1)) / 2;

export const seedStability: FigureDef = {
  name: 'seed-stability',
  title: { en: 'Do models trained from different seeds agree?', fr: 'Les modèles entraînés à partir de graines différentes s’accordent-ils\u202F?' },
  applies: (r) => r.runs.length >= 2 && r.stability.length > 0,
  caption: (r, lang) => {
    const last = r.stability[r.stability.length - 1];
    if (lang === 'fr')
      return (
        `Par couche, accord entre les modèles de chaque paire des ${r.runs.length} graines (${pairs(r)} paires) sur les entrées des classes entraînées\u00A0: indice de Rand ajusté de leurs clusters k-means et de leurs chemins de clusters jusqu’à cette couche, part des entrées dans des clusters appariés un à un, et CKA linéaire des activations, qui peut s’accorder quand les regroupements divergent. ` +
        `Les lignes sont les moyennes sur les paires, les points les paires\u202F; ${r.runs.length >= 3 ? 'les bandes sont des intervalles à 95\u202F% par jackknife sur les graines (les paires partagent des graines, elles ne sont donc pas rééchantillonnées), sur une échelle qui les garde dans les bornes de chaque mesure' : 'avec deux graines il y a une seule paire, donc pas d’intervalle'}. À ${layerIn(last.layer, lang)}\u00A0: ARI des clusters ${dec(last.clusterAri.mean, 2, lang)}, CKA ${dec(last.cka.mean, 2, lang)}.`
      );
    return (
      `Per layer, agreement between the models of every pair of the ${r.runs.length} seeds (${pairs(r)} pairs) on the trained classes' inputs: adjusted Rand index of their k-means clusters and of their cluster paths up to that layer, share of inputs in clusters matched one to one, and linear CKA of the activations, which can agree while the clusterings do not. ` +
      `Lines are means over pairs, dots the pairs; ${r.runs.length >= 3 ? "bands are 95 % intervals by the jackknife over seeds (pairs share seeds, so pairs are not resampled), on a scale that keeps them inside each measure's bounds" : 'with two seeds there is one pair, so no interval'}. At ${last.layer}: cluster ARI ${last.clusterAri.mean.toFixed(2)}, CKA ${last.cka.mean.toFixed(2)}.`
    );
  },
  rows: (r, lang) =>
    r.stability.flatMap((s) =>
      MEASURES(lang).map((m) => ({
        layer: s.layer,
        measure: m.name,
        mean: s[m.key].mean,
        low: s[m.key].interval?.[0] ?? s[m.key].mean,
        high: s[m.key].interval?.[1] ?? s[m.key].mean,
        interval: s[m.key].method,
        pairs: s[m.key].values.length,
      })),
    ),
  plot: (r, rows, lang) => {
    const colors = COLORS(lang);
    const measures = MEASURES(lang);
    const points = rows.map((d) => ({ ...d, series: d.measure })) as SeriesPoint[];
    const seeds = r.stability.flatMap((s) => measures.flatMap((m) => s[m.key].values.map((value) => ({ layer: s.layer, series: m.name, value }))));
    const lowest = Math.min(0, ...seeds.map((d) => d.value), ...points.map((d) => d.low));
    return {
      height: 300,
      marginTop: 34,
      marginLeft: 56,
      x: { type: 'point', domain: r.stability.map((s) => s.layer), label: say(lang, 'Layer', 'Couche'), padding: 0.3 },
      y: { label: say(lang, 'Agreement between seeds (1 = identical)', 'Accord entre graines (1 = identiques)'), domain: [lowest, 1], grid: true },
      color: colors,
      marks: [
        ...layerCurveMarks(points, seeds),
        ...seriesKey(
          measures.map((m, i) => ({ label: m.name, color: colors.range[i] })),
          { dy: -22 },
        ),
      ],
    };
  },
};
