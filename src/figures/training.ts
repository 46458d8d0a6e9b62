import * as Plot from '@observablehq/plot';
import { pctIn, say, storedRow } from './labels.ts';
import { seriesScale } from './palette.ts';
import type { FigureDef, Row } from './types.ts';

const SPLITS = seriesScale(['train', 'test']);

function curve(metric: 'loss' | 'accuracy'): FigureDef {
  const loss = metric === 'loss';
  return {
    name: `training-${metric}`,
    title: loss ? { en: 'Training loss', fr: 'Perte à l’entraînement' } : { en: 'Training accuracy', fr: 'Exactitude à l’entraînement' },
    caption: (r, lang) => {
      const seeds =
        r.runs.length > 1
          ? say(
              lang,
              ` Thin lines are the ${r.runs.length} seeds, thick lines their mean.`,
              ` Les lignes fines sont les ${r.runs.length} graines, les épaisses leur moyenne.`,
            )
          : '';
      const rate = say(lang, String(r.spec.training.learningRate), String(r.spec.training.learningRate).replace('.', ','));
      if (loss)
        return say(
          lang,
          `Mean cross-entropy per epoch on the training split (solid) and the test split (dashed), ${r.spec.training.optimizer} at learning rate ${rate}, batches of ${r.spec.training.batchSize}; log scale.${seeds}`,
          `Entropie croisée moyenne par époque sur la partition d’entraînement (trait plein) et celle de test (tirets), ${r.spec.training.optimizer} avec un taux d’apprentissage de ${rate}, lots de ${r.spec.training.batchSize}\u202F; échelle logarithmique.${seeds}`,
        );
      const final = storedRow(r, 'testAccuracy', {})!;
      const p = (x: number) => pctIn(x, lang);
      if (lang === 'fr') {
        const spread =
          final.method === 'none'
            ? ''
            : ` (${r.runs.length > 1 ? `moyenne de ${r.runs.length} graines, ` : ''}intervalle à 95\u202F% ${p(final.low)}–${p(final.high)}, ${final.method === 'seeds' ? 'jackknife sur les graines' : 'Wilson'})`;
        return `Part des entrées bien classées après chaque époque, sur la partition d’entraînement (trait plein) et celle de test (tirets). Exactitude finale en test\u00A0: ${p(final.mean)}${spread}.${seeds}`;
      }
      const spread =
        final.method === 'none'
          ? ''
          : ` (${r.runs.length > 1 ? `mean of ${r.runs.length} seeds, ` : ''}95 % interval ${p(final.low)}–${p(final.high)}, ${final.method === 'seeds' ? 'jackknife over seeds' : 'Wilson'})`;
      return `Share of inputs classified correctly after each epoch, on the training split (solid) and the test split (dashed). Final test accuracy: ${p(final.mean)}${spread}.${seeds}`;
    },
    rows: (r) =>
      r.runs.flatMap((s) =>
        s.training.history.flatMap((h) => [
          { seed: s.seed, epoch: h.epoch, split: 'train', value: loss ? h.loss : h.accuracy },
          { seed: s.seed, epoch: h.epoch, split: 'test', value: loss ? h.testLoss : h.testAccuracy },
        ]),
      ),
    plot: (r, rows, lang) => {
      const epochs = Math.max(...rows.map((d) => Number(d.epoch)));
      const several = r.runs.length > 1;
      const split = (name: string) => rows.filter((d) => d.split === name);
      const dash = (name: string) => (name === 'test' ? '5,3' : 'none');
      const marks: unknown[] = [];
      for (const name of ['train', 'test']) {
        if (several)
          marks.push(
            Plot.line(split(name), { x: 'epoch', y: 'value', z: 'seed', stroke: 'split', strokeOpacity: 0.3, strokeWidth: 1, strokeDasharray: dash(name) }),
          );
        marks.push(
          Plot.line(
            split(name),
            Plot.groupX(
              { y: 'mean' },
              { x: 'epoch', y: 'value', stroke: 'split', strokeWidth: several ? 2.5 : 1.5, strokeDasharray: dash(name), marker: 'circle' },
            ),
          ),
        );
      }
      const last = ['train', 'test'].map((name) => {
        const at = split(name).filter((d) => d.epoch === epochs);
        return { split: name, epoch: epochs, value: at.reduce((s, d) => s + Number(d.value), 0) / at.length } as Row;
      });
      marks.push(
        Plot.text(last, {
          x: 'epoch',
          y: 'value',
          text: (d: Row) => (d.split === 'train' ? say(lang, 'train', 'entraînement') : 'test'),
          fill: 'split',
          textAnchor: 'start',
          dx: 8,
        }),
      );
      return {
        height: 260,
        marginLeft: 56,
        marginRight: 50,
        x: { label: say(lang, 'Epoch', 'Époque'), tickFormat: 'd', ticks: Math.min(10, epochs) },
        y: loss
          ? { label: say(lang, 'Cross-entropy (nats)', 'Entropie croisée (nats)'), type: 'log', grid: true, ticks: 5, tickFormat: '~g' }
          : { label: say(lang, 'Accuracy (%)', 'Exactitude (%)'), percent: true, grid: true },
        color: SPLITS,
        marks,
      };
    },
  };
}

export const trainingLoss = curve('loss');
export const trainingAccuracy = curve('accuracy');
