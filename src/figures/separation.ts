import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { labelOf } from '../analysis/catalogue.ts';
import { className, dec, intervalNote, type Lang, layerIn, pctIn, say, storedRow } from './labels.ts';
import { layerCurveMarks, seriesKey, type SeriesPoint } from './marks.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef } from './types.ts';

// The three statistics question 1 stands on, by catalogue id.
const IDS = ['probeAccuracy', 'knnAccuracy', 'nmiAtClasses'];
const STATISTICS = (lang: Lang) => IDS.map((id) => labelOf(id, lang));
const COLORS = (lang: Lang) => seriesScale(STATISTICS(lang));

const layerNames = (r: Result) => r.runs[0].layers.map((l) => l.name);
const curvesOf = (r: Result, lang: Lang = 'en') =>
  layerNames(r).flatMap((layer) =>
    IDS.flatMap((id) => {
      const row = storedRow(r, id, { layer });
      const values = r.statistics.find((s) => s.statistic === id && s.layer === layer)?.value.values ?? [];
      return row ? [{ layer, statistic: labelOf(id, lang), ...row, values }] : [];
    }),
  );
const answerOf = (r: Result) => r.answers.find((a) => a.question === 'separation');

export const separation: FigureDef = {
  name: 'separation',
  title: { en: 'From which layer are the classes separated?', fr: 'À partir de quelle couche les classes sont-elles séparées\u202F?' },
  applies: (r) => curvesOf(r).length > 0,
  caption: (r, lang) => {
    const { separationThreshold, nmiThreshold } = r.spec.analysis;
    const a = answerOf(r);
    const classes = r.dataset.classes.map((l) => className(r, l)).join(', ');
    if (lang === 'fr') {
      const named =
        a?.layer && a.value >= separationThreshold
          ? `La couche surlignée, ${layerIn(a.layer, lang)}, est la première dont l’exactitude moyenne de la sonde linéaire atteint le seuil (${pctIn(a.value, lang)}).`
          : 'Aucune couche n’atteint le seuil.';
      return (
        `Par couche, à quel point les classes ${classes} se séparent\u00A0: exactitude en test d’une sonde linéaire (régression logistique régularisée L2, C = 1, ajustée jusqu’à convergence par L-BFGS sur les activations standardisées) et d’un classifieur à ${r.spec.analysis.neighbours} plus proches voisins, et NMI entre les clusters k-means à k = ${r.dataset.classes.length} et les étiquettes. ` +
        `Les règles en tirets sont les seuils de la question 1\u00A0: ${pctIn(separationThreshold, lang)} d’exactitude de la sonde linéaire et NMI ${dec(nmiThreshold, String(nmiThreshold).split('.')[1]?.length ?? 0, lang)}. ${named} ${intervalNote(r, lang)}.`
      );
    }
    const named =
      a?.layer && a.value >= separationThreshold
        ? `The highlighted layer, ${a.layer}, is the first whose mean linear-probe accuracy reaches the threshold (${pctIn(a.value, lang)}).`
        : 'No layer reaches the threshold.';
    return (
      `Per layer, how well the classes ${classes} separate: test accuracy of a linear probe (L2-regularised logistic regression, C = 1, fitted to convergence by L-BFGS on the standardised activations) and of a ${r.spec.analysis.neighbours}-nearest-neighbour classifier, and the NMI between k-means clusters at k = ${r.dataset.classes.length} and the labels. ` +
      `The dashed rules are question 1's thresholds: ${pctIn(separationThreshold, lang)} linear-probe accuracy and NMI ${nmiThreshold}. ${named} ${intervalNote(r, lang)}.`
    );
  },
  rows: (r, lang) => {
    const names = layerNames(r);
    return curvesOf(r, lang)
      .map((c) => ({
        layer: c.layer,
        position: names.indexOf(c.layer),
        statistic: c.statistic,
        mean: c.mean,
        low: c.low,
        high: c.high,
        interval: c.method,
        seeds: c.values.length,
      }))
      .sort((a, b) => a.position - b.position || STATISTICS(lang).indexOf(a.statistic) - STATISTICS(lang).indexOf(b.statistic));
  },
  plot: (r, rows, lang) => {
    const { separationThreshold, nmiThreshold } = r.spec.analysis;
    const stats = STATISTICS(lang);
    const colors = COLORS(lang);
    // The probe accuracy, which question 1 reads, is drawn last: on top.
    const points = rows
      .map((d) => ({ ...d, series: d.statistic }))
      .sort((a, b) => stats.indexOf(String(b.series)) - stats.indexOf(String(a.series))) as SeriesPoint[];
    const seeds = curvesOf(r, lang).flatMap((c) => c.values.map((value) => ({ layer: c.layer, series: c.statistic, value })));
    const lowest = Math.min(nmiThreshold, separationThreshold, ...points.map((d) => d.low), ...seeds.map((d) => d.value));
    const a = answerOf(r);
    const layer = a && a.value >= separationThreshold ? a.layer : null;
    return {
      height: 300,
      marginTop: 34,
      marginLeft: 56,
      marginRight: 100,
      x: { type: 'point', domain: layerNames(r), label: say(lang, 'Layer', 'Couche'), padding: 0.3 },
      y: {
        label: say(lang, 'Test accuracy (share) · NMI (0–1)', 'Exactitude en test (part) · NMI (0–1)'),
        domain: [Math.max(0, Math.floor(10 * lowest - 0.5) / 10), 1],
        grid: true,
      },
      color: colors,
      marks: [
        ...(layer
          ? [
              Plot.ruleX([layer], { stroke: '#0077BB', strokeOpacity: 0.12, strokeWidth: 40 }),
              Plot.text([layer], { x: (d) => d, frameAnchor: 'bottom', dy: -6, text: () => 'Q1', fontWeight: 'bold' }),
            ]
          : []),
        Plot.ruleY([separationThreshold], { stroke: colors.range[0], strokeDasharray: '4,4' }),
        Plot.text([separationThreshold], {
          y: (d) => d,
          frameAnchor: 'right',
          textAnchor: 'start',
          dx: 6,
          text: (d) => `${say(lang, 'probe', 'sonde')} ≥ ${pctIn(d, lang, 0)}`,
          fill: colors.range[0],
        }),
        Plot.ruleY([nmiThreshold], { stroke: colors.range[2], strokeDasharray: '4,4' }),
        Plot.text([nmiThreshold], {
          y: (d) => d,
          frameAnchor: 'right',
          textAnchor: 'start',
          dx: 6,
          text: (d) => `NMI ≥ ${dec(d, String(d).split('.')[1]?.length ?? 0, lang)}`,
          fill: colors.range[2],
        }),
        ...layerCurveMarks(points, seeds),
        ...seriesKey(
          stats.map((s, i) => ({ label: s, color: colors.range[i] })),
          { dy: -22 },
        ),
      ],
    };
  },
};
