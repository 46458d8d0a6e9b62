import type { Split } from '../data/types.ts';
import { FieldError } from '../spec/errors.ts';

/** Class index (0..C-1) of each row's digit. */
export function classIndex(split: Split, classes: number[]): Int32Array {
  const lookup = new Map(classes.map((c, i) => [c, i]));
  return split.labels.map((d) => lookup.get(d) ?? -1) as Int32Array;
}

/**
 * The error of a diverged training, or null. NaN, infinite, or ten thousand
 * times the loss of a uniform guess: no training recovers from that, and its
 * numbers would mean nothing.
 */
export function divergence(loss: number, epoch: number, seed: number, nClasses: number, lr: number): FieldError | null {
  if (Number.isFinite(loss) && loss <= 1e4 * Math.log(nClasses)) return null;
  return new FieldError(
    'training.learningRate',
    `training diverged at epoch ${epoch} of seed ${seed}: the loss became ${Number.isFinite(loss) ? loss.toPrecision(3) : loss} (a uniform guess scores ${Math.log(nClasses).toFixed(3)}) at learning rate ${lr}`,
    `Lower training.learningRate (e.g. to ${lr / 10}); nothing of this experiment was written.`,
  );
}
