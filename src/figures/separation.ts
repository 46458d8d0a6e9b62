import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { statisticOf } from '../analysis/catalogue.ts';
import { className, intervalNote, pct, storedRow } from './labels.ts';
import { layerCurveMarks, seriesKey, type SeriesPoint } from './marks.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef } from './types.ts';

// The three statistics question 1 stands on, by catalogue id.
const IDS = ['probeAccuracy', 'knnAccuracy', 'nmiAtClasses'];
const STATISTICS = IDS.map((id) => statisticOf(id).label);
const COLORS = seriesScale(STATISTICS);

const layerNames = (r: Result) => r.runs[0].layers.map((l) => l.name);
const curvesOf = (r: Result) =>
  layerNames(r).flatMap((layer) =>
    IDS.flatMap((id) => {
      const row = storedRow(r, id, { layer });
      const values = r.statistics.find((s) => s.statistic === id && s.layer === layer)?.value.values ?? [];
      return row ? [{ layer, statistic: statisticOf(id).label, ...row, values }] : [];
    }),
  );
const answerOf = (r: Result) => r.answers.find((a) => a.question === 'separation');

export const separation: FigureDef = {
  name: 'separation',
  title: 'From which layer are the classes separated?',
  applies: (r) => curvesOf(r).length > 0,
  caption: (r) => {
    const { separationThreshold, nmiThreshold } = r.spec.analysis;
    const a = answerOf(r);
    const classes = r.dataset.classes.map((l) => className(r, l)).join(', ');
    const named = a?.layer && a.value >= separationThreshold ? `The highlighted layer, ${a.layer}, is the first whose mean probe accuracy reaches the threshold (${pct(a.value)}).` : 'No layer reaches the threshold.';
    return (
      `Per layer, how well the classes ${classes} separate: test accuracy of a linear probe (L2-regularised logistic regression, C = 1, fitted to convergence by L-BFGS on the standardised activations) and of a ${r.spec.analysis.neighbours}-nearest-neighbour classifier, and the NMI between k-means clusters at k = ${r.dataset.classes.length} and the labels. ` +
      `The dashed rules are question 1's thresholds: ${pct(separationThreshold)} probe accuracy and NMI ${nmiThreshold}. ${named} ${intervalNote(r)}.`
    );
  },
  rows: (r) => {
    const names = layerNames(r);
    return curvesOf(r)
      .map((c) => ({ layer: c.layer, position: names.indexOf(c.layer), statistic: c.statistic, mean: c.mean, low: c.low, high: c.high, interval: c.method, seeds: c.values.length }))
      .sort((a, b) => a.position - b.position || STATISTICS.indexOf(a.statistic) - STATISTICS.indexOf(b.statistic));
  },
  plot: (r, rows) => {
    const { separationThreshold, nmiThreshold } = r.spec.analysis;
    // The probe accuracy, which question 1 reads, is drawn last: on top.
    const points = rows.map((d) => ({ ...d, series: d.statistic })).sort((a, b) => STATISTICS.indexOf(String(b.series)) - STATISTICS.indexOf(String(a.series))) as SeriesPoint[];
    const seeds = curvesOf(r).flatMap((c) => c.values.map((value) => ({ layer: c.layer, series: c.statistic, value })));
    const lowest = Math.min(nmiThreshold, separationThreshold, ...points.map((d) => d.low), ...seeds.map((d) => d.value));
    const a = answerOf(r);
    const layer = a && a.value >= separationThreshold ? a.layer : null;
    return {
      height: 300,
      marginTop: 34,
      marginLeft: 56,
      marginRight: 100,
      x: { type: 'point', domain: layerNames(r), label: 'Layer', padding: 0.3 },
      y: { label: 'Test accuracy (share) · NMI (0–1)', domain: [Math.max(0, Math.floor(10 * lowest - 0.5) / 10), 1], grid: true },
      color: COLORS,
      marks: [
        ...(layer ? [Plot.ruleX([layer], { stroke: '#0077BB', strokeOpacity: 0.12, strokeWidth: 40 }), Plot.text([layer], { x: (d) => d, frameAnchor: 'bottom', dy: -6, text: () => 'Q1', fontWeight: 'bold' })] : []),
        Plot.ruleY([separationThreshold], { stroke: COLORS.range[0], strokeDasharray: '4,4' }),
        Plot.text([separationThreshold], { y: (d) => d, frameAnchor: 'right', textAnchor: 'start', dx: 6, text: (d) => `probe ≥ ${pct(d, 0)}`, fill: COLORS.range[0] }),
        Plot.ruleY([nmiThreshold], { stroke: COLORS.range[2], strokeDasharray: '4,4' }),
        Plot.text([nmiThreshold], { y: (d) => d, frameAnchor: 'right', textAnchor: 'start', dx: 6, text: (d) => `NMI ≥ ${d}`, fill: COLORS.range[2] }),
        ...layerCurveMarks(points, seeds),
        ...seriesKey(STATISTICS.map((s, i) => ({ label: s, color: COLORS.range[i] })), { dy: -22 }),
      ],
    };
  },
};
