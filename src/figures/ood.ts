import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { SCORE_LABELS } from '../analysis/catalogue.ts';
import { SCORES } from '../analysis/scores.ts';
import { className, dec, intervalNote, type Lang, layerIn, say, storedRow } from './labels.ts';
import { layerCurveMarks, seriesKey, type SeriesPoint } from './marks.ts';
import { classScale, seriesScale } from './palette.ts';
import { classKey } from './key.ts';
import type { FigureDef, Row } from './types.ts';

const scoreName = (r: Result, s: string, lang: Lang) =>
  s === 'knn'
    ? say(lang, `${r.spec.analysis.neighbours}th-neighbour distance`, `distance au ${r.spec.analysis.neighbours}e voisin`)
    : (SCORE_LABELS[s as keyof typeof SCORE_LABELS]?.[lang] ?? s);
const scoreColors = (r: Result, lang: Lang) => seriesScale(SCORES.map((s) => scoreName(r, s, lang)));
const BASELINE_LIST = [
  { key: 'msp', name: ['max softmax', 'softmax max.'], dash: '6,3', glyph: '– –' },
  { key: 'energy', name: ['energy', 'énergie'], dash: '9,3,2,3', glyph: '–·–' },
  { key: 'pathRarity', name: ['cluster-path rarity', 'rareté du chemin'], dash: '2,3', glyph: '···' },
] as const;
const baselinesIn = (lang: Lang) => BASELINE_LIST.map((b) => ({ ...b, name: say(lang, b.name[0], b.name[1]) }));
const WHOLE = 'whole model';

const probeLabels = (r: Result) => r.dataset.probes.filter((p) => r.runs[0].layers.some((l) => l.ood.some((o) => o.probe === p)));
const layerNames = (r: Result) => r.runs[0].layers.map((l) => l.name);
const probeScale = (r: Result) => classScale(probeLabels(r), (l) => className(r, l));
const curves = (r: Result) => r.runs[0].oodCurves.filter((c) => c.roc.length > 0 || c.histogram.length > 0);
const seedNote = (r: Result, lang: Lang) =>
  r.runs.length > 1
    ? say(lang, ` (seed ${r.runs[0].seed}'s model, the first of ${r.runs.length})`, ` (modèle de la graine ${r.runs[0].seed}, la première de ${r.runs.length})`)
    : '';

export const oodAuc: FigureDef = {
  name: 'ood-auc',
  title: { en: 'Which layer tells an unseen class apart?', fr: 'Quelle couche distingue une classe inconnue\u202F?' },
  applies: (r) => probeLabels(r).length > 0,
  caption: (r, lang) => {
    const a = r.answers.find((x) => x.question === 'unseen');
    if (lang === 'fr') {
      const tied = a?.comparisons?.filter((c) => !c.distinguishable).map((c) => `la ${scoreName(r, c.score, lang)} à ${layerIn(c.layer, lang)}`) ?? [];
      const answer = a?.layer
        ? ` La question 3 lit la plus haute (${a.translations.fr.unit})\u00A0: ${dec(a.value, 3, lang)}${tied.length ? `, indiscernable, par appariement sur les mêmes entrées, de ${tied.join(' ou de ')}` : ''}.`
        : '';
      return (
        `Par couche, à quel point chaque score de détection hors distribution distingue les entrées inconnues (${probeLabels(r)
          .map((l) => className(r, l))
          .join(
            ', ',
          )}) des entrées de test des classes entraînées, en AUC ROC (0,5 = hasard, 1 = parfait)\u00A0: la distance de Mahalanobis à la moyenne de classe la plus proche avec une covariance commune rétrécie par Ledoit–Wolf (Lee et al. 2018), la distance de Mahalanobis relative (Ren et al. 2021), la distance à la ${r.spec.analysis.neighbours}e entrée d’entraînement la plus proche (Sun et al. 2022) et au centroïde de classe le plus proche. ` +
        `Les règles en tirets sont des références à l’échelle du modèle entier\u00A0: la probabilité softmax maximale, le score d’énergie des logits (Liu et al. 2020) et la rareté du chemin de clusters de l’entrée à l’entraînement. ${intervalNote(r, lang)}\u202F; sur l’entrée brute, que toutes les graines partagent, et avec une seule graine, les intervalles sont ceux de DeLong sur les entrées.${answer}`
      );
    }
    const tied = a?.comparisons?.filter((c) => !c.distinguishable).map((c) => `the ${scoreName(r, c.score, lang)} at ${c.layer}`) ?? [];
    const answer = a?.layer
      ? ` Question 3 reads the highest of them (${a.unit}): ${a.value.toFixed(3)}${tied.length ? `, not distinguishable, paired over the same inputs, from ${tied.join(' or ')}` : ''}.`
      : '';
    return (
      `Per layer, how well each out-of-distribution score tells the unseen inputs (${probeLabels(r)
        .map((l) => className(r, l))
        .join(
          ', ',
        )}) from the trained classes' test inputs, as ROC AUC (0.5 = chance, 1 = perfect): the Mahalanobis distance to the nearest class mean with a shared covariance shrunk by Ledoit–Wolf (Lee et al. 2018), the relative Mahalanobis distance (Ren et al. 2021), the distance to the ${r.spec.analysis.neighbours}th nearest training input (Sun et al. 2022) and to the nearest class centroid. ` +
      `Dashed rules are whole-model baselines: the maximum softmax probability, the energy score of the logits (Liu et al. 2020) and the rarity of the input's cluster path in training. ${intervalNote(r, lang)}; on the raw input, which every seed shares, and with one seed, intervals are DeLong's over inputs.${answer}`
    );
  },
  rows: (r, lang) =>
    probeLabels(r)
      .flatMap((probe) => [
        ...r.runs[0].layers.flatMap((l, _i) =>
          SCORES.map((score) => {
            const s = storedRow(r, `auc:${score}`, { layer: l.name, probe }) ?? { mean: NaN, low: NaN, high: NaN, method: 'none' };
            return { probe: className(r, probe), layer: l.name, score: scoreName(r, score, lang), mean: s.mean, low: s.low, high: s.high, interval: s.method };
          }),
        ),
        ...baselinesIn(lang).map((b) => {
          const s = storedRow(r, `auc:${b.key}`, { probe }) ?? { mean: NaN, low: NaN, high: NaN, method: 'none' };
          return { probe: className(r, probe), layer: WHOLE, score: b.name, mean: s.mean, low: s.low, high: s.high, interval: s.method };
        }),
      ])
      .filter((d) => Number.isFinite(d.mean)),
  plot: (r, rows, lang) => {
    const colors = scoreColors(r, lang);
    const probes = probeLabels(r).map((l) => className(r, l));
    const layered = rows.filter((d) => d.layer !== WHOLE);
    const baselines = rows.filter((d) => d.layer === WHOLE);
    const points = layered.map((d) => ({ ...d, series: d.score })) as SeriesPoint[];
    const seeds = probeLabels(r).flatMap((probe) =>
      r.runs.flatMap((run) =>
        run.layers.flatMap((l) =>
          l.ood.filter((o) => o.probe === probe).map((o) => ({ probe: className(r, probe), layer: l.name, series: scoreName(r, o.score, lang), value: o.auc })),
        ),
      ),
    );
    const lowest = Math.min(0.5, ...points.map((d) => d.low), ...baselines.map((d) => Number(d.mean)), ...seeds.map((d) => d.value));
    return {
      width: Math.max(480, 60 + probes.length * (70 + 60 * layerNames(r).length)),
      height: 320,
      marginTop: 44,
      marginLeft: 56,
      marginBottom: 50,
      x: { type: 'point', domain: layerNames(r), label: say(lang, 'Layer', 'Couche'), padding: 0.3, tickRotate: layerNames(r).length > 5 ? -30 : 0 },
      y: { label: say(lang, 'ROC AUC (0.5 = chance)', 'AUC ROC (0,5 = hasard)'), domain: [Math.floor(10 * lowest) / 10, 1], grid: true },
      fx: { domain: probes, label: null, tickFormat: (p: string) => `${say(lang, 'unseen:', 'inconnue\u00A0:')} ${p}` },
      color: colors,
      marks: [
        Plot.ruleY([0.5], { stroke: 'currentColor', strokeOpacity: 0.4 }),
        ...baselinesIn(lang).map((b) =>
          Plot.ruleY(
            baselines.filter((d) => d.score === b.name),
            { y: 'mean', fx: 'probe', stroke: 'currentColor', strokeDasharray: b.dash, strokeOpacity: 0.8 },
          ),
        ),
        ...layerCurveMarks(points, seeds, { fx: 'probe' }),
        Plot.text(baselines, {
          y: 'mean',
          fx: 'probe',
          frameAnchor: 'left',
          textAnchor: 'start',
          dx: 4,
          dy: -6,
          text: (d: Row) => `${d.score} ${dec(Number(d.mean), 2, lang)}`,
          fill: 'currentColor',
          stroke: 'var(--plot-background, white)',
          strokeWidth: 3,
          fontSize: 9,
        }),
        ...seriesKey(
          [
            ...colors.domain.map((s, i) => ({ label: s, color: colors.range[i] })),
            ...baselinesIn(lang).map((b) => ({ label: b.name, color: 'currentColor', glyph: b.glyph })),
          ],
          { dy: -32 },
        ),
      ],
    };
  },
};

export const oodRoc: FigureDef = {
  name: 'ood-roc',
  title: { en: 'ROC curves of the out-of-distribution scores', fr: 'Courbes ROC des scores de détection hors distribution' },
  applies: (r) => curves(r).some((c) => c.roc.length > 0),
  caption: (r, lang) =>
    say(
      lang,
      `For each layer (columns) and unseen class (rows), the share of unseen inputs flagged (true-positive rate) against the share of the trained classes' test inputs wrongly flagged (false-positive rate) as the threshold on each score moves${seedNote(r, lang)}. The diagonal is chance; the number in each panel is the score's area under the curve.`,
      `Pour chaque couche (colonnes) et classe inconnue (lignes), la part des entrées inconnues signalées (taux de vrais positifs) contre la part des entrées de test des classes entraînées signalées à tort (taux de faux positifs) quand le seuil de chaque score se déplace${seedNote(r, lang)}. La diagonale est le hasard\u202F; le nombre dans chaque panneau est l’aire sous la courbe du score.`,
    ),
  rows: (r, lang) =>
    curves(r).flatMap((c) =>
      c.roc.map((p) => ({ layer: c.layer, probe: className(r, c.probe), score: scoreName(r, c.score, lang), auc: c.auc, fpr: p.fpr, tpr: p.tpr })),
    ),
  plot: (r, rows, lang) => {
    const colors = scoreColors(r, lang);
    const layers = layerNames(r).filter((l) => rows.some((d) => d.layer === l));
    const probes = probeLabels(r)
      .map((l) => className(r, l))
      .filter((p) => rows.some((d) => d.probe === p));
    const labels = curves(r).map((c) => ({
      layer: c.layer,
      probe: className(r, c.probe),
      score: scoreName(r, c.score, lang),
      auc: c.auc,
      i: SCORES.indexOf(c.score as (typeof SCORES)[number]),
    }));
    return {
      width: 70 + layers.length * 130,
      height: 90 + probes.length * 130,
      marginTop: 44,
      marginLeft: 56,
      marginRight: 130,
      x: {
        domain: [0, 1],
        label: say(lang, 'False-positive rate (test inputs flagged)', 'Taux de faux positifs (entrées de test signalées)'),
        ticks: [0, 0.5, 1],
        tickFormat: '~g',
      },
      y: {
        domain: [0, 1],
        label: say(lang, 'True-positive rate (unseen inputs flagged)', 'Taux de vrais positifs (entrées inconnues signalées)'),
        ticks: [0, 0.5, 1],
        tickFormat: '~g',
      },
      fx: { domain: layers, label: null, padding: 0.15 },
      fy: { domain: probes, label: null, tickFormat: (p: string) => `${say(lang, 'unseen:', 'inconnue\u00A0:')} ${p}` },
      color: colors,
      marks: [
        Plot.frame({ strokeOpacity: 0.3 }),
        Plot.line(
          [
            [0, 0],
            [1, 1],
          ],
          { stroke: 'currentColor', strokeOpacity: 0.4, strokeDasharray: '3,3' },
        ),
        Plot.line(rows, { x: 'fpr', y: 'tpr', z: 'score', stroke: 'score', fx: 'layer', fy: 'probe', strokeWidth: 1.5 }),
        ...SCORES.map((_, i) =>
          Plot.text(
            labels.filter((d) => d.i === i),
            {
              fx: 'layer',
              fy: 'probe',
              frameAnchor: 'bottom-right',
              dx: -3,
              dy: -3 - 11 * (SCORES.length - 1 - i),
              text: (d) => dec(d.auc, 2, lang),
              fill: 'score',
              fontSize: 9,
            },
          ),
        ),
        ...seriesKey(
          colors.domain.map((s, i) => ({ label: s, color: colors.range[i] })),
          { dy: -32 },
        ),
      ],
    };
  },
};

export const oodHistograms: FigureDef = {
  name: 'ood-histograms',
  title: { en: 'Score distributions: test inputs against unseen inputs', fr: 'Distributions des scores\u00A0: entrées de test contre entrées inconnues' },
  applies: (r) => curves(r).some((c) => c.histogram.length > 0),
  caption: (r, lang) =>
    say(
      lang,
      `For each layer (columns), score and unseen class (rows), the distribution of the out-of-distribution score over the trained classes' test inputs (grey) and over the unseen inputs (in their class's colour), each as a share of its group${seedNote(r, lang)}. ` +
        `Scores have no common unit, so each panel's axis runs from its lowest score (0) to its 99th percentile (1); the top 1 % fall in the last bin. Farther right is farther from the training data; the less the two overlap, the higher the AUC.`,
      `Pour chaque couche (colonnes), score et classe inconnue (lignes), la distribution du score de détection hors distribution sur les entrées de test des classes entraînées (gris) et sur les entrées inconnues (couleur de leur classe), chacune en part de son groupe${seedNote(r, lang)}. ` +
        `Les scores n’ont pas d’unité commune\u00A0: l’axe de chaque panneau va du plus petit score (0) à son 99e centile (1)\u202F; le 1\u202F% le plus haut tombe dans la dernière classe. Plus à droite signifie plus loin des données d’entraînement\u202F; moins les deux se recouvrent, plus l’AUC est haute.`,
    ),
  rows: (r, lang) =>
    curves(r).flatMap((c) =>
      c.histogram.map((h) => ({
        layer: c.layer,
        probe: className(r, c.probe),
        score: scoreName(r, c.score, lang),
        group: h.group,
        x0: h.x0,
        x1: h.x1,
        share: h.share,
      })),
    ),
  plot: (r, rows, lang) => {
    const layers = layerNames(r).filter((l) => rows.some((d) => d.layer === l));
    const panel = (d: Row) => `${d.probe} · ${d.score}`;
    const panels = probeLabels(r)
      .flatMap((p) => SCORES.map((s) => `${className(r, p)} · ${scoreName(r, s, lang)}`))
      .filter((p) => rows.some((d) => panel(d) === p));
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
      x: {
        domain: [0, 1],
        label: say(lang, 'Score, rescaled per panel (0 = lowest, 1 = 99th percentile)', 'Score, remis à l’échelle par panneau (0 = minimum, 1 = 99e centile)'),
        ticks: [0, 1],
        tickFormat: '~g',
      },
      y: { label: say(lang, 'Share (%)', 'Part (%)'), percent: true, ticks: 2 },
      fx: { domain: layers, label: null, padding: 0.12 },
      fy: { domain: panels, label: null },
      color: probeScale(r),
      marks: [
        Plot.rectY(
          scaled.filter((d) => d.group === 'test'),
          { x1: 'u0', x2: 'u1', y: 'share', fx: 'layer', fy: 'panel', fill: 'currentColor', fillOpacity: 0.3 },
        ),
        Plot.rectY(
          scaled.filter((d) => d.group === 'probe'),
          { x1: 'u0', x2: 'u1', y: 'share', fx: 'layer', fy: 'panel', fill: 'probe', fillOpacity: 0.6 },
        ),
        Plot.ruleY([0], { strokeOpacity: 0.4 }),
      ],
    };
  },
  key: (r, lang) => ({
    items: [
      { label: say(lang, "trained classes' test inputs", 'entrées de test des classes entraînées'), color: '#999', shape: 'square' },
      ...classKey(r, probeLabels(r), lang).items!,
    ],
  }),
};
