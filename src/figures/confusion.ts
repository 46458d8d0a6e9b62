import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { className, pct } from './labels.ts';
import { cellText } from './marks.ts';
import type { FigureDef, Row } from './types.ts';

/** Test-split counts per (actual, predicted), summed over every seed's model. */
function summed(r: Result): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of r.runs) for (const c of run.training.confusion) out.set(`${c.actual} ${c.predicted}`, (out.get(`${c.actual} ${c.predicted}`) ?? 0) + c.count);
  return out;
}

export const confusion: FigureDef = {
  name: 'confusion',
  title: 'Confusion matrix on the test split',
  applies: (r) => r.runs.some((s) => s.training.confusion.length > 0),
  caption: (r) => {
    const rows = confusion.rows(r);
    const total = rows.reduce((s, d) => s + Number(d.count), 0);
    const right = rows.filter((d) => d.actual === d.predicted).reduce((s, d) => s + Number(d.count), 0);
    const seeds = r.runs.length > 1 ? `, summed over the ${r.runs.length} seeds' models (each sees the same ${total / r.runs.length} test inputs)` : '';
    return `How the trained model classifies each test input: rows are the true class, columns the predicted one; each cell gives the count and its share of the row${seeds}. ${pct(right / total)} of the ${total} predictions are right.`;
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
  key: () => ({ ramp: { label: 'Share of the row', scheme: 'blues', domain: [0, 1], format: (x) => `${Math.round(100 * x)} %` } }),
  plot: (r, rows) => {
    const names = r.dataset.classes.map((l) => className(r, l));
    const cell = Math.max(40, Math.min(80, 480 / names.length));
    const text = (d: Row) => `${d.count}\n${pct(Number(d.rowShare))}`;
    return {
      width: 90 + names.length * cell,
      height: 70 + names.length * cell,
      marginLeft: 70,
      marginBottom: 50,
      x: { type: 'band', domain: names, label: 'Predicted class', padding: 0.03 },
      y: { type: 'band', domain: names, label: 'Actual class', padding: 0.03 },
      color: { type: 'linear', scheme: 'blues', domain: [0, 1], label: 'Share of the row' },
      marks: [
        Plot.cell(rows, { x: 'predicted', y: 'actual', fill: 'rowShare', title: (d) => `actual ${d.actual}, predicted ${d.predicted}: ${text(d).replace('\n', ', ')}` }),
        ...cellText(rows, (d) => Number(d.rowShare), 0.5, { x: 'predicted', y: 'actual', text, fontSize: names.length > 6 ? 9 : 12 }),
      ],
    };
  },
};
