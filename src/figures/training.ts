import * as Plot from '@observablehq/plot';
import type { FigureDef } from './types.ts';

const SPLITS = { type: 'ordinal' as const, domain: ['train', 'test'], range: ['#332288', '#CC6677'], legend: false };

function curve(metric: 'loss' | 'accuracy'): FigureDef {
  const loss = metric === 'loss';
  return {
    name: `training-${metric}`,
    title: loss ? 'Training loss' : 'Training accuracy',
    caption: (r) =>
      loss
        ? `Mean cross-entropy per epoch on the training split (solid) and the test split (dashed), ${r.spec.training.optimizer} at learning rate ${r.spec.training.learningRate}, batches of ${r.spec.training.batchSize}; log scale.`
        : `Share of inputs classified correctly after each epoch, on the training split (solid) and the test split (dashed). Final test accuracy: ${(100 * r.training.testAccuracy).toFixed(1)} %.`,
    rows: (r) => r.training.history.flatMap((h) => [{ epoch: h.epoch, split: 'train', value: loss ? h.loss : h.accuracy }, { epoch: h.epoch, split: 'test', value: loss ? h.testLoss : h.testAccuracy }]),
    plot: (_r, rows) => ({
      height: 260,
      marginLeft: 56,
      marginRight: 50,
      x: { label: 'Epoch', tickFormat: 'd', ticks: Math.min(10, rows.length / 2) },
      y: loss ? { label: 'Cross-entropy (nats)', type: 'log', grid: true } : { label: 'Accuracy (%)', percent: true, grid: true },
      color: SPLITS,
      marks: [
        Plot.line(rows.filter((d) => d.split === 'train'), { x: 'epoch', y: 'value', stroke: 'split', marker: 'circle' }),
        Plot.line(rows.filter((d) => d.split === 'test'), { x: 'epoch', y: 'value', stroke: 'split', strokeDasharray: '5,3', marker: 'circle' }),
        Plot.text(rows, Plot.selectLast({ x: 'epoch', y: 'value', z: 'split', text: 'split', fill: 'split', textAnchor: 'start', dx: 6 })),
      ],
    }),
  };
}

export const trainingLoss = curve('loss');
export const trainingAccuracy = curve('accuracy');
