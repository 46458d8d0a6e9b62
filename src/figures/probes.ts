import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { className, pctIn, say, storedRow } from './labels.ts';
import { classScale } from './palette.ts';
import { classKey } from './key.ts';
import type { FigureDef } from './types.ts';

const probeLabels = (r: Result) => r.runs[0].probes.filter((p) => p.count > 0).map((p) => p.label);

export const probePredictions: FigureDef = {
  name: 'probe-predictions',
  explore: (r) => `#seed=${r.seeds[0]}&probes=1`,
  title: { en: 'What the model predicts for unseen classes', fr: 'Ce que le modèle prédit pour les classes inconnues' },
  applies: (r) => probeLabels(r).length > 0,
  caption: (r, lang) => {
    const probes = probeLabels(r)
      .map((l) => className(r, l))
      .join(', ');
    if (lang === 'fr') {
      const spread =
        r.runs.length > 1
          ? `les barres sont les moyennes des modèles des ${r.runs.length} graines, les moustaches leurs intervalles à 95\u202F% (jackknife sur les graines, échelle logit), les points les graines`
          : 'les moustaches sont des intervalles de Wilson à 95\u202F%';
      return `Part des entrées inconnues (${probes}, jamais vues à l’entraînement) que le modèle attribue à chaque classe entraînée\u202F; ${spread}. Le modèle doit choisir une classe entraînée\u00A0: il n’a pas de «\u00A0aucune de celles-ci\u00A0».`;
    }
    const spread =
      r.runs.length > 1
        ? `bars are means over ${r.runs.length} seeds' models, whiskers their 95 % intervals (jackknife over seeds, logit scale), dots the seeds`
        : 'whiskers are 95 % Wilson intervals';
    return `Share of the unseen inputs (${probes}, never seen in training) that the model assigns to each trained class; ${spread}. The model must choose a trained class: it has no "none of these".`;
  },
  rows: (r) =>
    probeLabels(r).flatMap((label) => {
      const perSeed = r.runs.map((s) => s.probes.find((p) => p.label === label)!);
      return r.dataset.classes.map((c) => {
        const s = storedRow(r, 'predictedShare', { probe: label, class: c })!;
        return {
          probe: className(r, label),
          predicted: className(r, c),
          share: s.mean,
          low: s.low,
          high: s.high,
          interval: s.method,
          n: perSeed[0].count,
          seeds: r.runs.length,
        };
      });
    }),
  plot: (r, rows, lang) => {
    const probes = probeLabels(r).map((l) => className(r, l));
    const row = (d: { predicted: unknown }) => `${say(lang, 'predicted', 'prédite')} ${d.predicted}`;
    const seeds =
      r.runs.length > 1
        ? probeLabels(r).flatMap((label) =>
            r.runs.flatMap((s) =>
              s.probes.find((p) => p.label === label)!.predicted.map((q) => ({ probe: className(r, label), predicted: className(r, q.label), share: q.share })),
            ),
          )
        : [];
    return {
      height: 40 + probes.length * (30 + 34 * r.dataset.classes.length),
      marginLeft: 110,
      marginRight: 70,
      x: { label: say(lang, 'Share of unseen inputs (%)', 'Part des entrées inconnues (%)'), percent: true, domain: [0, 100], grid: true },
      y: { label: null, type: 'band', domain: r.dataset.classes.map((c) => row({ predicted: className(r, c) })), padding: 0.2 },
      fy: { label: null, domain: probes, tickFormat: (p: string) => `${say(lang, 'unseen:', 'inconnue\u00A0:')} ${p}` },
      color: classScale(r.dataset.classes, (l) => className(r, l)),
      marks: [
        Plot.barX(rows, { x: 'share', y: row, fy: 'probe', fill: 'predicted' }),
        Plot.ruleY(rows, { x1: 'low', x2: 'high', y: row, fy: 'probe', stroke: 'currentColor', strokeWidth: 1.5 }),
        Plot.dot(seeds, { x: 'share', y: row, fy: 'probe', r: 2, fill: 'currentColor', fillOpacity: 0.6 }),
        // The share in a column of its own right of the frame: never over a bar, a whisker or a seed's dot.
        Plot.text(rows, { x: 100, y: row, fy: 'probe', text: (d) => pctIn(Number(d.share), lang), textAnchor: 'start', dx: 8, fontWeight: 'bold' }),
      ],
    };
  },
  key: (r, lang) => classKey(r, r.dataset.classes, lang),
};
