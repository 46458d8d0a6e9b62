import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { className, pctIn, say } from './labels.ts';
import { cellText } from './marks.ts';
import type { FigureDef, Row } from './types.ts';

/** Test-split counts per (actual, predicted), summed over every seed's model. */
function summed(r: Result): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of r.runs)
    for (const c of run.training.confusion) out.set(`${c.actual} ${c.predicted}`, (out.get(`${c.actual} ${c.predicted}`) ?? 0) + c.count);
  return out;
}

export const confusion: FigureDef = {
  name: 'confusion',
  title: { en: 'Confusion matrix on the test split', fr: 'Matrice de confusion sur la partition de test' },
  applies: (r) => r.runs.some((s) => s.training.confusion.length > 0),
  caption: (r, lang) => {
    const rows = confusion.rows(r, lang);
    const total = rows.reduce((s, d) => s + Number(d.count), 0);
    const right = rows.filter((d) => d.actual === d.predicted).reduce((s, d) => s + Number(d.count), 0);
    if (lang === 'fr') {
      const seeds =
        r.runs.length > 1 ? `, additionnés sur les modèles des ${r.runs.length} graines (chacun voit les mêmes ${total / r.runs.length} entrées de test)` : '';
      return `Comment le modèle entraîné classe chaque entrée de test\u00A0: les lignes sont la vraie classe, les colonnes la classe prédite\u202F; chaque case donne le nombre et sa part de la ligne${seeds}. ${pctIn(right / total, lang)} des ${total} prédictions sont justes.`;
    }
    const seeds = r.runs.length > 1 ? `, summed over the ${r.runs.length} seeds' models (each sees the same ${total / r.runs.length} test inputs)` : '';
    return `How the trained model classifies each test input: rows are the true class, columns the predicted one; each cell gives the count and its share of the row${seeds}. ${pctIn(right / total, lang)} of the ${total} predictions are right.`;
  },
  rows: (r) => {
    const counts = summed(r);
    return r.dataset.classes.flatMap((a) => {
      const rowTotal = r.dataset.classes.reduce((s, p) => s + (counts.get(`${a} ${p}`) ?? 0), 0);
      return r.dataset.classes.map((p) => {
        const count = counts.get(`${a} ${p}`) ?? 0;
        return { actual: className(r, a), predicted: className(r, p), count, rowShare: rowTotal ? count / rowTotal : 0 };
      });
    });
  },
  key: (_, lang) => ({ ramp: { label: say(lang, 'Share of the row', 'Part de la ligne'), scheme: 'blues', domain: [0, 1], format: (x) => pctIn(x, lang, 0) } }),
  plot: (r, rows, lang) => {
    const names = r.dataset.classes.map((l) => className(r, l));
    const cell = Math.max(40, Math.min(80, 480 / names.length));
    const text = (d: Row) => `${d.count}\n${pctIn(Number(d.rowShare), lang)}`;
    return {
      width: 90 + names.length * cell,
      height: 70 + names.length * cell,
      marginLeft: 70,
      marginBottom: 50,
      x: { type: 'band', domain: names, label: say(lang, 'Predicted class', 'Classe prédite'), padding: 0.03 },
      y: { type: 'band', domain: names, label: say(lang, 'Actual class', 'Vraie classe'), padding: 0.03 },
      color: { type: 'linear', scheme: 'blues', domain: [0, 1], label: say(lang, 'Share of the row', 'Part de la ligne') },
      marks: [
        Plot.cell(rows, {
          x: 'predicted',
          y: 'actual',
          fill: 'rowShare',
          title: (d) =>
            `${say(lang, 'actual', 'vraie')} ${d.actual}, ${say(lang, 'predicted', 'prédite')} ${d.predicted}${say(lang, ':', '\u00A0:')} ${text(d).replace('\n', ', ')}`,
        }),
        ...cellText(rows, (d) => Number(d.rowShare), 0.5, { x: 'predicted', y: 'actual', text, fontSize: names.length > 6 ? 9 : 12 }),
      ],
    };
  },
};
