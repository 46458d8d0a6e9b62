import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { SCORE_LABELS } from '../analysis/catalogue.ts';
import { SCORES } from '../analysis/scores.ts';
import { className, intervalNote, storedRow } from './labels.ts';
import { layerCurveMarks, seriesKey, type SeriesPoint } from './marks.ts';
import { classScale, seriesScale } from './palette.ts';
import { classKey } from './key.ts';
import type { FigureDef, Row } from './types.ts';

const scoreName = (r: Result, s: string) => (s === 'knn' ? `${r.spec.analysis.neighbours}th-neighbour distance` : (SCORE_LABELS[s as keyof typeof SCORE_LABELS] ?? s));
const scoreColors = (r: Result) => seriesScale(SCORES.map((s) => scoreName(r, s)));
const BASELINES = [
  { key: 'msp', name: 'max softmax', dash: '6,3', glyph: '– –' },
  { key: 'energy', name: 'energy', dash: '9,3,2,3', glyph: '–·–' },
  { key: 'pathRarity', name: 'path rarity', dash: '2,3', glyph: '···' },
] as const;

const probeLabels = (r: Result) => r.dataset.probes.filter((p) => r.runs[0].layers.some((l) => l.ood.some((o) => o.probe === p)));
const layerNames = (r: Result) => r.runs[0].layers.map((l) => l.name);
const probeScale = (r: Result) => classScale(probeLabels(r), (l) => className(r, l));
const curves = (r: Result) => r.runs[0].oodCurves.filter((c) => c.roc.length > 0 || c.histogram.length > 0);
const seedNote = (r: Result) => (r.runs.length > 1 ? ` (seed ${r.runs[0].seed}'s model, the first of ${r.runs.length})` : '');

export const oodAuc: FigureDef = {
  name: 'ood-auc',
  title: 'Which layer tells an unseen class apart?',
  applies: (r) => probeLabels(r).length > 0,
  caption: (r) => {
    const a = r.answers.find((x) => x.question === 'unseen');
    const tied = a?.comparisons?.filter((c) => !c.distinguishable).map((c) => `the ${scoreName(r, c.score)} at ${c.layer}`) ?? [];
    const answer = a?.layer ? ` Question 3 reads the highest of them (${a.unit}): ${a.value.toFixed(3)}${tied.length ? `, not distinguishable, paired over the same inputs, from ${tied.join(' or ')}` : ''}.` : '';
    return (
      `Per layer, how well each out-of-distribution score tells the probes (${probeLabels(r).map((l) => className(r, l)).join(', ')}) from the trained classes' test inputs, as ROC AUC (0.5 = chance, 1 = perfect): the Mahalanobis distance to the nearest class mean with a shared covariance shrunk by Ledoit–Wolf (Lee et al. 2018), the relative Mahalanobis distance (Ren et al. 2021), the distance to the ${r.spec.analysis.neighbours}th nearest training input (Sun et al. 2022) and to the nearest class centroid. ` +
      `Dashed rules are whole-model baselines: the maximum softmax probability, the energy score of the logits (Liu et al. 2020) and the rarity of the input's cluster path in training. ${intervalNote(r)}; on the raw input, which every seed shares, and with one seed, intervals are DeLong's over inputs.${answer}`
    );
  },
  rows: (r) =>
    probeLabels(r).flatMap((probe) => [
      ...r.runs[0].layers.flatMap((l, i) =>
        SCORES.map((score) => {
          const s = storedRow(r, `auc:${score}`, { layer: l.name, probe }) ?? { mean: NaN, low: NaN, high: NaN, method: 'none' };
          return { probe: className(r, probe), layer: l.name, score: scoreName(r, score), mean: s.mean, low: s.low, high: s.high, interval: s.method };
        }),
      ),
      ...BASELINES.map((b) => {
        const s = storedRow(r, `auc:${b.key}`, { probe }) ?? { mean: NaN, low: NaN, high: NaN, method: 'none' };
        return { probe: className(r, probe), layer: 'whole model', score: b.name, mean: s.mean, low: s.low, high: s.high, interval: s.method };
      }),
    ]).filter((d) => Number.isFinite(d.mean)),
  plot: (r, rows) => {
    const colors = scoreColors(r);
    const probes = probeLabels(r).map((l) => className(r, l));
    const layered = rows.filter((d) => d.layer !== 'whole model');
    const baselines = rows.filter((d) => d.layer === 'whole model');
    const points = layered.map((d) => ({ ...d, series: d.score })) as SeriesPoint[];
    const seeds = probeLabels(r).flatMap((probe) =>
      r.runs.flatMap((run) => run.layers.flatMap((l) => l.ood.filter((o) => o.probe === probe).map((o) => ({ probe: className(r, probe), layer: l.name, series: scoreName(r, o.score), value: o.auc })))),
    );
    const lowest = Math.min(0.5, ...points.map((d) => d.low), ...baselines.map((d) => Number(d.mean)), ...seeds.map((d) => d.value));
    return {
      width: Math.max(480, 60 + probes.length * (70 + 60 * layerNames(r).length)),
      height: 320,
      marginTop: 44,
      marginLeft: 56,
      marginBottom: 50,
      x: { type: 'point', domain: layerNames(r), label: 'Layer', padding: 0.3, tickRotate: layerNames(r).length > 5 ? -30 : 0 },
      y: { label: 'ROC AUC (0.5 = chance)', domain: [Math.floor(10 * lowest) / 10, 1], grid: true },
      fx: { domain: probes, label: null, tickFormat: (p: string) => `probe: ${p}` },
      color: colors,
      marks: [
        Plot.ruleY([0.5], { stroke: 'currentColor', strokeOpacity: 0.4 }),
        ...BASELINES.map((b) => Plot.ruleY(baselines.filter((d) => d.score === b.name), { y: 'mean', fx: 'probe', stroke: 'currentColor', strokeDasharray: b.dash, strokeOpacity: 0.8 })),
        ...layerCurveMarks(points, seeds, { fx: 'probe' }),
        Plot.text(baselines, { y: 'mean', fx: 'probe', frameAnchor: 'left', textAnchor: 'start', dx: 4, dy: -6, text: (d: Row) => `${d.score} ${Number(d.mean).toFixed(2)}`, fill: 'currentColor', stroke: 'var(--plot-background, white)', strokeWidth: 3, fontSize: 9 }),
        ...seriesKey([...colors.domain.map((s, i) => ({ label: s, color: colors.range[i] })), ...BASELINES.map((b) => ({ label: b.name, color: 'currentColor', glyph: b.glyph }))], { dy: -32 }),
      ],
    };
  },
};

export const oodRoc: FigureDef = {
  name: 'ood-roc',
  title: 'ROC curves of the out-of-distribution scores',
  applies: (r) => curves(r).some((c) => c.roc.length > 0),
  caption: (r) =>
    `For each layer (columns) and probe class (rows), the share of probes flagged (true-positive rate) against the share of the trained classes' test inputs wrongly flagged (false-positive rate) as the threshold on each score moves${seedNote(r)}. The diagonal is chance; the number in each panel is the score's area under the curve.`,
  rows: (r) => curves(r).flatMap((c) => c.roc.map((p) => ({ layer: c.layer, probe: className(r, c.probe), score: scoreName(r, c.score), auc: c.auc, fpr: p.fpr, tpr: p.tpr }))),
  plot: (r, rows) => {
    const colors = scoreColors(r);
    const layers = layerNames(r).filter((l) => rows.some((d) => d.layer === l));
    const probes = probeLabels(r).map((l) => className(r, l)).filter((p) => rows.some((d) => d.probe === p));
    const labels = curves(r).map((c) => ({ layer: c.layer, probe: className(r, c.probe), score: scoreName(r, c.score), auc: c.auc, i: SCORES.indexOf(c.score as (typeof SCORES)[number]) }));
    return {
      width: 70 + layers.length * 130,
      height: 90 + probes.length * 130,
      marginTop: 44,
      marginLeft: 56,
      marginRight: 130,
      x: { domain: [0, 1], label: 'False-positive rate (test inputs flagged)', ticks: [0, 0.5, 1], tickFormat: '~g' },
      y: { domain: [0, 1], label: 'True-positive rate (probes flagged)', ticks: [0, 0.5, 1], tickFormat: '~g' },
      fx: { domain: layers, label: null, padding: 0.15 },
      fy: { domain: probes, label: null, tickFormat: (p: string) => `probe: ${p}` },
      color: colors,
      marks: [
        Plot.frame({ strokeOpacity: 0.3 }),
        Plot.line([[0, 0], [1, 1]], { stroke: 'currentColor', strokeOpacity: 0.4, strokeDasharray: '3,3' }),
        Plot.line(rows, { x: 'fpr', y: 'tpr', z: 'score', stroke: 'score', fx: 'layer', fy: 'probe', strokeWidth: 1.5 }),
        ...SCORES.map((_, i) => Plot.text(labels.filter((d) => d.i === i), { fx: 'layer', fy: 'probe', frameAnchor: 'bottom-right', dx: -3, dy: -3 - 11 * (SCORES.length - 1 - i), text: (d) => d.auc.toFixed(2), fill: 'score', fontSize: 9 })),
        ...seriesKey(colors.domain.map((s, i) => ({ label: s, color: colors.range[i] })), { dy: -32 }),
      ],
    };
  },
};

export const oodHistograms: FigureDef = {
  name: 'ood-histograms',
  title: 'Score distributions: test inputs against probes',
  applies: (r) => curves(r).some((c) => c.histogram.length > 0),
  caption: (r) =>
    `For each layer (columns), score and probe class (rows), the distribution of the out-of-distribution score over the trained classes' test inputs (grey) and over the probes (in the probe's colour), each as a share of its group${seedNote(r)}. ` +
    `Scores have no common unit, so each panel's axis runs from its lowest score (0) to its 99th percentile (1); the top 1 % fall in the last bin. Farther right is farther from the training data; the less the two overlap, the higher the AUC.`,
  rows: (r) =>
    curves(r).flatMap((c) => c.histogram.map((h) => ({ layer: c.layer, probe: className(r, c.probe), score: scoreName(r, c.score), group: h.group, x0: h.x0, x1: h.x1, share: h.share }))),
  plot: (r, rows) => {
    const layers = layerNames(r).filter((l) => rows.some((d) => d.layer === l));
    const panel = (d: Row) => `${d.probe} · ${d.score}`;
    const panels = probeLabels(r).flatMap((p) => SCORES.map((s) => `${className(r, p)} · ${scoreName(r, s)}`)).filter((p) => rows.some((d) => panel(d) === p));
    // Rescaled per panel: distances of different layers and scores share no unit.
    const range = new Map<string, [number, number]>();
    for (const d of rows) {
      const key = `${d.layer} ${panel(d)}`;
      const [lo, hi] = range.get(key) ?? [Infinity, -Infinity];
      range.set(key, [Math.min(lo, Number(d.x0)), Math.max(hi, Number(d.x1))]);
    }
    const scaled = rows.map((d) => {
      const [lo, hi] = range.get(`${d.layer} ${panel(d)}`)!;
      return { ...d, group: d.group, panel: panel(d), u0: (Number(d.x0) - lo) / (hi - lo || 1), u1: (Number(d.x1) - lo) / (hi - lo || 1) };
    });
    return {
      width: 200 + layers.length * 120,
      height: 60 + panels.length * 64,
      marginLeft: 50,
      marginRight: 200,
      marginBottom: 40,
      x: { domain: [0, 1], label: 'Score, rescaled per panel (0 = lowest, 1 = 99th percentile)', ticks: [0, 1], tickFormat: '~g' },
      y: { label: 'Share (%)', percent: true, ticks: 2 },
      fx: { domain: layers, label: null, padding: 0.12 },
      fy: { domain: panels, label: null },
      color: probeScale(r),
      marks: [
        Plot.rectY(scaled.filter((d) => d.group === 'test'), { x1: 'u0', x2: 'u1', y: 'share', fx: 'layer', fy: 'panel', fill: 'currentColor', fillOpacity: 0.3 }),
        Plot.rectY(scaled.filter((d) => d.group === 'probe'), { x1: 'u0', x2: 'u1', y: 'share', fx: 'layer', fy: 'panel', fill: 'probe', fillOpacity: 0.6 }),
        Plot.ruleY([0], { strokeOpacity: 0.4 }),
      ],
    };
  },
  key: (r) => ({ items: [{ label: "trained classes' test inputs", color: '#999', shape: 'square' }, ...classKey(r, probeLabels(r)).items!] }),
};
